package org.attnbench.backend.cpu;

import static org.attnbench.backend.cpu.TestValues.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import org.attnbench.api.Backend;
import org.attnbench.api.Backend.Scan;
import org.attnbench.api.Backend.Unary;
import org.attnbench.api.DType;
import org.attnbench.api.Heads;
import org.attnbench.api.Ops;
import org.attnbench.api.Rng;
import org.attnbench.api.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Layout: views (permuted, sliced, transposed, offset) as inputs to every primitive, results of products used
 * through views, and non-contiguous tensors downloaded in row-major order.
 */
class Nd4jBackendLayoutTest {
    private static final Backend BACKEND = TestValues.backend();

    /** 0, 1, 2, ... in row-major order, so a value names its position in the base tensor. */
    private static double[] positions(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = i;
        return v;
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void nonContiguousViewsDownloadInRowMajorOrder(DType dtype) {
        Ops ops = Ops.on(BACKEND, dtype);
        Tensor x = ops.constant(positions(24), 2, 3, 4);
        // permute (2,0,1): out[k,i,j] = x[i,j,k] = 12 i + 4 j + k.
        double[] permuted = new double[24];
        for (int k = 0, p = 0; k < 4; k++) for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) permuted[p++] = 12 * i + 4 * j + k;
        assertArrayEquals(permuted, ops.toArray(ops.permute(x, 2, 0, 1)));
        // A slice in the middle axis and one in the last: gaps between rows, an offset from the start.
        assertArrayEquals(new double[] {4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 19, 20, 21, 22, 23}, ops.toArray(ops.slice(x, 1, 1, 3)));
        assertArrayEquals(new double[] {1, 2, 5, 6, 9, 10, 13, 14, 17, 18, 21, 22}, ops.toArray(ops.slice(x, 2, 1, 3)));
        // A slice of a transposed view, and a reshape of a permuted view (which ND4J must copy).
        Tensor t = ops.transpose(x, -1, -2);
        assertArrayEquals(new double[] {1, 5, 9, 13, 17, 21}, ops.toArray(ops.slice(t, 1, 1, 2)));
        assertArrayEquals(new double[] {0, 1, 2, 3, 12, 13, 14, 15, 4, 5, 6, 7, 16, 17, 18, 19, 8, 9, 10, 11, 20, 21, 22, 23},
                ops.toArray(ops.reshape(ops.permute(x, 1, 0, 2), 6, 4)));
    }

    /** Views of a [3, 4, 5] tensor of each kind the backend must read correctly. */
    private static Map<String, Tensor> views(Ops ops) {
        Tensor x = ops.constant(new Rng(11).normal(60, 1.0), 3, 4, 5);
        Map<String, Tensor> v = new LinkedHashMap<>();
        v.put("permuted", ops.permute(x, 2, 0, 1));
        v.put("sliced along the middle axis", ops.slice(x, 1, 1, 3));
        v.put("sliced along the last axis", ops.slice(x, 2, 1, 4));
        v.put("dense with an offset", ops.slice(x, 0, 1, 3));
        v.put("last two axes transposed", ops.transpose(x, -1, -2));
        v.put("reshaped permuted", ops.reshape(ops.permute(x, 1, 0, 2), 4, 3, 5));
        return v;
    }

