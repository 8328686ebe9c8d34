package org.attnbench.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Stream;

import jdk.incubator.vector.FloatVector;

import org.attnbench.api.AttentionKernel;
import org.attnbench.api.Backend;
import org.attnbench.api.Backends;
import org.attnbench.api.DType;
import org.attnbench.api.Ops;
import org.attnbench.api.Rng;
import org.attnbench.api.Tensor;
import org.attnbench.tck.Numerics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fused attention kernels of the cpu backend against the reference backend's loops (the oracle) in float64, on
 * shapes around the tile sizes, with inputs laid out as the projections hand them over (permuted views); the Vector
 * API and scalar paths against each other; and results independent of the number of threads.
 */
class FusedAttentionKernelTest {
    private static final Backend VECTOR = TestValues.backend();
    private static final Backend SCALAR = new Nd4jBackend(false);
    private static final Backend REFERENCE = Backends.open("reference");
    private static final int Q = FusedAttentionKernel.QUERY_BLOCK;

    static List<AttentionKernel> kernels(int n) {
        List<AttentionKernel> out = new ArrayList<>();
        for (boolean causal : new boolean[] {false, true}) {
            for (int window : new int[] {-1, 0, 1, 5, Q + 3, n, n + 7}) {
                out.add(AttentionKernel.softmax(causal, window, 0.35));
                out.add(AttentionKernel.sigmoid(causal, window, 0.35, -Math.log(n)));
            }
        }
        return out;
    }

    /**
     * [B, h, n, dh] shapes: one key tile or less, exactly one, n not a multiple of the tile, several, odd dh, and more
     * queries than one task takes.
     */
    static Stream<Arguments> cases() {
        int[][] shapes = {{1, 1, 1, 8}, {2, 3, 13, 5}, {1, 2, Q, 16}, {1, 2, Q + 1, 64}, {2, 1, 3 * Q - 7, 24}, {1, 1, 4 * Q + 5, 3},
            {1, 2, FusedAttentionKernel.TASK_QUERIES + 31, 8}};
        List<Arguments> out = new ArrayList<>();
        for (int[] shape : shapes) {
            for (AttentionKernel kernel : kernels(shape[2])) out.add(Arguments.of(kernel, shape));
        }
        return out.stream();
    }

    /** q, k, v as permuted views of [B, n, h, dh] arrays (k and v as Heads.split gives them), q dense. */
    private static Tensor[] inputs(Ops ops, int[] shape, long seed) {
        int b = shape[0], h = shape[1], n = shape[2], dh = shape[3];
        int size = b * h * n * dh;
        Rng rng = new Rng(seed);
        Tensor q = ops.constant(rng.normal(size, 1.5), shape);
        Tensor k = ops.permute(ops.constant(rng.normal(size, 1.5), b, n, h, dh), 0, 2, 1, 3);
        Tensor v = ops.permute(ops.constant(rng.normal(size, 1.0), b, n, h, dh), 0, 2, 1, 3);
        return new Tensor[] {q, k, v};
    }

