// Fused attention forward on tensor cores for bfloat16 and float16 with float32 accumulation, FlashAttention-2
// style (Dao 2023): a block of 4 warps owns BM = 128 query rows (32 per warp); K and V tiles of BN = 64 keys are
// copied global -> shared with cp.async, double-buffered so the next tile loads while this one is used; S = Q K^T and
// O += P V are mma.sync m16n8k16 with fragments read by ldmatrix from an XOR-swizzled layout (no bank conflicts).
// Softmax: the online softmax in registers, exponentials in base 2 with the scale folded in (one FFMA and one
// ex2.approx per logit), the row sum kept per thread and reduced across the quad once at the end. Sigmoid
// (FLASHSIGMOID, Ramapuram et al. 2024): w = sigmoid(s * scale + bias) as 0.5 tanh(x / 2) + 0.5 with tanh.approx,
// so no row maximum, no row sum and no rescaling of O. Causal: key tiles past the block's last query are never
// visited, and masks are applied only on tiles that cross the diagonal, the window edges or the end of the sequence;
// blocks are scheduled heaviest first. Needs sm_80 or newer (mma.sync bf16, cp.async, ldmatrix).
#include "common.cuh"

#define BM 128
#define BN 64
#define WARPS 4

__device__ __forceinline__ unsigned smem_u32(const void* p) { return (unsigned) __cvta_generic_to_shared(p); }

// 16 bytes global -> shared; bytes = 0 writes zeros (rows past the end of the sequence).
__device__ __forceinline__ void cp_async16(unsigned dst, const void* src, int bytes) {
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(dst), "l"(src), "r"(bytes));
}
__device__ __forceinline__ void cp_async_commit() { asm volatile("cp.async.commit_group;\n" ::); }
template <int N> __device__ __forceinline__ void cp_async_wait() { asm volatile("cp.async.wait_group %0;\n" ::"n"(N)); }

__device__ __forceinline__ void ldmatrix_x4(unsigned* r, unsigned addr) {
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0, %1, %2, %3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3]) : "r"(addr));
}
__device__ __forceinline__ void ldmatrix_x4_trans(unsigned* r, unsigned addr) {
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0, %1, %2, %3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3]) : "r"(addr));
}

template <typename T> struct Mma;
template <> struct Mma<bf16> {
    static __device__ __forceinline__ void run(float* c, const unsigned* a, unsigned b0, unsigned b1) {
        asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, {%0, %1, %2, %3};\n"
                     : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
                     : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
    }
    // Two floats as one register of two bf16, the first in the low half (the lower column).
    static __device__ __forceinline__ unsigned pack(float lo, float hi) {
        __nv_bfloat162 v = __floats2bfloat162_rn(lo, hi);
        return *reinterpret_cast<unsigned*>(&v);
    }
};
template <> struct Mma<f16> {
    static __device__ __forceinline__ void run(float* c, const unsigned* a, unsigned b0, unsigned b1) {
        asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, {%0, %1, %2, %3};\n"
                     : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
                     : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
    }
    static __device__ __forceinline__ unsigned pack(float lo, float hi) {
        __half2 v = __floats2half2_rn(lo, hi);
        return *reinterpret_cast<unsigned*>(&v);
    }
};

__device__ __forceinline__ float ex2(float x) {
    float y;
    asm("ex2.approx.ftz.f32 %0, %1;\n" : "=f"(y) : "f"(x));
    return y;
}
__device__ __forceinline__ float tanh_approx(float x) {
    float y;
    asm("tanh.approx.f32 %0, %1;\n" : "=f"(y) : "f"(x));
    return y;
}

// Element offset of 16-byte chunk ch of row r in a [rows][HD] tile, chunks XOR-swizzled by the row's low 3 bits so
// that the 8 rows one ldmatrix reads at one logical chunk fall in 8 different bank groups.
template <int HD>
__device__ __forceinline__ int swz(int r, int ch) { return r * HD + ((ch ^ (r & 7)) << 3); }

