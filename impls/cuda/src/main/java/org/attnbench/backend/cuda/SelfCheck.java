package org.attnbench.backend.cuda;

import java.util.Locale;

import org.attnbench.api.AttentionKernel;
import org.attnbench.api.Backends;
import org.attnbench.api.DType;
import org.attnbench.api.Ops;
import org.attnbench.api.Rng;
import org.attnbench.api.Tensor;

/**
 * A quick check of a GPU host, for the first minutes on a new machine (scripts/gpu-check runs it): opens the
 * backend, compiles every kernel, compares each fused kernel with the unfused operations at one small size, and
 * times the fused kernels and a bfloat16 cuBLAS product with CUDA events (kernel time only, no JVM or launch
 * overhead), printing TFLOP/s by the FlashAttention convention (4 B h n^2 dh, halved when causal). Exit status 0
 * when every comparison holds, 1 otherwise, 2 when there is no usable GPU. The benchmark figures of record come from
 * the JMH sweep (scripts/gpu-sweep); these are for a first look.
 */
public final class SelfCheck {
    private SelfCheck() {}

    public static void main(String[] args) {
        String why = new CudaBackendProvider().unavailableReason();
        if (why != null) {
            System.err.println("attnbench gpu-check: backend cuda cannot run here: " + why);
            System.exit(2);
        }
        int[] lengths = args.length > 0 ? java.util.Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {4096, 16384};
        CudaBackend gpu = (CudaBackend) Backends.open(CudaBackendProvider.NAME);
        CudaRuntime rt = rt();
        System.out.println("device: " + gpu.description());
        long t0 = System.nanoTime();
        for (String file : Kernels.SOURCES) rt.kernels.function(file, firstKernel(file));
        System.out.printf(Locale.ROOT, "kernels: %d modules ready in %.1f s (NVRTC %d ms, %d from the cache in %s)%n",
                Kernels.SOURCES.size(), (System.nanoTime() - t0) / 1e9, rt.kernels.compileMs, rt.kernels.cacheHits, Kernels.cacheDir());
        boolean ok = true;
        for (DType dtype : new DType[] {DType.FLOAT32, DType.BFLOAT16}) {
            for (boolean sigmoid : new boolean[] {false, true}) {
                for (boolean causal : new boolean[] {false, true}) {
                    ok &= compare(gpu, kernel(sigmoid, causal, 1000), dtype, 1000);
                }
            }
        }
        gemmRate(gpu, 8192);
        for (int n : lengths) {
            for (boolean causal : new boolean[] {false, true}) {
                double dense = time(gpu, kernel(false, causal, n), n), sigmoid = time(gpu, kernel(true, causal, n), n);
                System.out.printf(Locale.ROOT, "fused bfloat16 B=1 h=8 dh=64 n=%d %s: softmax %.3f ms %.1f TFLOP/s, sigmoid %.3f ms %.1f TFLOP/s (%.0f%% faster)%n",
                        n, causal ? "causal" : "bidirectional", dense, tflops(n, causal, dense), sigmoid, tflops(n, causal, sigmoid),
                        100 * (dense / sigmoid - 1));
            }
        }
        CudaBackend.DeviceMemory m = gpu.memory();
        System.out.printf(Locale.ROOT, "allocator: peak live %s, peak held from the driver %s%n",
                DeviceAllocator.bytes(m.livePeakBytes()), DeviceAllocator.bytes(m.reservedPeakBytes()));
        System.out.println(ok ? "gpu-check: ok" : "gpu-check: FAILED (see above)");
        System.exit(ok ? 0 : 1);
    }

    private static CudaRuntime rt() {
        try {
            return CudaRuntime.get();
        } catch (NativeLibrary.Missing e) {
            throw new IllegalStateException(e);
        }
    }

    private static String firstKernel(String file) {
        return switch (file) {
            case "elementwise.cu" -> "copy_f32";
            case "axis.cu" -> "softmax_f32";
            case "index.cu" -> "gather_f32";
            case "flash_simt.cu" -> "flash_simt64_f32";
            default -> "flash_mma64_bf16";
        };
    }

    private static AttentionKernel kernel(boolean sigmoid, boolean causal, int n) {
        return sigmoid ? AttentionKernel.sigmoid(causal, -1, 0.125, -Math.log(n)) : AttentionKernel.softmax(causal, -1, 0.125);
    }

