// Elementwise kernels over strided operands (Layout): the output is dense in row-major order, inputs are read
// through their own strides, so views (permuted, sliced, broadcast) need no copy first. Op codes are those of
// CudaBackend.unaryCode / scalarCode / binaryCode.
#include "common.cuh"

template <typename C>
__device__ __forceinline__ C unary_op(int op, C x) {
    const C one = 1, half = 0.5;
    const C inv_sqrt2 = 0.70710678118654752440, inv_sqrt_2pi = 0.39894228040143267794;
    switch (op) {
        case 0: return -x;                                                  // NEG
        case 1: return m_exp(x);                                            // EXP
        case 2: return m_log(x);                                            // LOG
        case 3: return one / (one + m_exp(-x));                             // SIGMOID
        case 4: return m_tanh(x);                                           // TANH
        case 5: return x * half * (one + m_erf(x * inv_sqrt2));             // GELU, exact
        case 6: return half * (one + m_erf(x * inv_sqrt2)) + x * inv_sqrt_2pi * m_exp(-half * x * x); // GELU'
        case 7: return x > 0 ? x : (x != x ? x : (C) 0);                    // RELU
        case 8: return x > 0 ? one : (C) 0;                                 // STEP
        case 9: return m_sqrt(x);                                           // SQRT
        case 10: return one / x;                                            // RECIPROCAL
        case 11: return x * x;                                              // SQUARE
        case 12: return m_abs(x);                                           // ABS
        case 13: return x > 0 ? one : (x < 0 ? -one : x);                   // SIGN (0 and NaN stay)
        default: return x;
    }
}

template <typename C>
__device__ __forceinline__ C scalar_op(int op, C x, C s) {
    switch (op) {
        case 0: return x + s;             // ADD
        case 1: return x * s;             // MUL
        case 2: return m_pow(x, s);       // POW
        case 3: return m_max(x, s);       // MAXIMUM
        case 4: return m_min(x, s);       // MINIMUM
        default: return x;
    }
}

template <typename C>
__device__ __forceinline__ C binary_op(int op, C x, C y) {
    switch (op) {
        case 0: return x + y;                       // ADD
        case 1: return x - y;                       // SUB
        case 2: return x * y;                       // MUL
        case 3: return x / y;                       // DIV
        case 4: return m_max(x, y);                 // MAXIMUM
        case 5: return m_min(x, y);                 // MINIMUM
        case 6: return x > y ? (C) 1 : (C) 0;       // GREATER
        case 7: return x == y ? (C) 1 : (C) 0;      // EQUAL
        default: return x;
    }
}

template <typename T>
__device__ void unary(T* out, const T* a, Layout L, int op) {
    typedef typename Acc<T>::type C;
    GRID_STRIDE(i, L.size) {
        i64 off[1];
        offsets<1>(L, i, off);
        store(out, i, unary_op<C>(op, (C) load(a, off[0])));
    }
}

template <typename T>
__device__ void scalar(T* out, const T* a, Layout L, int op, double s) {
    typedef typename Acc<T>::type C;
    GRID_STRIDE(i, L.size) {
        i64 off[1];
        offsets<1>(L, i, off);
        store(out, i, scalar_op<C>(op, (C) load(a, off[0]), (C) s));
    }
}

template <typename T>
__device__ void binary(T* out, const T* a, const T* b, Layout L, int op) {
    typedef typename Acc<T>::type C;
    GRID_STRIDE(i, L.size) {
        i64 off[2];
        offsets<2>(L, i, off);
        store(out, i, binary_op<C>(op, (C) load(a, off[0]), (C) load(b, off[1])));
    }
}

// mask ? a : b, the mask in the same dtype (nonzero is true).
template <typename T>
__device__ void where_(T* out, const T* mask, const T* a, const T* b, Layout L) {
    GRID_STRIDE(i, L.size) {
        i64 off[3];
        offsets<3>(L, i, off);
        out[i] = load(mask, off[0]) != 0 ? a[off[1]] : b[off[2]];
    }
}

// out (stride 0) <- in (stride 1): materialises views, writes into slices of a larger tensor (concat, pad).
template <typename T>
__device__ void copy(T* out, const T* in, Layout L) {
    GRID_STRIDE(i, L.size) {
        i64 off[2];
        offsets<2>(L, i, off);
        out[off[0]] = in[off[1]];
    }
}

template <typename T>
__device__ void fill(T* out, i64 n, double value) {
    GRID_STRIDE(i, n) store(out, i, value);
}

// 1 where lower <= j - i <= upper, for a [rows, cols] matrix.
template <typename T>
__device__ void band(T* out, i64 rows, i64 cols, i64 lower, i64 upper) {
    GRID_STRIDE(k, rows * cols) {
        i64 i = k / cols, j = k - i * cols, d = j - i;
        store(out, k, (lower <= d && d <= upper) ? 1.0f : 0.0f);
    }
}

#define ELEMENTWISE(S, T)                                                                                              \
    extern "C" __global__ void unary_##S(T* out, const T* a, Layout L, int op) { unary<T>(out, a, L, op); }             \
    extern "C" __global__ void scalar_##S(T* out, const T* a, Layout L, int op, double s) { scalar<T>(out, a, L, op, s); } \
    extern "C" __global__ void binary_##S(T* out, const T* a, const T* b, Layout L, int op) { binary<T>(out, a, b, L, op); } \
    extern "C" __global__ void where_##S(T* out, const T* m, const T* a, const T* b, Layout L) { where_<T>(out, m, a, b, L); } \
    extern "C" __global__ void copy_##S(T* out, const T* in, Layout L) { copy<T>(out, in, L); }                        \
    extern "C" __global__ void fill_##S(T* out, i64 n, double value) { fill<T>(out, n, value); }                        \
    extern "C" __global__ void band_##S(T* out, i64 rows, i64 cols, i64 lower, i64 upper) { band<T>(out, rows, cols, lower, upper); }
FOR_EACH_TYPE(ELEMENTWISE)

// Casts between every pair of storage types: in strided, out dense; rounding to nearest even.
template <typename From, typename To>
__device__ void cast(To* out, const From* in, Layout L) {
    GRID_STRIDE(i, L.size) {
        i64 off[1];
        offsets<1>(L, i, off);
        store(out, i, load(in, off[0]));
    }
}

#define CAST_TO(S, T)                                                                                                  \
    extern "C" __global__ void cast_f32_##S(T* out, const float* in, Layout L) { cast<float, T>(out, in, L); }          \
    extern "C" __global__ void cast_f64_##S(T* out, const double* in, Layout L) { cast<double, T>(out, in, L); }        \
    extern "C" __global__ void cast_bf16_##S(T* out, const bf16* in, Layout L) { cast<bf16, T>(out, in, L); }           \
    extern "C" __global__ void cast_f16_##S(T* out, const f16* in, Layout L) { cast<f16, T>(out, in, L); }
FOR_EACH_TYPE(CAST_TO)
