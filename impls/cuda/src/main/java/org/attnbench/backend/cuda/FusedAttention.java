package org.attnbench.backend.cuda;

import org.attnbench.api.AttentionKernel;

/**
 * Launches the fused attention kernels (kernels/flash_mma.cu and kernels/flash_simt.cu) for one call. bfloat16 and
 * float16 at head width 64 or 128 on an sm_80+ device run on tensor cores; every other case (float32, tf32, float64,
 * other widths) runs the CUDA-core kernel, at the smallest of its compiled widths (32, 64, 128) that holds dh. Inputs
 * may be strided views (the heads of a [B, n, h dh] projection) as long as each row is contiguous; the tensor-core
 * kernel also needs 16-byte aligned rows, else a dense copy is made first. The output is a new dense [B, h, n, dh].
 */
final class FusedAttention {
    static final int MAX_HEAD_DIM = 128;
    /** Query rows per block, in both kernels. */
    static final int BLOCK_ROWS = 128;
    /** Keys per tile of the tensor-core kernel. */
    static final int BLOCK_KEYS = 64;

    private final CudaBackend backend;
    private final CudaRuntime rt;

    FusedAttention(CudaBackend backend, CudaRuntime rt) {
        this.backend = backend;
        this.rt = rt;
    }

    /** Whether this call goes to the tensor-core kernel. */
    static boolean tensorCores(Storage s, int dh, int major) {
        return (s == Storage.BF16 || s == Storage.F16) && (dh == 64 || dh == 128) && major >= 8;
    }

    /** Dynamic shared memory of the tensor-core kernel: the Q tile and two stages of K and V tiles, 2 bytes each. */
    static int sharedBytes(int dh) {
        return (BLOCK_ROWS + 4 * BLOCK_KEYS) * dh * 2;
    }

    /** The kernel's name for a storage type and head width. */
    static String kernelName(Storage s, int dh, int major) {
        if (tensorCores(s, dh, major)) return "flash_mma" + dh + "_" + s.suffix;
        int width = dh <= 32 ? 32 : dh <= 64 ? 64 : 128;
        return "flash_simt" + width + "_" + s.suffix;
    }

    DeviceArray run(AttentionKernel kernel, DeviceArray q, DeviceArray k, DeviceArray v) {
        int b = q.shape[0], h = q.shape[1], n = q.shape[2], dh = q.shape[3];
        Storage s = q.storage;
        boolean mma = tensorCores(s, dh, rt.major);
        q = usable(q, mma);
        k = usable(k, mma);
        v = usable(v, mma);
        DeviceArray out = backend.allocate(q.shape, s);
        if (out.size() == 0) return out;
        long[] longs = {n, dh, h, kernel.causal() ? 1 : 0, kernel.window(),
                kernel.weighting() == AttentionKernel.Weighting.SIGMOID ? 1 : 0,
                q.strides[0], q.strides[1], q.strides[2], k.strides[0], k.strides[1], k.strides[2],
                v.strides[0], v.strides[1], v.strides[2], out.strides[0], out.strides[1], out.strides[2]};
        String name = kernelName(s, dh, rt.major);
        int blocks = (n + BLOCK_ROWS - 1) / BLOCK_ROWS;
        if ((long) b * h > 65535) throw new IllegalArgumentException("fused attention: batch x heads = " + (long) b * h + " exceeds 65535");
        try (Kernels.Args args = new Kernels.Args()) {
            args.pointer(q.address()).pointer(k.address()).pointer(v.address()).pointer(out.address())
                    .struct(longs, kernel.scale(), kernel.bias());
            String file = mma ? "flash_mma.cu" : "flash_simt.cu";
            backend.launchKernel(file, name, blocks, b * h, mma ? 128 : BLOCK_ROWS, mma ? sharedBytes(dh) : 0, args);
        }
        return out;
    }

    /** The array when the kernel can read it in place, else a dense copy. */
    private DeviceArray usable(DeviceArray a, boolean mma) {
        boolean rowsContiguous = a.shape[3] == 1 || a.strides[3] == 1;
        boolean aligned = !mma || (a.address() % 16 == 0 && a.strides[0] % 8 == 0 && a.strides[1] % 8 == 0 && a.strides[2] % 8 == 0);
        return rowsContiguous && aligned ? a : backend.denseCopy(a);
    }
}
