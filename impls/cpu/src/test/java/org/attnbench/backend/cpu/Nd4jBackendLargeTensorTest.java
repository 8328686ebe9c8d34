package org.attnbench.backend.cpu;

import static org.attnbench.backend.cpu.TestValues.assertClose;

import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

import org.attnbench.api.Backend;
import org.attnbench.api.Backend.Unary;
import org.attnbench.api.DType;
import org.attnbench.api.Ops;
import org.attnbench.api.Rng;
import org.attnbench.api.Shapes;
import org.attnbench.api.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The kernels at a size that reaches their vector loops, the scalar tails after them (1100 is not a multiple of
 * any vector length) and the split across threads (the tensor is several parallel chunks, which start in the
 * middle of rows), each against the definition computed here in float64.
 */
class Nd4jBackendLargeTensorTest {
    private static final Backend BACKEND = TestValues.backend();
    private static final int[] SHAPE = {3, 37, 1100};
    private static final int SIZE = 3 * 37 * 1100;

    private static double[] normal(long seed, int n) {
        return new Rng(seed).normal(n, 1.0);
    }

    /** Values of a tensor of shape `from` read at every position of `to`, as numpy broadcasting reads them. */
    private static double[] broadcast(double[] v, int[] from, int[] to) {
        long[] strides = Shapes.broadcastStrides(from, to);
        double[] out = new double[(int) Shapes.size(to)];
        int[] index = new int[to.length];
        for (int p = 0; p < out.length; p++) {
            long offset = 0;
            for (int d = 0; d < to.length; d++) offset += index[d] * strides[d];
            out[p] = v[(int) offset];
            for (int d = to.length - 1; d >= 0 && ++index[d] == to[d]; d--) index[d] = 0;
        }
        return out;
    }

    private static double[] map(double[] v, DoubleUnaryOperator f) {
        double[] r = new double[v.length];
        for (int i = 0; i < r.length; i++) r[i] = f.applyAsDouble(v[i]);
        return r;
    }

    private static double[] zip(double[] a, double[] b, DoubleBinaryOperator f) {
        double[] r = new double[a.length];
        for (int i = 0; i < r.length; i++) r[i] = f.applyAsDouble(a[i], b[i]);
        return r;
    }

    /** Elementwise results: float32 lanes may differ from Math by an ulp or two. */
    private static double elementwise(DType dtype) {
        return dtype == DType.FLOAT32 ? 1e-5 : 1e-13;
    }