// Copies rows [row0, row0 + ROWS) of a [n, HD] matrix (row stride `stride`) into a swizzled tile; rows >= n are 0.
template <typename T, int HD, int ROWS>
__device__ __forceinline__ void load_tile(T* tile, const T* base, i64 stride, i64 row0, i64 n) {
    constexpr int CH = HD / 8;
    #pragma unroll
    for (int c = threadIdx.x; c < ROWS * CH; c += WARPS * 32) {
        int r = c / CH, ch = c % CH;
        i64 row = row0 + r;
        bool ok = row < n;
        cp_async16(smem_u32(tile + swz<HD>(r, ch)), base + (ok ? row : 0) * stride + ch * 8, ok ? 16 : 0);
    }
}

template <typename T, int HD, bool Q_IN_REGISTERS>
__device__ void flash_mma(const T* __restrict__ q, const T* __restrict__ k, const T* __restrict__ v,
                          T* __restrict__ out, const AttnParams& p) {
    constexpr int KS = HD / 16;     // k-steps over the head width for S = Q K^T
    constexpr int NT = BN / 8;      // n8 tiles of S per m16 tile
    constexpr int OT = HD / 8;      // n8 tiles of O per m16 tile
    extern __shared__ __align__(128) unsigned char smem[];
    T* qs = reinterpret_cast<T*>(smem);       // [BM][HD]
    T* kst = qs + BM * HD;                    // [2][BN][HD]
    T* vst = kst + 2 * BN * HD;               // [2][BN][HD]

    const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    const i64 mblock = gridDim.x - 1 - blockIdx.x;   // the longest causal rows first
    const i64 bh = blockIdx.y, b = bh / p.heads, h = bh % p.heads;
    const T* qb = q + b * p.q[0] + h * p.q[1];
    const T* kb = k + b * p.k[0] + h * p.k[1];
    const T* vb = v + b * p.v[0] + h * p.v[1];
    T* ob = out + b * p.o[0] + h * p.o[1];
    const i64 n = p.n, m0 = mblock * BM;
    const bool sigmoid = p.sigmoid != 0;
    const float scale_log2 = (float) (p.scale * 1.4426950408889634);   // softmax in base 2
    const float half_scale = (float) (0.5 * p.scale), half_bias = (float) (0.5 * p.bias);

    i64 kbeg, kend;
    key_range(p, m0, m0 + BM < n ? m0 + BM : n, &kbeg, &kend);
    kbeg = kbeg / BN * BN;
    const int tiles = kend > kbeg ? (int) ((kend - kbeg + BN - 1) / BN) : 0;

    load_tile<T, HD, BM>(qs, qb, p.q[2], m0, n);
    cp_async_commit();
    if (tiles > 0) {
        load_tile<T, HD, BN>(kst, kb, p.k[2], kbeg, n);
        load_tile<T, HD, BN>(vst, vb, p.v[2], kbeg, n);
    }
    cp_async_commit();
    cp_async_wait<1>();
    __syncthreads();

    // Rows of this warp: two m16 tiles, warp * 32 + mt * 16 + [0, 16).
    // Q's A fragments stay in registers for the whole loop where they fit (HD = 64); else they are re-read.
    unsigned qf[2][KS][4];
    if (Q_IN_REGISTERS) {
        #pragma unroll
        for (int mt = 0; mt < 2; mt++)
            #pragma unroll
            for (int ks = 0; ks < KS; ks++)
                ldmatrix_x4(qf[mt][ks], smem_u32(qs + swz<HD>(warp * 32 + mt * 16 + (lane % 16), ks * 2 + lane / 16)));
    }

    float o[2][OT][4];
    float row_max[2][2], row_sum[2][2];   // [mt][upper or lower 8 rows of the m16 tile]
    #pragma unroll
    for (int mt = 0; mt < 2; mt++) {
        #pragma unroll
        for (int t = 0; t < OT; t++)
            #pragma unroll
            for (int e = 0; e < 4; e++) o[mt][t][e] = 0.f;
        #pragma unroll
        for (int hf = 0; hf < 2; hf++) {
            row_max[mt][hf] = neg_inf<float>();
            row_sum[mt][hf] = 0.f;
        }
    }

    for (int t = 0; t < tiles; t++) {
        const int stage = t & 1;
        if (t + 1 < tiles) {
            load_tile<T, HD, BN>(kst + (stage ^ 1) * BN * HD, kb, p.k[2], kbeg + (i64) (t + 1) * BN, n);
            load_tile<T, HD, BN>(vst + (stage ^ 1) * BN * HD, vb, p.v[2], kbeg + (i64) (t + 1) * BN, n);
            cp_async_commit();
            cp_async_wait<1>();
        } else {
            cp_async_wait<0>();
        }
        __syncthreads();
        const T* ktile = kst + stage * BN * HD;
        const T* vtile = vst + stage * BN * HD;
        const i64 n0 = kbeg + (i64) t * BN;

        // S = Q K^T for this warp's 32 rows and the tile's 64 keys.
        float s[2][NT][4];
        #pragma unroll
        for (int mt = 0; mt < 2; mt++)
            #pragma unroll
            for (int j = 0; j < NT; j++)
                #pragma unroll
                for (int e = 0; e < 4; e++) s[mt][j][e] = 0.f;
        #pragma unroll
        for (int ks = 0; ks < KS; ks++) {
            unsigned a[2][4];
            #pragma unroll
            for (int mt = 0; mt < 2; mt++) {
                if (Q_IN_REGISTERS) {
                    #pragma unroll
                    for (int r = 0; r < 4; r++) a[mt][r] = qf[mt][ks][r];
                } else {
                    ldmatrix_x4(a[mt], smem_u32(qs + swz<HD>(warp * 32 + mt * 16 + (lane % 16), ks * 2 + lane / 16)));
                }
            }
            #pragma unroll
            for (int np = 0; np < NT / 2; np++) {
                unsigned kf[4];   // b0, b1 of key tile 2np, then of 2np + 1
                ldmatrix_x4(kf, smem_u32(ktile + swz<HD>(np * 16 + (lane % 8) + (lane / 16) * 8, ks * 2 + (lane / 8) % 2)));
                #pragma unroll
                for (int mt = 0; mt < 2; mt++) {
                    Mma<T>::run(s[mt][2 * np], a[mt], kf[0], kf[1]);
                    Mma<T>::run(s[mt][2 * np + 1], a[mt], kf[2], kf[3]);
                }
            }
        }

        // Masks only where some pair of this tile is not visible.
        bool masked = n0 + BN > n || (p.causal && n0 + BN - 1 > m0)
                || (p.window >= 0 && (n0 < m0 + BM - 1 - p.window || n0 + BN - 1 > m0 + p.window));

        // Weights, in place in s.
        #pragma unroll
        for (int mt = 0; mt < 2; mt++) {
            #pragma unroll
            for (int hf = 0; hf < 2; hf++) {
                const i64 row = m0 + warp * 32 + mt * 16 + lane / 4 + hf * 8;
                if (sigmoid) {
                    #pragma unroll
                    for (int j = 0; j < NT; j++)
                        #pragma unroll
                        for (int e = 2 * hf; e < 2 * hf + 2; e++) {
                            float w = fmaf(0.5f, tanh_approx(fmaf(s[mt][j][e], half_scale, half_bias)), 0.5f);
                            if (masked && !visible(p, row, n0 + j * 8 + (lane % 4) * 2 + (e & 1))) w = 0.f;
                            s[mt][j][e] = w;
                        }
                } else {
                    float mx = neg_inf<float>();
                    #pragma unroll
                    for (int j = 0; j < NT; j++)
                        #pragma unroll
                        for (int e = 2 * hf; e < 2 * hf + 2; e++) {
                            float x = s[mt][j][e] * scale_log2;
                            if (masked && !visible(p, row, n0 + j * 8 + (lane % 4) * 2 + (e & 1))) x = neg_inf<float>();
                            s[mt][j][e] = x;
                            mx = fmaxf(mx, x);
                        }
                    mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 1));
                    mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 2));
                    const float m_new = fmaxf(row_max[mt][hf], mx);
                    const float m_use = m_new == neg_inf<float>() ? 0.f : m_new;   // a row with nothing visible yet
                    const float corr = ex2(row_max[mt][hf] - m_use);
                    row_max[mt][hf] = m_new;
                    float sum = 0.f;
                    #pragma unroll
                    for (int j = 0; j < NT; j++)
                        #pragma unroll
                        for (int e = 2 * hf; e < 2 * hf + 2; e++) {
                            float w = ex2(s[mt][j][e] - m_use);
                            s[mt][j][e] = w;
                            sum += w;
                        }
                    row_sum[mt][hf] = row_sum[mt][hf] * corr + sum;
                    #pragma unroll
                    for (int d = 0; d < OT; d++) {
                        o[mt][d][2 * hf] *= corr;
                        o[mt][d][2 * hf + 1] *= corr;
                    }
                }
            }
        }

        // O += P V, P taken from the S accumulators as A fragments (two n8 tiles of keys make one k16 step).
        #pragma unroll
        for (int kk = 0; kk < BN / 16; kk++) {
            unsigned pa[2][4];
            #pragma unroll
            for (int mt = 0; mt < 2; mt++) {
                pa[mt][0] = Mma<T>::pack(s[mt][2 * kk][0], s[mt][2 * kk][1]);
                pa[mt][1] = Mma<T>::pack(s[mt][2 * kk][2], s[mt][2 * kk][3]);
                pa[mt][2] = Mma<T>::pack(s[mt][2 * kk + 1][0], s[mt][2 * kk + 1][1]);
                pa[mt][3] = Mma<T>::pack(s[mt][2 * kk + 1][2], s[mt][2 * kk + 1][3]);
            }
            #pragma unroll
            for (int dp = 0; dp < OT / 2; dp++) {
                unsigned vf[4];   // b0, b1 of head-width tile 2dp, then of 2dp + 1
                ldmatrix_x4_trans(vf, smem_u32(vtile + swz<HD>(kk * 16 + (lane % 8) + ((lane / 8) % 2) * 8, dp * 2 + lane / 16)));
                #pragma unroll
                for (int mt = 0; mt < 2; mt++) {
                    Mma<T>::run(o[mt][2 * dp], pa[mt], vf[0], vf[1]);
                    Mma<T>::run(o[mt][2 * dp + 1], pa[mt], vf[2], vf[3]);
                }
            }
        }
        __syncthreads();   // every warp is done with this stage before the next iteration loads into it
    }

    // Normalise (softmax) and store; each thread writes pairs of adjacent columns.
    #pragma unroll
    for (int mt = 0; mt < 2; mt++) {
        #pragma unroll
        for (int hf = 0; hf < 2; hf++) {
            float norm = 1.f;
            if (!sigmoid) {
                float l = row_sum[mt][hf];
                l += __shfl_xor_sync(0xffffffffu, l, 1);
                l += __shfl_xor_sync(0xffffffffu, l, 2);
                norm = l > 0.f ? 1.f / l : 0.f;
            }
            const i64 row = m0 + warp * 32 + mt * 16 + lane / 4 + hf * 8;
            if (row < n) {
                #pragma unroll
                for (int d = 0; d < OT; d++) {
                    unsigned packed = Mma<T>::pack(o[mt][d][2 * hf] * norm, o[mt][d][2 * hf + 1] * norm);
                    *reinterpret_cast<unsigned*>(ob + row * p.o[2] + d * 8 + (lane % 4) * 2) = packed;
                }
            }
        }
    }
}

// Dynamic shared memory: (BM + 4 BN) * HD elements of 2 bytes: 48 KiB at HD = 64, 96 KiB at HD = 128.
#define FLASH_MMA(S, T)                                                                                                \
    extern "C" __global__ void __launch_bounds__(WARPS * 32, 2) flash_mma64_##S(const T* q, const T* k, const T* v, T* o, AttnParams p) { flash_mma<T, 64, true>(q, k, v, o, p); } \
    extern "C" __global__ void __launch_bounds__(WARPS * 32, 1) flash_mma128_##S(const T* q, const T* k, const T* v, T* o, AttnParams p) { flash_mma<T, 128, false>(q, k, v, o, p); }
FLASH_MMA(bf16, bf16)
FLASH_MMA(f16, f16)