    private static double[] fused(Backend backend, DType dtype, AttentionKernel kernel, int[] shape, long seed) {
        Ops ops = Ops.on(backend, dtype);
        Tensor[] t = inputs(ops, shape, seed);
        return ops.toArray(ops.fusedAttention(kernel, t[0], t[1], t[2]));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void float64EqualsTheReferenceLoops(AttentionKernel kernel, int[] shape) {
        Numerics.assertClose(kernel + " float64", fused(VECTOR, DType.FLOAT64, kernel, shape, 3),
                fused(REFERENCE, DType.FLOAT64, kernel, shape, 3), 1e-12);
    }

    /**
     * float32, both paths, against the float64 oracle: within twice the error of the unfused float32 path on the same
     * inputs (the rule for fused kernels in variants.md), and never worse than 1e-5 scaled.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void float32IsAsAccurateAsTheUnfusedPath(AttentionKernel kernel, int[] shape) {
        double[] exact = fused(REFERENCE, DType.FLOAT64, kernel, shape, 4);
        double unfused = Numerics.scaledError(unfused(kernel, shape, 4), exact);
        for (Backend path : List.of(VECTOR, SCALAR)) {
            double error = Numerics.scaledError(fused(path, DType.FLOAT32, kernel, shape, 4), exact);
            assertTrue(error <= Math.max(2 * unfused, 1e-6) && error < 1e-5, () -> kernel + " " + path.description()
                    + ": scaled error " + error + " against float64, the unfused float32 path has " + unfused);
        }
    }

    /** The same rule at the benchmarks' length, where a sum over every key would lose accuracy first. */
    @Test
    void float32IsAsAccurateAsTheUnfusedPathAtFourThousand() {
        int[] shape = {1, 1, 4096, 64};
        for (AttentionKernel kernel : List.of(AttentionKernel.softmax(false, -1, 0.125), AttentionKernel.softmax(true, -1, 0.125),
                AttentionKernel.sigmoid(false, -1, 0.125, -Math.log(4096)))) {
            double[] exact = fused(REFERENCE, DType.FLOAT64, kernel, shape, 9);
            double unfused = Numerics.scaledError(unfused(kernel, shape, 9), exact);
            double error = Numerics.scaledError(fused(VECTOR, DType.FLOAT32, kernel, shape, 9), exact);
            assertTrue(error <= 2 * unfused, () -> kernel + ": scaled error " + error + ", the unfused float32 path has " + unfused);
        }
    }

    /** The kernel's definition with the unfused operations of the cpu backend in float32. */
    private static double[] unfused(AttentionKernel kernel, int[] shape, long seed) {
        Ops ops = Ops.on(VECTOR, DType.FLOAT32);
        Tensor[] t = inputs(ops, shape, seed);
        int n = shape[2];
        Tensor logits = ops.mul(ops.matmul(t[0], false, t[1], true), kernel.scale());
        Tensor mask = ops.mask(n, n, kernel::visible);
        Tensor w = kernel.weighting() == AttentionKernel.Weighting.SOFTMAX ? ops.softmax(logits, -1, mask)
                : ops.mul(ops.sigmoid(ops.add(logits, kernel.bias())), mask);
        return ops.toArray(ops.matmul(w, t[2]));
    }

    @Test
    void vectorAndScalarPathsAgree() {
        int[] shape = {2, 2, 3 * Q + 11, 64};
        for (AttentionKernel kernel : kernels(shape[2])) {
            Numerics.assertClose(kernel + ": vector against scalar", fused(VECTOR, DType.FLOAT32, kernel, shape, 5),
                    fused(SCALAR, DType.FLOAT32, kernel, shape, 5), 1e-5);
        }
        assertTrue(VECTOR.description().contains("Vector API"), VECTOR.description());
        // The build's second run of these tests asks for 256-bit vectors (see impls/cpu/pom.xml): check it got them.
        String lanes = System.getProperty("attnbench.test.lanes");
        if (lanes != null) assertTrue(VECTOR.description().contains("(" + lanes + " float lanes)"), VECTOR.description());
        assertTrue(SCALAR.description().contains("scalar path"), SCALAR.description());
    }

    /** Tasks of query blocks, each row computed by one task in a fixed order: bit-identical on 1 and 4 threads. */
    @Test
    void resultsDoNotDependOnTheNumberOfThreads() throws Exception {
        int[] shape = {1, 2, 2 * FusedAttentionKernel.TASK_QUERIES + 5, 16};
        for (AttentionKernel kernel : List.of(AttentionKernel.softmax(true, -1, 0.2), AttentionKernel.sigmoid(false, 40, 0.2, -2))) {
            for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64)) {
                double[] one = on(new ForkJoinPool(1), () -> fused(VECTOR, dtype, kernel, shape, 6));
                double[] four = on(new ForkJoinPool(4), () -> fused(VECTOR, dtype, kernel, shape, 6));
                assertArrayEquals(one, four, kernel + " " + dtype);
            }
        }
    }

    private static double[] on(ForkJoinPool pool, java.util.concurrent.Callable<double[]> work) throws Exception {
        try {
            return pool.submit(work).get();
        } finally {
            pool.shutdown();
        }
    }

    /** Inputs as dense arrays, permuted views, sliced views with an offset and views with a non-unit last stride. */
    @Test
    void readsEveryLayout() {
        int b = 2, h = 3, n = Q + 9, dh = 8;
        AttentionKernel kernel = AttentionKernel.softmax(false, 20, 0.5);
        for (Backend backend : List.of(VECTOR, SCALAR)) {
            Ops ops = Ops.on(backend, DType.FLOAT32);
            Rng rng = new Rng(7);
            Tensor[] dense = new Tensor[3], permuted = new Tensor[3], sliced = new Tensor[3], strided = new Tensor[3];
            for (int i = 0; i < 3; i++) {
                strided[i] = ops.permute(ops.constant(rng.normal(b * h * n * dh, 1), dh, h, n, b), 3, 1, 2, 0);
                dense[i] = ops.constant(ops.toArray(strided[i]), b, h, n, dh);
                permuted[i] = ops.permute(ops.constant(ops.toArray(ops.permute(dense[i], 0, 2, 1, 3)), b, n, h, dh), 0, 2, 1, 3);
                Tensor longer = ops.concat(List.of(ops.zeros(b, h, 5, dh), dense[i]), 2);
                sliced[i] = ops.slice(longer, 2, 5, n + 5);
            }
            double[] expected = ops.toArray(ops.fusedAttention(kernel, dense[0], dense[1], dense[2]));
            assertArrayEquals(expected, ops.toArray(ops.fusedAttention(kernel, permuted[0], permuted[1], permuted[2])));
            assertArrayEquals(expected, ops.toArray(ops.fusedAttention(kernel, sliced[0], sliced[1], sliced[2])));
            assertArrayEquals(expected, ops.toArray(ops.fusedAttention(kernel, strided[0], strided[1], strided[2])));
        }
    }

    /** A query that sees only itself returns its own value exactly (softmax weight 1, window 0). */
    @Test
    void windowZeroReturnsTheValues() {
        int[] shape = {1, 2, 2 * Q + 5, 16};
        Ops ops = Ops.on(VECTOR, DType.FLOAT32);
        Tensor[] t = inputs(ops, shape, 8);
        double[] out = ops.toArray(ops.fusedAttention(AttentionKernel.softmax(false, 0, 1.0), t[0], t[1], t[2]));
        assertArrayEquals(ops.toArray(t[2]), out);
        assertEquals(shape.length, ops.fusedAttention(AttentionKernel.softmax(true, 0, 1.0), t[0], t[1], t[2]).rank());
        assertFalse(SCALAR.description().equals(VECTOR.description()));
    }

    /** A product micro-kernel: C = A B, or C = alpha C + A B (see FusedAttentionKernel.product). */
    private interface MicroKernel {
        void product(float[] a, int panelDepth, float[] b, int bOffset, float[] c, int cOffset, int rows, int depth, float[] alpha);
    }

    /**
     * Both register blocks against double sums, whichever this CPU's vectors select (the other is then run at a lane
     * count it was not chosen for, which its loops allow): panels of 6 and of 8 rows, depths 1, 7 and 64, offsets,
     * storing and accumulating with a scale per query.
     */
    @Test
    void bothMicroKernelsComputeTheProduct() {
        Map<Integer, MicroKernel> kernels = Map.of(6, FusedAttentionKernel::product6x2, 8, FusedAttentionKernel::product8x3);
        Rng rng = new Rng(11);
        int rows = 24, bOffset = 3 * Q, cOffset = 2 * Q;
        for (var entry : kernels.entrySet()) {
            int mr = entry.getKey();
            for (int depth : new int[] {1, 7, 64}) {
                for (boolean accumulate : new boolean[] {false, true}) {
                    double[] a = rng.normal(rows * depth, 1), b = rng.normal(depth * Q, 1), c0 = rng.normal(rows * Q, 1);
                    double[] alpha = rng.uniform(Q, 0, 1);
                    float[] panels = new float[rows * depth], bf = new float[bOffset + depth * Q], c = new float[cOffset + rows * Q + 5];
                    float[] alphaf = new float[Q];
                    for (int r = 0; r < rows; r++) {
                        for (int k = 0; k < depth; k++) panels[r / mr * depth * mr + k * mr + r % mr] = (float) a[r * depth + k];
                    }
                    for (int x = 0; x < depth * Q; x++) bf[bOffset + x] = (float) b[x];
                    for (int x = 0; x < rows * Q; x++) c[cOffset + x] = (float) c0[x];
                    for (int i = 0; i < Q; i++) alphaf[i] = (float) alpha[i];
                    entry.getValue().product(panels, depth, bf, bOffset, c, cOffset, rows, depth, accumulate ? alphaf : null);
                    for (int r = 0; r < rows; r++) {
                        for (int i = 0; i < Q; i++) {
                            double before = accumulate ? alphaf[i] * (double) (float) c0[r * Q + i] : 0;
                            double sum = before, size = Math.abs(before);
                            for (int k = 0; k < depth; k++) {
                                double term = (float) a[r * depth + k] * (double) (float) b[k * Q + i];
                                sum += term;
                                size += Math.abs(term);
                            }
                            double got = c[cOffset + r * Q + i];
                            String where = mr + "-row panels, depth " + depth + (accumulate ? ", accumulating" : "") + ", C[" + r + "][" + i + "]";
                            assertTrue(Math.abs(got - sum) <= 1e-6 * size, where + " = " + got + ", expected " + sum);
                        }
                    }
                    assertEquals(0f, c[cOffset + rows * Q], "written past C");
                }
            }
        }
    }

    /** The sigmoid's reciprocal (a guess from the bits and Newton steps) within 2 float32 ulps over [1, 2^126]. */
    @Test
    void reciprocalIsWithinTwoUlps() {
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        Rng rng = new Rng(12);
        float[] d = new float[64 * lanes];
        double[] u = rng.uniform(d.length, 0, 1);
        for (int x = 0; x < d.length; x++) d[x] = (float) Math.pow(2, 126 * u[x]);
        float[] edges = {1f, 1.5f, 2f, 3f, 1.9999999f, Math.nextUp(1f), 0x1p126f, 0x1.fffffep125f};
        System.arraycopy(edges, 0, d, 0, edges.length);
        for (int x = 0; x < d.length; x += lanes) {
            float[] r = FusedAttentionKernel.reciprocal(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, d, x)).toArray();
            for (int j = 0; j < lanes; j++) {
                double exact = 1.0 / d[x + j];
                assertTrue(Math.abs(r[j] - exact) <= 2 * Math.ulp((float) exact), "1/" + d[x + j] + ": " + r[j] + ", exactly " + exact);
            }
        }
    }
}
