package org.attnbench.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.attnbench.api.AttentionKernel;
import org.attnbench.api.DType;
import org.attnbench.api.Ops;
import org.attnbench.api.Rng;
import org.attnbench.api.Tensor;
import org.attnbench.backend.reference.ReferenceBackend;
import org.attnbench.tck.Numerics;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The fused kernels against the unfused operations on the same GPU: for each weighting, mode and dtype, the fused
 * output's error against a float64 reference (computed on the reference backend from the same, already rounded,
 * inputs) is at most twice the unfused path's error in the same dtype, the usual acceptance rule for FlashAttention
 * kernels. Lengths that are not multiples of the tiles, and head widths 64 (tensor cores for 16-bit types) and 40
 * (CUDA cores). Skipped without a GPU.
 */
class FusedAttentionGpuTest {

    @TestFactory
    Stream<DynamicTest> fusedErrorIsAtMostTwiceTheUnfusedError() {
        List<DynamicTest> tests = new ArrayList<>();
        for (DType dtype : List.of(DType.FLOAT32, DType.BFLOAT16, DType.FLOAT16)) {
            for (int dh : new int[] {64, 40}) {
                for (int n : new int[] {1000, 256}) {
                    for (boolean causal : new boolean[] {false, true}) {
                        for (boolean sigmoid : new boolean[] {false, true}) {
                            double scale = 1 / Math.sqrt(dh);
                            AttentionKernel kernel = sigmoid ? AttentionKernel.sigmoid(causal, -1, scale, -Math.log(n))
                                    : AttentionKernel.softmax(causal, -1, scale);
                            tests.add(DynamicTest.dynamicTest(kernel + " " + dtype + " n=" + n + " dh=" + dh,
                                    () -> check(kernel, dtype, n, dh)));
                        }
                    }
                }
            }
        }
        // a window, both ways
        tests.add(DynamicTest.dynamicTest("softmax window 100 bfloat16", () -> check(AttentionKernel.softmax(false, 100, 0.125), DType.BFLOAT16, 1000, 64)));
        tests.add(DynamicTest.dynamicTest("sigmoid causal window 70 float32", () -> check(AttentionKernel.sigmoid(true, 70, 0.125, -3), DType.FLOAT32, 700, 64)));
        return tests.stream();
    }

    private static void check(AttentionKernel kernel, DType dtype, int n, int dh) {
        CudaBackend gpu = GpuTests.backend();
        int[] shape = {1, 2, n, dh};
        int size = 2 * n * dh;
        Rng rng = new Rng(5);
        Ops ops = Ops.on(gpu, dtype);
        Tensor q = ops.constant(rng.normal(size, 1.0), shape), k = ops.constant(rng.normal(size, 1.0), shape),
                v = ops.constant(rng.normal(size, 1.0), shape);
        double[] fused = ops.toArray(ops.fusedAttention(kernel, q, k, v));
        double[] plain = ops.toArray(SelfCheck.unfused(ops, kernel, q, k, v));
        // the reference sees exactly the values the GPU holds (already rounded to the dtype)
        Ops ref = Ops.on(new ReferenceBackend(), DType.FLOAT64);
        double[] exact = ref.toArray(ref.fusedAttention(kernel, ref.constant(ops.toArray(q), shape),
                ref.constant(ops.toArray(k), shape), ref.constant(ops.toArray(v), shape)));
        double ef = Numerics.scaledError(fused, exact), eu = Numerics.scaledError(plain, exact);
        assertTrue(ef <= 2 * eu, String.format(Locale.ROOT, "%s %s n=%d dh=%d: fused error %.3g, unfused %.3g", kernel, dtype, n, dh, ef, eu));
    }

    /** Peak device memory of one fused call grows linearly in n (nothing n x n): twice n, twice the bytes, within 10%. */
    @Test
    void peakDeviceMemoryOfTheFusedKernelIsLinearInN() {
        CudaBackend gpu = GpuTests.backend();
        long[] peaks = new long[3];
        int[] lengths = {4096, 8192, 16384};
        for (int i = 0; i < lengths.length; i++) {
            Ops ops = Ops.on(gpu, DType.BFLOAT16);
            int[] shape = {1, 8, lengths[i], 64};
            Tensor q = ops.zeros(shape), k = ops.zeros(shape), v = ops.zeros(shape);
            gpu.synchronize();
            long before = gpu.memory().liveBytes();
            try (var scope = gpu.callScope()) {
                resetPeaks(gpu);
                ops.fusedAttention(AttentionKernel.softmax(true, -1, 0.125), q, k, v);
                gpu.synchronize();
                peaks[i] = gpu.memory().livePeakBytes() - before;
            }
        }
        for (int i = 1; i < peaks.length; i++) {
            double ratio = peaks[i] / (double) peaks[i - 1];
            assertTrue(Math.abs(ratio - 2) < 0.2, "peak bytes " + peaks[i - 1] + " at n=" + lengths[i - 1] + ", " + peaks[i]
                    + " at n=" + lengths[i] + ": ratio " + ratio);
        }
    }

    static void resetPeaks(CudaBackend gpu) {
        try {
            CudaRuntime.get().allocator.resetPeaks();
        } catch (NativeLibrary.Missing e) {
            throw new AssertionError(e);
        }
    }
}
