// Shared by every kernel file: element types, conversions to the accumulation type, strided index arithmetic.
// Compiled at run time by NVRTC (the backend hands this file over as a header) and by the nvcc test (-I).
// Only CUDA's own bf16/fp16 headers are included: NVRTC has no C++ standard library.
#pragma once
#include <cuda_bf16.h>
#include <cuda_fp16.h>

typedef long long i64;
typedef __nv_bfloat16 bf16;
typedef __half f16;

#define MAX_RANK 8

// A strided view of up to three operands over one row-major index space of `size` elements: operand t's element
// at index vector x is at sum_d x[d] * stride[t][d] (elements, not bytes). Written by CudaBackend.Layout.
struct Layout {
    i64 rank;
    i64 size;
    i64 shape[MAX_RANK];
    i64 stride[3][MAX_RANK];
};

// Lines along one axis of a dense tensor seen as [outer, len, inner]; line (o, i) starts at o * len * inner + i
// with stride inner. For the softmax mask, the mask's strides over the full shape (broadcast axes have stride 0).
struct Lines {
    i64 outer, len, inner;
    i64 rank, axis;
    i64 shape[MAX_RANK];
    i64 mask_stride[MAX_RANK];
};

// The accumulation type of a storage type: float for the 16- and 32-bit types, double for double.
template <typename T> struct Acc { typedef float type; };
template <> struct Acc<double> { typedef double type; };

__device__ __forceinline__ float load(const float* p, i64 i) { return p[i]; }
__device__ __forceinline__ double load(const double* p, i64 i) { return p[i]; }
__device__ __forceinline__ float load(const bf16* p, i64 i) { return __bfloat162float(p[i]); }
__device__ __forceinline__ float load(const f16* p, i64 i) { return __half2float(p[i]); }

__device__ __forceinline__ void store(float* p, i64 i, float x) { p[i] = x; }
__device__ __forceinline__ void store(float* p, i64 i, double x) { p[i] = (float) x; }
__device__ __forceinline__ void store(double* p, i64 i, double x) { p[i] = x; }
__device__ __forceinline__ void store(double* p, i64 i, float x) { p[i] = (double) x; }
__device__ __forceinline__ void store(bf16* p, i64 i, float x) { p[i] = __float2bfloat16_rn(x); }
__device__ __forceinline__ void store(bf16* p, i64 i, double x) { p[i] = __double2bfloat16(x); }
__device__ __forceinline__ void store(f16* p, i64 i, float x) { p[i] = __float2half_rn(x); }
__device__ __forceinline__ void store(f16* p, i64 i, double x) { p[i] = __double2half(x); }

// Math in the accumulation type, spelled out per precision (no reliance on C++ overloads of the C library).
__device__ __forceinline__ float m_exp(float x) { return expf(x); }
__device__ __forceinline__ double m_exp(double x) { return exp(x); }
__device__ __forceinline__ float m_log(float x) { return logf(x); }
__device__ __forceinline__ double m_log(double x) { return log(x); }
__device__ __forceinline__ float m_tanh(float x) { return tanhf(x); }
__device__ __forceinline__ double m_tanh(double x) { return tanh(x); }
__device__ __forceinline__ float m_erf(float x) { return erff(x); }
__device__ __forceinline__ double m_erf(double x) { return erf(x); }
__device__ __forceinline__ float m_sqrt(float x) { return sqrtf(x); }
__device__ __forceinline__ double m_sqrt(double x) { return sqrt(x); }
__device__ __forceinline__ float m_pow(float x, float y) { return powf(x, y); }
__device__ __forceinline__ double m_pow(double x, double y) { return pow(x, y); }
__device__ __forceinline__ float m_abs(float x) { return fabsf(x); }
__device__ __forceinline__ double m_abs(double x) { return fabs(x); }

// Java's Math.max/min: NaN wins.
template <typename C> __device__ __forceinline__ C m_max(C a, C b) { return a != a ? a : (b != b ? b : (a > b ? a : b)); }
template <typename C> __device__ __forceinline__ C m_min(C a, C b) { return a != a ? a : (b != b ? b : (a < b ? a : b)); }

template <typename C> __device__ __forceinline__ C neg_inf();
template <> __device__ __forceinline__ float neg_inf<float>() { return __int_as_float(0xff800000); }
template <> __device__ __forceinline__ double neg_inf<double>() { return __longlong_as_double(0xfff0000000000000ULL); }

// Offsets of operands 0..count-1 for the row-major index i of a layout.
template <int COUNT>
__device__ __forceinline__ void offsets(const Layout& L, i64 i, i64* off) {
    #pragma unroll
    for (int t = 0; t < COUNT; t++) off[t] = 0;
    for (int d = (int) L.rank - 1; d >= 0; d--) {
        i64 s = L.shape[d];
        i64 q = i / s;
        i64 x = i - q * s;
        i = q;
        #pragma unroll
        for (int t = 0; t < COUNT; t++) off[t] += x * L.stride[t][d];
    }
}

#define GRID_STRIDE(i, n) for (i64 i = (i64) blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += (i64) gridDim.x * blockDim.x)

// One extern "C" entry point per storage type, named NAME_f32, NAME_f64, NAME_bf16, NAME_f16.
#define FOR_EACH_TYPE(M) M(f32, float) M(f64, double) M(bf16, bf16) M(f16, f16)

// One fused attention call (CudaBackend.fusedAttention writes it): q, k, v, out are [B, h, n, dh] with the last axis
// contiguous and the given strides (elements) for batch, head and row; window < 0 means none.
struct AttnParams {
    i64 n, dh, heads, causal, window, sigmoid;
    i64 q[3], k[3], v[3], o[3];
    double scale, bias;
};

// The keys [begin, end) that some query of rows [m0, m1) may see.
__device__ __forceinline__ void key_range(const AttnParams& p, i64 m0, i64 m1, i64* begin, i64* end) {
    i64 b = 0, e = p.n;
    if (p.window >= 0) {
        b = m0 - p.window > 0 ? m0 - p.window : 0;
        e = m1 - 1 + p.window + 1 < p.n ? m1 - 1 + p.window + 1 : p.n;
    }
    if (p.causal && m1 < e) e = m1;
    *begin = b;
    *end = e;
}

__device__ __forceinline__ bool visible(const AttnParams& p, i64 i, i64 j) {
    if (j >= p.n) return false;
    if (p.causal && j > i) return false;
    if (p.window >= 0 && (j < i - p.window || j > i + p.window)) return false;
    return true;
}
