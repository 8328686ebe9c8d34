// Kernels along one axis of a dense tensor seen as [outer, len, inner] (common.cuh's Lines): reductions and the
// masked softmax run one block per line, so a long line is split over the block's threads; the scans and
// recurrences run one thread per line, since each step needs the one before. Accumulation is in float (double for
// double tensors); reduction op codes are those of CudaBackend.reduceCode (0 sum, 1 max, 2 mean).
#include "common.cuh"

#define BLOCK 256

// Combines one value per thread over the block; every thread gets the result.
template <typename C>
__device__ C block_reduce(C x, bool is_max, C* scratch) {
    for (int d = 16; d > 0; d /= 2) {
        C y = __shfl_xor_sync(0xffffffffu, x, d);
        x = is_max ? m_max(x, y) : x + y;
    }
    int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    __syncthreads(); // scratch may still be read from an earlier call
    if (lane == 0) scratch[warp] = x;
    __syncthreads();
    if (warp == 0) {
        x = lane < (int) (blockDim.x / 32) ? scratch[lane] : (is_max ? neg_inf<C>() : (C) 0);
        for (int d = 16; d > 0; d /= 2) {
            C y = __shfl_xor_sync(0xffffffffu, x, d);
            x = is_max ? m_max(x, y) : x + y;
        }
        if (lane == 0) scratch[0] = x;
    }
    __syncthreads();
    return scratch[0];
}

__device__ __forceinline__ i64 line_start(const Lines& L, i64 line) {
    i64 o = line / L.inner, i = line - o * L.inner;
    return o * L.len * L.inner + i;
}

template <typename T>
__device__ void reduce(T* out, const T* in, Lines L, int op) {
    typedef typename Acc<T>::type C;
    __shared__ C scratch[32];
    bool is_max = op == 1;
    for (i64 line = blockIdx.x; line < L.outer * L.inner; line += gridDim.x) {
        i64 start = line_start(L, line);
        C acc = is_max ? neg_inf<C>() : (C) 0;
        for (i64 j = threadIdx.x; j < L.len; j += blockDim.x) {
            C x = load(in, start + j * L.inner);
            acc = is_max ? m_max(acc, x) : acc + x;
        }
        acc = block_reduce<C>(acc, is_max, scratch);
        if (threadIdx.x == 0) store(out, line, op == 2 ? acc / (C) L.len : acc);
    }
}

// The mask element of line `line`, position j: the line's coordinates decomposed over the full shape.
__device__ __forceinline__ i64 mask_base(const Lines& L, i64 line) {
    i64 o = line / L.inner, i = line - o * L.inner;
    i64 off = 0;
    for (int d = (int) L.rank - 1; d > (int) L.axis; d--) {
        i64 s = L.shape[d], q = i / s;
        off += (i - q * s) * L.mask_stride[d];
        i = q;
    }
    for (int d = (int) L.axis - 1; d >= 0; d--) {
        i64 s = L.shape[d], q = o / s;
        off += (o - q * s) * L.mask_stride[d];
        o = q;
    }
    return off;
}

// Softmax along the axis; where the mask (if any) is 0 the output is exactly 0, and a fully masked line is all 0.
template <typename T>
__device__ void softmax(T* out, const T* in, const T* mask, Lines L) {
    typedef typename Acc<T>::type C;
    __shared__ C scratch[32];
    for (i64 line = blockIdx.x; line < L.outer * L.inner; line += gridDim.x) {
        i64 start = line_start(L, line);
        i64 mbase = mask ? mask_base(L, line) : 0, mstep = mask ? L.mask_stride[L.axis] : 0;
        C mx = neg_inf<C>();
        for (i64 j = threadIdx.x; j < L.len; j += blockDim.x) {
            if (!mask || load(mask, mbase + j * mstep) != 0) mx = m_max(mx, (C) load(in, start + j * L.inner));
        }
        mx = block_reduce<C>(mx, true, scratch);
        C sum = 0;
        for (i64 j = threadIdx.x; j < L.len; j += blockDim.x) {
            if (!mask || load(mask, mbase + j * mstep) != 0) sum += m_exp((C) load(in, start + j * L.inner) - mx);
        }
        sum = block_reduce<C>(sum, false, scratch);
        bool any = mx != neg_inf<C>() || sum > 0;
        for (i64 j = threadIdx.x; j < L.len; j += blockDim.x) {
            i64 p = start + j * L.inner;
            bool allowed = any && (!mask || load(mask, mbase + j * mstep) != 0);
            store(out, p, allowed ? m_exp((C) load(in, p) - mx) / sum : (C) 0);
        }
    }
}

