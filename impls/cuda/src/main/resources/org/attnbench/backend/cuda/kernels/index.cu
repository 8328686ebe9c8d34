// Indexing along one axis of a dense tensor ([outer, len, inner], common.cuh's Lines) and the expansion of cuFFT's
// half spectrum. scatter_add is deterministic: each output element sums its own sources in index order, found
// through an inverse index (CSR: sources of position j are from[starts[j] .. starts[j+1])) built on the host, so
// no atomics and bit-identical results from run to run.
#include "common.cuh"

// out[o, k, i] = in[o, index[k], i]; count = number of indices.
template <typename T>
__device__ void gather(T* out, const T* in, const int* index, Lines L, i64 count) {
    GRID_STRIDE(e, L.outer * count * L.inner) {
        i64 i = e % L.inner, ok = e / L.inner, k = ok % count, o = ok / count;
        out[e] = in[(o * L.len + index[k]) * L.inner + i];
    }
}

// out[o, j, i] = sum over k with index[k] = j of g[o, k, i]; out has L's shape.
template <typename T>
__device__ void scatter_add(T* out, const T* g, const int* starts, const int* from, Lines L, i64 count) {
    typedef typename Acc<T>::type C;
    GRID_STRIDE(e, L.outer * L.len * L.inner) {
        i64 i = e % L.inner, oj = e / L.inner, j = oj % L.len, o = oj / L.len;
        C acc = 0;
        for (int s = starts[j]; s < starts[j + 1]; s++) acc += (C) load(g, (o * count + from[s]) * L.inner + i);
        store(out, e, acc);
    }
}

// From the half spectrum H [batch, n1, n2/2 + 1] (interleaved complex, precision R) of a real 2-D transform to the
// real or imaginary part of the full spectrum [batch, n1, n2]: Y[k][l] = conj(H[(n1 - k) % n1][n2 - l]) for
// l > n2 / 2 (Hermitian symmetry of the transform of real data).
template <typename R, typename T>
__device__ void fft_expand(T* out, const R* half, i64 batch, i64 n1, i64 n2, int imaginary) {
    i64 h2 = n2 / 2 + 1;
    GRID_STRIDE(e, batch * n1 * n2) {
        i64 l = e % n2, bk = e / n2, k = bk % n1, b = bk / n1;
        R re, im;
        if (l < h2) {
            i64 p = 2 * ((b * n1 + k) * h2 + l);
            re = half[p];
            im = half[p + 1];
        } else {
            i64 p = 2 * ((b * n1 + (n1 - k) % n1) * h2 + (n2 - l));
            re = half[p];
            im = -half[p + 1];
        }
        store(out, e, imaginary ? im : re);
    }
}

#define INDEX(S, T)                                                                                                    \
    extern "C" __global__ void gather_##S(T* out, const T* in, const int* index, Lines L, i64 count) { gather<T>(out, in, index, L, count); } \
    extern "C" __global__ void scatter_add_##S(T* out, const T* g, const int* starts, const int* from, Lines L, i64 count) { scatter_add<T>(out, g, starts, from, L, count); } \
    extern "C" __global__ void fft_expand_c64_##S(T* out, const float* half, i64 batch, i64 n1, i64 n2, int imaginary) { fft_expand<float, T>(out, half, batch, n1, n2, imaginary); } \
    extern "C" __global__ void fft_expand_c128_##S(T* out, const double* half, i64 batch, i64 n1, i64 n2, int imaginary) { fft_expand<double, T>(out, half, batch, n1, n2, imaginary); }
FOR_EACH_TYPE(INDEX)