    /** Sums over hundreds of float32 terms, in a different order than here. */
    private static double accumulated(DType dtype) {
        return dtype == DType.FLOAT32 ? 3e-4 : 1e-10;
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void unaryAndScalarOperations(DType dtype) {
        Ops ops = Ops.on(BACKEND, dtype);
        double[] x = TestValues.values(ops.constant(normal(1, SIZE), SHAPE).handle());
        Tensor t = ops.constant(x, SHAPE);
        double tol = elementwise(dtype);
        assertClose(map(x, v -> -v), ops.toArray(ops.neg(t)), tol);
        assertClose(map(x, Math::exp), ops.toArray(ops.exp(t)), tol);
        assertClose(map(x, v -> Math.log(Math.abs(v) + 0.1)), ops.toArray(ops.log(ops.add(ops.abs(t), 0.1))), tol);
        assertClose(map(x, v -> 1 / (1 + Math.exp(-v))), ops.toArray(ops.sigmoid(t)), tol);
        assertClose(map(x, Math::tanh), ops.toArray(ops.tanh(t)), tol);
        assertClose(map(x, v -> Math.max(0, v)), ops.toArray(ops.relu(t)), tol);
        assertClose(map(x, v -> v > 0 ? 1 : 0), TestValues.values(BACKEND.unary(Unary.STEP, t)), tol);
        assertClose(map(x, v -> Math.sqrt(Math.abs(v))), ops.toArray(ops.sqrt(ops.abs(t))), tol);
        assertClose(map(x, v -> 1 / v), ops.toArray(ops.reciprocal(t)), tol);
        assertClose(map(x, v -> v * v), ops.toArray(ops.square(t)), tol);
        assertClose(map(x, Math::signum), TestValues.values(BACKEND.unary(Unary.SIGN, t)), tol);
        assertClose(map(x, v -> v * 2.5), ops.toArray(ops.mul(t, 2.5)), tol);
        assertClose(map(x, v -> v - 0.75), ops.toArray(ops.add(t, -0.75)), tol);
        assertClose(map(x, v -> Math.pow(Math.abs(v), 1.7)), ops.toArray(ops.pow(ops.abs(t), 1.7)), tol);
        assertClose(map(x, v -> v * v), ops.toArray(ops.pow(t, 2)), tol);
        assertClose(map(x, v -> Math.max(v, 0.3)), ops.toArray(ops.maximum(t, 0.3)), tol);
        assertClose(map(x, v -> Math.min(v, 0.3)), ops.toArray(ops.minimum(t, 0.3)), tol);
        assertClose(new double[SIZE], ops.toArray(ops.zeros(SHAPE)), 0.0);
        assertClose(map(x, v -> 0.5), ops.toArray(ops.full(0.5, SHAPE)), 0.0);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void binaryOperationsAndWhereUnderEveryBroadcast(DType dtype) {
        Ops ops = Ops.on(BACKEND, dtype);
        double tol = elementwise(dtype);
        int[][] partners = {SHAPE, {1100}, {3, 37, 1}, {37, 1}, {3, 1, 1100}, {1}};
        double[] x = TestValues.values(ops.constant(normal(2, SIZE), SHAPE).handle());
        Tensor t = ops.constant(x, SHAPE);
        for (int[] shape : partners) {
            int n = (int) Shapes.size(shape);
            double[] y = TestValues.values(ops.constant(normal(3, n), shape).handle());
            Tensor u = ops.constant(y, shape);
            double[] yb = broadcast(y, shape, SHAPE);
            assertClose(zip(x, yb, Double::sum), ops.toArray(ops.add(t, u)), tol);
            assertClose(zip(yb, x, (p, q) -> p - q), ops.toArray(ops.sub(u, t)), tol);
            assertClose(zip(x, yb, (p, q) -> p * q), ops.toArray(ops.mul(t, u)), tol);
            assertClose(zip(yb, x, (p, q) -> p / q), ops.toArray(ops.div(u, t)), tol);
            assertClose(zip(x, yb, Math::max), ops.toArray(ops.maximum(t, u)), tol);
            assertClose(zip(yb, x, Math::min), ops.toArray(ops.minimum(u, t)), tol);
            assertClose(zip(x, yb, (p, q) -> p > q ? 1 : 0), ops.toArray(ops.greater(t, u)), 0.0);
            // u equals max(t, u) exactly where u >= t.
            assertClose(zip(yb, x, (p, q) -> p >= q ? 1 : 0), ops.toArray(ops.equal(u, ops.maximum(t, u))), 0.0);
            Tensor mask = ops.greater(u, ops.zeros(1));
            assertClose(zip(yb, x, (m, v) -> m > 0 ? v : -v), ops.toArray(ops.where(mask, t, ops.neg(t))), tol);
            assertClose(zip(yb, x, (m, v) -> m > 0 ? 2 : v), ops.toArray(ops.where(mask, ops.full(2, 1), t)), tol);
            assertClose(yb, ops.toArray(ops.broadcastTo(u, SHAPE)), 0.0);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void reductionsAndScansAlongEveryAxis(DType dtype) {
        Ops ops = Ops.on(BACKEND, dtype);
        double[] x = TestValues.values(ops.constant(normal(4, SIZE), SHAPE).handle());
        Tensor t = ops.constant(x, SHAPE);
        for (int axis = 0; axis < 3; axis++) {
            int outer = 1, inner = 1, len = SHAPE[axis];
            for (int d = 0; d < axis; d++) outer *= SHAPE[d];
            for (int d = axis + 1; d < 3; d++) inner *= SHAPE[d];
            double[] sum = new double[outer * inner], max = new double[outer * inner];
            double[] cumsum = new double[SIZE], cumsumReverse = new double[SIZE], cummax = new double[SIZE];
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < inner; i++) {
                    double s = 0, m = Double.NEGATIVE_INFINITY, r = 0;
                    for (int j = 0; j < len; j++) {
                        int p = (o * len + j) * inner + i, q = (o * len + len - 1 - j) * inner + i;
                        s += x[p];
                        m = Math.max(m, x[p]);
                        r += x[q];
                        cumsum[p] = s;
                        cummax[p] = m;
                        cumsumReverse[q] = r;
                    }
                    sum[o * inner + i] = s;
                    max[o * inner + i] = m;
                }
            }
            double tol = accumulated(dtype);
            assertClose(sum, ops.toArray(ops.sum(t, axis)), tol);
            assertClose(map(sum, s -> s / len), ops.toArray(ops.mean(t, axis)), tol);
            assertClose(max, ops.toArray(ops.max(t, axis)), 0.0);
            assertClose(cumsum, ops.toArray(ops.cumsum(t, axis)), tol);
            assertClose(cumsumReverse, ops.toArray(ops.cumsumReverse(t, axis)), tol);
            assertClose(cummax, ops.toArray(ops.cummax(t, axis)), 0.0);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void softmaxUnderMasksOfEveryShape(DType dtype) {
        Ops ops = Ops.on(BACKEND, dtype);
        double[] x = map(TestValues.values(ops.constant(normal(5, SIZE), SHAPE).handle()), v -> 4 * v);
        Tensor t = ops.constant(x, SHAPE);
        int[][] masks = {{37, 1100}, {3, 1, 1100}, {1100}, SHAPE, {3, 37, 1}};
        for (int[] shape : masks) {
            double[] m = map(normal(6, (int) Shapes.size(shape)), v -> v > -0.5 ? 1 : 0);
            if (shape.length == 3 && shape[2] == 1) m[5] = 0; // a row with nothing allowed
            double[] allowed = broadcast(m, shape, SHAPE);
            assertClose(softmaxRows(x, allowed, 1100), ops.toArray(ops.softmax(t, -1, ops.constant(m, shape))),
                    elementwise(dtype));
        }
        assertClose(softmaxRows(x, map(x, v -> 1), 1100), ops.toArray(ops.softmax(t, 2)), elementwise(dtype));
        // Along the middle axis: the same as the last axis of the transposed tensor.
        Tensor moved = ops.transpose(t, 1, 2);
        double[] movedValues = ops.toArray(moved);
        double[] expected = softmaxRows(movedValues, map(movedValues, v -> 1), 37);
        assertClose(expected, ops.toArray(ops.transpose(ops.softmax(t, 1), 1, 2)), elementwise(dtype));
    }

    /** Softmax of each row of `len` values over its allowed entries; a row with none allowed is all 0. */
    private static double[] softmaxRows(double[] x, double[] allowed, int len) {
        double[] out = new double[x.length];
        for (int start = 0; start < x.length; start += len) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = start; j < start + len; j++) if (allowed[j] != 0) max = Math.max(max, x[j]);
            if (max == Double.NEGATIVE_INFINITY) continue;
            for (int j = start; j < start + len; j++) if (allowed[j] != 0) sum += out[j] = Math.exp(x[j] - max);
            for (int j = start; j < start + len; j++) out[j] /= sum;
        }
        return out;
    }
}
