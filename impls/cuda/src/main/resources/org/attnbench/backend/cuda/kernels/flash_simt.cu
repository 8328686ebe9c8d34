// Fused attention on CUDA cores, for float32 and float64 (and bfloat16/float16 head widths the tensor-core kernel
// does not take): one thread per query row keeps q and the output row in registers; K/V tiles of BN keys go
// through shared memory, where every thread of the block reads the same key (a broadcast). Softmax is the online
// softmax (running maximum and sum, the output rescaled when the maximum grows); sigmoid weights need neither.
// Accumulation in float (double for float64), exact expf. Nothing of size n x n exists.
#include "common.cuh"

#define THREADS 128

template <typename T, int DH>
__device__ void flash_simt(const T* __restrict__ q, const T* __restrict__ k, const T* __restrict__ v,
                           T* __restrict__ out, const AttnParams& p) {
    typedef typename Acc<T>::type C;
    // 32 KiB of shared memory for the K and V tiles whatever the precision and width.
    constexpr int RAW = 16384 / (DH * (int) sizeof(C));
    constexpr int BN = RAW > 64 ? 64 : (RAW < 8 ? 8 : RAW);
    __shared__ C ks[BN][DH];
    __shared__ C vs[BN][DH];

    const i64 bh = blockIdx.y, b = bh / p.heads, h = bh % p.heads;
    const T* qb = q + b * p.q[0] + h * p.q[1];
    const T* kb = k + b * p.k[0] + h * p.k[1];
    const T* vb = v + b * p.v[0] + h * p.v[1];
    T* ob = out + b * p.o[0] + h * p.o[1];
    const i64 m0 = (i64) blockIdx.x * THREADS, i = m0 + threadIdx.x;
    const bool row = i < p.n;
    const int dh = (int) p.dh;
    const C scale = (C) p.scale, bias = (C) p.bias;

    C qr[DH], o[DH];
    #pragma unroll
    for (int c = 0; c < DH; c++) {
        qr[c] = row && c < dh ? (C) load(qb, i * p.q[2] + c) : (C) 0;
        o[c] = 0;
    }
    C m = neg_inf<C>(), l = 0;

    i64 begin, end;
    key_range(p, m0, m0 + THREADS < p.n ? m0 + THREADS : p.n, &begin, &end);
    for (i64 j0 = begin; j0 < end; j0 += BN) {
        __syncthreads();
        for (int e = threadIdx.x; e < BN * DH; e += THREADS) {
            int r = e / DH, c = e % DH;
            i64 j = j0 + r;
            bool ok = j < p.n && c < dh;
            ks[r][c] = ok ? (C) load(kb, j * p.k[2] + c) : (C) 0;
            vs[r][c] = ok ? (C) load(vb, j * p.v[2] + c) : (C) 0;
        }
        __syncthreads();
        if (!row) continue;
        for (int r = 0; r < BN; r++) {
            i64 j = j0 + r;
            if (!visible(p, i, j)) continue;
            C s = 0;
            #pragma unroll
            for (int c = 0; c < DH; c++) s += qr[c] * ks[r][c];
            s *= scale;
            C w;
            if (p.sigmoid) {
                w = (C) 1 / ((C) 1 + m_exp(-(s + bias)));
            } else {
                if (s > m) {
                    C corr = m_exp(m - s); // 0 for the first visible key (m = -inf)
                    l *= corr;
                    #pragma unroll
                    for (int c = 0; c < DH; c++) o[c] *= corr;
                    m = s;
                }
                w = m_exp(s - m);
                l += w;
            }
            #pragma unroll
            for (int c = 0; c < DH; c++) o[c] += w * vs[r][c];
        }
    }
    if (!row) return;
    C norm = p.sigmoid ? (C) 1 : (l > 0 ? (C) 1 / l : (C) 0);
    #pragma unroll
    for (int c = 0; c < DH; c++) {
        if (c < dh) store(ob, i * p.o[2] + c, o[c] * norm);
    }
}

#define FLASH_SIMT(S, T)                                                                                               \
    extern "C" __global__ void __launch_bounds__(THREADS) flash_simt32_##S(const T* q, const T* k, const T* v, T* o, AttnParams p) { flash_simt<T, 32>(q, k, v, o, p); } \
    extern "C" __global__ void __launch_bounds__(THREADS) flash_simt64_##S(const T* q, const T* k, const T* v, T* o, AttnParams p) { flash_simt<T, 64>(q, k, v, o, p); } \
    extern "C" __global__ void __launch_bounds__(THREADS) flash_simt128_##S(const T* q, const T* k, const T* v, T* o, AttnParams p) { flash_simt<T, 128>(q, k, v, o, p); }
FOR_EACH_TYPE(FLASH_SIMT)