    static double tflops(int n, boolean causal, double ms) {
        double flops = 4.0 * 8 * n * (double) n * 64 / (causal ? 2 : 1);
        return flops / (ms * 1e-3) / 1e12;
    }

    private static boolean compare(CudaBackend gpu, AttentionKernel kernel, DType dtype, int n) {
        int[] shape = {1, 2, n, 64};
        Rng rng = new Rng(3);
        Ops ops = Ops.on(gpu, dtype), f64 = Ops.on(gpu, DType.FLOAT64);
        Tensor q = ops.constant(rng.normal(2 * n * 64, 1.0), shape), k = ops.constant(rng.normal(2 * n * 64, 1.0), shape),
                v = ops.constant(rng.normal(2 * n * 64, 1.0), shape);
        double[] fused = ops.toArray(ops.fusedAttention(kernel, q, k, v));
        double[] plain = ops.toArray(unfused(ops, kernel, q, k, v));
        double[] exact = f64.toArray(unfused(f64, kernel, f64.constant(ops.toArray(q), shape), f64.constant(ops.toArray(k), shape),
                f64.constant(ops.toArray(v), shape)));
        double ef = error(fused, exact), eu = error(plain, exact);
        boolean ok = ef <= 2 * eu;
        System.out.printf(Locale.ROOT, "check %-40s %-8s n=%d: fused error %.3g, unfused %.3g: %s%n", kernel, dtype, n, ef, eu,
                ok ? "ok" : "FAILED (fused more than twice the unfused error)");
        return ok;
    }

    /** The attention a fused kernel computes, written with the unfused operations (logits, mask, weights, product). */
    static Tensor unfused(Ops ops, AttentionKernel kernel, Tensor q, Tensor k, Tensor v) {
        int n = q.dim(2);
        Tensor logits = ops.mul(ops.matmul(q, false, k, true), kernel.scale());
        Tensor mask = ops.mask(n, n, kernel::visible);
        Tensor w = kernel.weighting() == AttentionKernel.Weighting.SOFTMAX ? ops.softmax(logits, -1, mask)
                : ops.mul(ops.sigmoid(ops.add(logits, kernel.bias())), mask);
        return ops.matmul(w, v);
    }

    /** Largest absolute difference over max(1, largest |expected|), as the conformance kit measures it. */
    private static double error(double[] a, double[] e) {
        double diff = 0, scale = 1;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - e[i]));
            scale = Math.max(scale, Math.abs(e[i]));
        }
        return Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff / scale;
    }

    /** Median of 10 timed calls (after 3 warm-up calls) of the fused kernel alone, by CUDA events. */
    private static double time(CudaBackend gpu, AttentionKernel kernel, int n) {
        CudaRuntime rt = rt();
        Ops ops = Ops.on(gpu, DType.BFLOAT16);
        int[] shape = {1, 8, n, 64};
        Rng rng = new Rng(4);
        Tensor q = ops.constant(rng.normal(8 * n * 64, 1.0), shape), k = ops.constant(rng.normal(8 * n * 64, 1.0), shape),
                v = ops.constant(rng.normal(8 * n * 64, 1.0), shape);
        long start = rt.cu.createEvent(), end = rt.cu.createEvent();
        double[] ms = new double[10];
        for (int i = -3; i < ms.length; i++) {
            try (var scope = gpu.callScope()) {
                rt.cu.record(start, rt.stream);
                ops.fusedAttention(kernel, q, k, v);
                rt.cu.record(end, rt.stream);
                double t = rt.cu.elapsedMs(start, end);
                if (i >= 0) ms[i] = t;
            }
        }
        java.util.Arrays.sort(ms);
        return (ms[4] + ms[5]) / 2;
    }

    private static void gemmRate(CudaBackend gpu, int size) {
        CudaRuntime rt = rt();
        Ops ops = Ops.on(gpu, DType.BFLOAT16);
        Tensor a = ops.zeros(size, size), b = ops.zeros(size, size);
        long start = rt.cu.createEvent(), end = rt.cu.createEvent();
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            try (var scope = gpu.callScope()) {
                rt.cu.record(start, rt.stream);
                ops.matmul(a, b);
                rt.cu.record(end, rt.stream);
                best = Math.min(best, rt.cu.elapsedMs(start, end));
            }
        }
        System.out.printf(Locale.ROOT, "cuBLAS bfloat16 gemm %d^3: %.3f ms, %.1f TFLOP/s%n", size, best, 2.0 * size * size * (double) size / (best * 1e-3) / 1e12);
    }
}