    /** Every primitive, applied to one tensor of rank 3 (other operands dense, derived from its shape). */
    private static Map<String, Function<Tensor, Tensor>> primitives(Ops ops) {
        Map<String, Function<Tensor, Tensor>> f = new LinkedHashMap<>();
        for (Unary u : Unary.values()) {
            f.put("unary " + u, t -> switch (u) {
                case LOG, SQRT -> ops.sqrt(ops.add(ops.abs(t), 0.5));
                case GELU_DERIVATIVE, STEP, SIGN -> detached(ops, BACKEND.unary(u, t), t.shape());
                default -> unary(ops, u, t);
            });
        }
        f.put("add scalar", t -> ops.add(t, 0.25));
        f.put("mul scalar", t -> ops.mul(t, -3));
        f.put("pow scalar", t -> ops.pow(ops.abs(t), 1.5));
        f.put("maximum scalar", t -> ops.maximum(t, 0.1));
        f.put("minimum scalar", t -> ops.minimum(t, 0.1));
        f.put("add dense", t -> ops.add(t, ramp(ops, t.shape())));
        f.put("sub from dense", t -> ops.sub(ramp(ops, t.shape()), t));
        f.put("mul by last-axis row", t -> ops.mul(t, ramp(ops, t.dim(-1))));
        f.put("div of a column", t -> ops.div(ramp(ops, t.dim(0), 1, 1), ops.add(ops.abs(t), 1)));
        f.put("greater", t -> ops.greater(t, ops.mul(ramp(ops, t.shape()), 0.01)));
        f.put("where with a view as mask", t -> ops.where(ops.greater(t, ops.zeros(1)), t, ramp(ops, t.shape())));
        for (int axis = 0; axis < 3; axis++) {
            int a = axis;
            f.put("sum axis " + a, t -> ops.sum(t, a));
            f.put("max axis " + a, t -> ops.max(t, a));
            f.put("mean axis " + a, t -> ops.mean(t, a));
            f.put("cumsum axis " + a, t -> ops.cumsum(t, a));
            f.put("cumsumReverse axis " + a, t -> ops.cumsumReverse(t, a));
            f.put("cummax axis " + a, t -> ops.cummax(t, a));
            f.put("reverse cummax axis " + a, t -> detached(ops, BACKEND.scan(Scan.MAX, t, a, true), t.shape()));
            f.put("softmax axis " + a, t -> ops.softmax(t, a));
            f.put("concat axis " + a, t -> ops.concat(a, t, t));
            f.put("pad axis " + a, t -> ops.pad(t, a, 2, 1, -0.5));
            f.put("gather axis " + a, t -> ops.gather(t, a, new int[] {1, 0, 1}));
        }
        f.put("softmax with itself as mask", t -> ops.softmax(t, -1, ops.greater(t, ops.zeros(1))));
        f.put("scatterAdd", t -> detached(ops, BACKEND.scatterAdd(t, 1, repeatIndex(t.dim(1)), new int[] {t.dim(1)},
                t.shape()), t.shape()));
        f.put("broadcastTo of a size-1 slice", t -> ops.broadcastTo(ops.slice(t, 1, 0, 1), t.shape()));
        f.put("reshape flat", t -> ops.reshape(t, -1));
        f.put("cast", t -> ops.cast(ops.cast(t, DType.FLOAT32), t.dtype()));
        f.put("fft2Real", ops::fft2Real);
        f.put("fft2Imag", ops::fft2Imag);
        f.put("matmul t t^T", t -> ops.matmul(t, false, t, true));
        f.put("matmul t^T t", t -> ops.matmul(t, true, t, false));
        f.put("matmul by a weight", t -> ops.matmul(t, ramp(ops, t.dim(-1), 3)));
        f.put("matmul of a weight by t", t -> ops.matmul(ramp(ops, 2, t.dim(-2)), t));
        return f;
    }

    private static Tensor unary(Ops ops, Unary u, Tensor t) {
        return switch (u) {
            case NEG -> ops.neg(t);
            case EXP -> ops.exp(t);
            case SIGMOID -> ops.sigmoid(t);
            case TANH -> ops.tanh(t);
            case GELU -> ops.gelu(t);
            case RELU -> ops.relu(t);
            case RECIPROCAL -> ops.reciprocal(ops.add(ops.abs(t), 0.5));
            case SQUARE -> ops.square(t);
            case ABS -> ops.abs(t);
            default -> throw new IllegalArgumentException(u.toString());
        };
    }

    /** Index 1 everywhere but the first: scatterAdd accumulates repeats into one row. */
    private static int[] repeatIndex(int n) {
        int[] idx = new int[n];
        for (int i = 1; i < n; i++) idx[i] = 1;
        return idx;
    }