// Inclusive scans (0 sum, 1 max), from the end when reverse.
template <typename T>
__device__ void scan(T* out, const T* in, Lines L, int op, int reverse) {
    typedef typename Acc<T>::type C;
    GRID_STRIDE(line, L.outer * L.inner) {
        i64 start = line_start(L, line);
        C acc = op == 1 ? neg_inf<C>() : (C) 0;
        for (i64 step = 0; step < L.len; step++) {
            i64 p = start + (reverse ? L.len - 1 - step : step) * L.inner;
            C x = load(in, p);
            acc = op == 1 ? m_max(acc, x) : acc + x;
            store(out, p, acc);
        }
    }
}

// h[0] = x[0], h[t] = decay[t] * h[t-1] + x[t] (from the end when reverse).
template <typename T>
__device__ void decay_scan(T* out, const T* decay, const T* x, Lines L, int reverse) {
    typedef typename Acc<T>::type C;
    GRID_STRIDE(line, L.outer * L.inner) {
        i64 start = line_start(L, line);
        C acc = 0;
        for (i64 step = 0; step < L.len; step++) {
            i64 p = start + (reverse ? L.len - 1 - step : step) * L.inner;
            C xv = load(x, p);
            acc = step == 0 ? xv : (C) load(decay, p) * acc + xv;
            store(out, p, acc);
        }
    }
}

// Each g[j] goes to the position where the running maximum of x up to j was set (a strictly greater value moves it).
template <typename T>
__device__ void cummax_backward(T* out, const T* x, const T* g, Lines L) {
    typedef typename Acc<T>::type C;
    GRID_STRIDE(line, L.outer * L.inner) {
        i64 start = line_start(L, line);
        for (i64 j = 0; j < L.len; j++) store(out, start + j * L.inner, (C) 0);
        i64 set_at = start;
        C best = load(x, start), acc = 0;
        for (i64 j = 0; j < L.len; j++) {
            i64 p = start + j * L.inner;
            C xv = load(x, p);
            if (xv > best) {
                store(out, set_at, acc);
                best = xv;
                set_at = p;
                acc = 0;
            }
            acc += (C) load(g, p);
        }
        store(out, set_at, acc);
    }
}

#define AXIS(S, T)                                                                                                     \
    extern "C" __global__ void __launch_bounds__(BLOCK) reduce_##S(T* out, const T* in, Lines L, int op) { reduce<T>(out, in, L, op); } \
    extern "C" __global__ void __launch_bounds__(BLOCK) softmax_##S(T* out, const T* in, const T* mask, Lines L) { softmax<T>(out, in, mask, L); } \
    extern "C" __global__ void scan_##S(T* out, const T* in, Lines L, int op, int reverse) { scan<T>(out, in, L, op, reverse); } \
    extern "C" __global__ void decay_scan_##S(T* out, const T* d, const T* x, Lines L, int reverse) { decay_scan<T>(out, d, x, L, reverse); } \
    extern "C" __global__ void cummax_backward_##S(T* out, const T* x, const T* g, Lines L) { cummax_backward<T>(out, x, g, L); }
FOR_EACH_TYPE(AXIS)