    /** 0.1, 0.2, ... as a dense tensor of a shape. */
    private static Tensor ramp(Ops ops, int... shape) {
        double[] v = positions((int) org.attnbench.api.Shapes.size(shape));
        for (int i = 0; i < v.length; i++) v[i] = 0.1 * (v[i] + 1);
        return ops.constant(v, shape);
    }

    /** A tensor holding the values behind a handle from a primitive called directly. */
    private static Tensor detached(Ops ops, Object handle, int[] shape) {
        return ops.constant(TestValues.values(handle), shape);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void everyPrimitiveReadsViewsAsTheirValues(DType dtype) {
        Ops ops = Ops.on(BACKEND, dtype);
        // The same kernels on the same values: only a layout mistake can make the two differ (beyond the rounding
        // of a product that BLAS may order differently for a transposed operand).
        double tolerance = dtype == DType.FLOAT32 ? 1e-5 : 1e-12;
        for (Map.Entry<String, Tensor> view : views(ops).entrySet()) {
            Tensor v = view.getValue();
            Tensor copy = ops.constant(ops.toArray(v), v.shape());
            for (Map.Entry<String, Function<Tensor, Tensor>> p : primitives(ops).entrySet()) {
                Tensor fromView = p.getValue().apply(v), fromCopy = p.getValue().apply(copy);
                String what = p.getKey() + " of a view " + view.getKey();
                assertArrayEquals(fromCopy.shape(), fromView.shape(), what);
                try {
                    assertClose(ops.toArray(fromCopy), ops.toArray(fromView), tolerance);
                } catch (AssertionError e) {
                    throw new AssertionError(what + ": " + e.getMessage(), e);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void productsReadThroughViewsAfterwards(DType dtype) {
        Ops ops = Ops.on(BACKEND, dtype);
        Rng rng = new Rng(3);
        double[] av = rng.normal(24, 1.0), bv = rng.normal(20, 1.0);
        Tensor c = ops.matmul(ops.constant(av, 2, 3, 4), ops.constant(bv, 4, 5));
        double[][][] expected = new double[2][3][5];
        for (int b = 0; b < 2; b++) for (int i = 0; i < 3; i++) for (int j = 0; j < 5; j++) {
            for (int k = 0; k < 4; k++) expected[b][i][j] += av[b * 12 + i * 4 + k] * bv[k * 5 + j];
        }
        double[] transposed = new double[30], sliced = new double[12];
        for (int b = 0, p = 0; b < 2; b++) for (int j = 0; j < 5; j++) for (int i = 0; i < 3; i++) transposed[p++] = expected[b][i][j];
        for (int b = 0, p = 0; b < 2; b++) for (int i = 0; i < 3; i++) for (int j = 1; j < 3; j++) sliced[p++] = expected[b][i][j];
        assertClose(transposed, ops.toArray(ops.permute(c, 0, 2, 1)), dtype);
        assertClose(sliced, ops.toArray(ops.slice(c, 2, 1, 3)), dtype);
        double[] flat = new double[30];
        for (int b = 0, p = 0; b < 2; b++) for (int i = 0; i < 3; i++) for (int j = 0; j < 5; j++) flat[p++] = expected[b][i][j];
        assertClose(flat, ops.toArray(ops.reshape(c, 6, 5)), dtype);
        // A product of a product's views: (C^T per item) x ones sums C over its rows.
        Tensor sums = ops.matmul(ops.permute(c, 0, 2, 1), ops.ones(3, 1));
        double[] rowSums = new double[10];
        for (int b = 0; b < 2; b++) for (int j = 0; j < 5; j++) for (int i = 0; i < 3; i++) rowSums[b * 5 + j] += expected[b][i][j];
        assertClose(rowSums, ops.toArray(sums), dtype);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void transposedViewsAndTransposeFlagsAgree(DType dtype) {
        Ops ops = Ops.on(BACKEND, dtype);
        Rng rng = new Rng(5);
        Tensor a = ops.constant(rng.normal(2 * 3 * 4, 1.0), 2, 3, 4);
        Tensor b = ops.constant(rng.normal(2 * 5 * 4, 1.0), 2, 5, 4);
        double[] reference = ops.toArray(ops.matmul(a, false, b, true));
        Tensor bt = ops.transpose(b, -1, -2);
        assertClose(reference, ops.toArray(ops.matmul(a, bt)), dtype);
        // A transposed view used with the transpose flag is the original matrix again.
        Tensor at = ops.transpose(a, -1, -2);
        assertClose(reference, ops.toArray(ops.matmul(at, true, bt, false)), dtype);
        // Both operands transposed: (B A^T)^T = A B^T.
        Tensor product = ops.matmul(b, false, at, false);
        assertClose(reference, ops.toArray(ops.transpose(product, -1, -2)), dtype);
        // A dense operand starting at an offset (the second batch item), against a weight that is itself a slice.
        Tensor big = ops.constant(rng.normal(8 * 5, 1.0), 8, 5);
        Tensor weight = ops.slice(big, 0, 2, 6);
        Tensor item = ops.slice(a, 0, 1, 2);
        double[] w = ops.toArray(weight), x = ops.toArray(item), expected = new double[15];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 5; j++) for (int k = 0; k < 4; k++) expected[i * 5 + j] += x[i * 4 + k] * w[k * 5 + j];
        assertClose(expected, ops.toArray(ops.matmul(item, weight)), dtype);
        assertClose(expected, ops.toArray(ops.matmul(ops.reshape(item, 3, 4), weight)), dtype);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void attentionThroughHeadViewsMatchesAPlainComputation(DType dtype) {
        Ops ops = Ops.on(BACKEND, dtype);
        int n = 5, heads = 2, dh = 3, d = heads * dh;
        Rng rng = new Rng(9);
        double[] xq = rng.normal(n * d, 1.0), xk = rng.normal(n * d, 1.0), xv = rng.normal(n * d, 1.0);
        Tensor q = Heads.split(ops, ops.constant(xq, 1, n, d), heads);
        Tensor k = Heads.split(ops, ops.constant(xk, 1, n, d), heads);
        Tensor v = Heads.split(ops, ops.constant(xv, 1, n, d), heads);
        Tensor causal = ops.band(n, n, -n, 0);
        Tensor out = Heads.merge(ops, ops.matmul(ops.softmax(ops.matmul(q, false, k, true), -1, causal), v));
        assertArrayEquals(new int[] {1, n, d}, out.shape());
        double[] expected = new double[n * d];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < n; i++) {
                double[] s = new double[i + 1];
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int j = 0; j <= i; j++) {
                    for (int c = 0; c < dh; c++) s[j] += xq[i * d + h * dh + c] * xk[j * d + h * dh + c];
                    max = Math.max(max, s[j]);
                }
                for (int j = 0; j <= i; j++) sum += s[j] = Math.exp(s[j] - max);
                for (int j = 0; j <= i; j++) {
                    for (int c = 0; c < dh; c++) expected[i * d + h * dh + c] += s[j] / sum * xv[j * d + h * dh + c];
                }
            }
        }
        assertClose(expected, ops.toArray(out), dtype == DType.FLOAT32 ? 1e-5 : 1e-12);
    }

    @Test
    @SuppressWarnings("try") // the scope is only opened and closed
    void callScopesReuseMemoryWithoutDisturbingTensorsMadeOutside() {
        Ops ops = Ops.on(BACKEND, DType.FLOAT32);
        Tensor x = ops.constant(new Rng(1).normal(64 * 64, 1.0), 64, 64);
        double[] outside = ops.toArray(ops.softmax(ops.matmul(x, false, x, true), -1));
        for (int call = 0; call < 3; call++) {
            try (Backend.CallScope scope = BACKEND.callScope()) {
                Tensor inside = ops.softmax(ops.matmul(x, false, x, true), -1);
                assertClose(outside, ops.toArray(inside), 0.0);
            }
        }
        assertClose(outside, ops.toArray(ops.softmax(ops.matmul(x, false, x, true), -1)), 0.0);
    }
}
