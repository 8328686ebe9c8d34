package org.attnbench.backend.cpu;

import static org.attnbench.backend.cpu.TestValues.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.attnbench.api.Backend;
import org.attnbench.api.Backend.Scan;
import org.attnbench.api.Backend.Unary;
import org.attnbench.api.DType;
import org.attnbench.api.Gradients;
import org.attnbench.api.Ops;
import org.attnbench.api.Tape;
import org.attnbench.api.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each primitive against values worked out by hand, in float32 and float64. Primitives that {@link Ops} does not
 * expose directly (reverse cummax, GELU's derivative) are called on the backend.
 */
class Nd4jBackendValuesTest {
    private static final Backend BACKEND = TestValues.backend();

    private Ops ops;

    private Tensor t(double[] v, int... shape) {
        return ops.constant(v, shape);
    }

    private void expect(double[] expected, int[] shape, Tensor actual) {
        assertArrayEquals(shape, actual.shape(), "shape");
        assertClose(expected, ops.toArray(actual), actual.dtype());
    }

    /** Checks a handle returned by a primitive called directly, read through ND4J rather than download. */
    private void expectRaw(double[] expected, int[] shape, Object handle) {
        assertArrayEquals(shape, TestValues.shape(handle), "shape");
        assertClose(expected, TestValues.values(handle), ops.dtype());
    }

    // ------------------------------------------------------------------ data movement

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void constantFullAndBand(DType dtype) {
        ops = Ops.on(BACKEND, dtype);
        expect(new double[] {1, -2, 3.5, 4, 0.25, -6}, new int[] {2, 3}, t(new double[] {1, -2, 3.5, 4, 0.25, -6}, 2, 3));
        expect(new double[] {2.5, 2.5, 2.5}, new int[] {3}, ops.full(2.5, 3));
        expect(new double[] {0, 0}, new int[] {1, 2}, ops.zeros(1, 2));
        // Causal 3x3, then a window of one each side on 2x4.
        expect(new double[] {1, 0, 0, 1, 1, 0, 1, 1, 1}, new int[] {3, 3}, ops.band(3, 3, -3, 0));
        expect(new double[] {1, 1, 0, 0, 1, 1, 1, 0}, new int[] {2, 4}, ops.band(2, 4, -1, 1));
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void castBothWays(DType dtype) {
        ops = Ops.on(BACKEND, dtype);
        DType other = dtype == DType.FLOAT32 ? DType.FLOAT64 : DType.FLOAT32;
        Tensor c = ops.cast(t(new double[] {1.5, -2, 0.125}, 3), other);
        expect(new double[] {1.5, -2, 0.125}, new int[] {3}, c);
        assertArrayEquals(new double[] {1.5, -2, 0.125}, ops.toArray(ops.cast(c, dtype)));
    }

    // ------------------------------------------------------------------ elementwise

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void unaryOperations(DType dtype) {
        ops = Ops.on(BACKEND, dtype);
        Tensor x = t(new double[] {-1, 0, 2}, 3);
        int[] s = {3};
        expect(new double[] {1, 0, -2}, s, ops.neg(x));
        expect(new double[] {0.36787944117144233, 1, 7.38905609893065}, s, ops.exp(x));
        expect(new double[] {-0.6931471805599453, 0, 1.3862943611198906}, s, ops.log(t(new double[] {0.5, 1, 4}, 3)));
        expect(new double[] {0.2689414213699951, 0.5, 0.8807970779778823}, s, ops.sigmoid(x));
        expect(new double[] {-0.7615941559557649, 0, 0.9640275800758169}, s, ops.tanh(x));
        // x Phi(x) with Phi(-1) = 0.15865525393145707, Phi(2) = 0.9772498680518208.
        expect(new double[] {-0.15865525393145707, 0, 1.9544997361036416}, s, ops.gelu(x));
        // Phi(x) + x phi(x) with phi(1) = 0.24197072451914337, phi(2) = 0.05399096651318806.
        expectRaw(new double[] {-0.0833154705876863, 0.5, 1.0852318010781969}, s, BACKEND.unary(Unary.GELU_DERIVATIVE, x));
        expect(new double[] {0, 0, 2}, s, ops.relu(x));
        expectRaw(new double[] {0, 0, 1}, s, BACKEND.unary(Unary.STEP, x));
        expect(new double[] {0.5, 1, 2}, s, ops.sqrt(t(new double[] {0.25, 1, 4}, 3)));
        expect(new double[] {-1, 2, 0.5}, s, ops.reciprocal(t(new double[] {-1, 0.5, 2}, 3)));
        expect(new double[] {1, 0, 4}, s, ops.square(x));
        expect(new double[] {1, 0, 2}, s, ops.abs(x));
        expectRaw(new double[] {-1, 0, 1}, s, BACKEND.unary(Unary.SIGN, x));
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void scalarOperations(DType dtype) {
        ops = Ops.on(BACKEND, dtype);
        Tensor x = t(new double[] {1, 2, 4}, 3);
        int[] s = {3};
        expect(new double[] {1.5, 2.5, 4.5}, s, ops.add(x, 0.5));
        expect(new double[] {-3, -6, -12}, s, ops.mul(x, -3));
        expect(new double[] {1, 4, 16}, s, ops.pow(x, 2));
        expect(new double[] {1, 1.4142135623730951, 2}, s, ops.pow(x, 0.5));
        expect(new double[] {2, 2, 4}, s, ops.maximum(x, 2));
        expect(new double[] {1, 2, 2}, s, ops.minimum(x, 2));
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void binaryOperationsBroadcast(DType dtype) {
        ops = Ops.on(BACKEND, dtype);
        Tensor a = t(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor row = t(new double[] {10, 20, 30}, 3);
        Tensor col = t(new double[] {1, 2}, 2, 1);
        expect(new double[] {11, 22, 33, 14, 25, 36}, new int[] {2, 3}, ops.add(a, row));
        expect(new double[] {9, 18, 27, 6, 15, 24}, new int[] {2, 3}, ops.sub(row, a));
        expect(new double[] {1, 2, 3, 8, 10, 12}, new int[] {2, 3}, ops.mul(a, col));
        expect(new double[] {1, 2, 3, 2, 2.5, 3}, new int[] {2, 3}, ops.div(a, col));
        // [2,1] against [1,3]: both broadcast.
        expect(new double[] {-9, -19, -29, -8, -18, -28}, new int[] {2, 3}, ops.sub(col, t(new double[] {10, 20, 30}, 1, 3)));
        Tensor b = t(new double[] {3, 2, 1, 4, 4, 4}, 2, 3);
        expect(new double[] {3, 2, 3, 4, 5, 6}, new int[] {2, 3}, ops.maximum(a, b));
        expect(new double[] {1, 2, 1, 4, 4, 4}, new int[] {2, 3}, ops.minimum(a, b));
        expect(new double[] {0, 0, 1, 0, 1, 1}, new int[] {2, 3}, ops.greater(a, b));
        expect(new double[] {0, 1, 0, 1, 0, 0}, new int[] {2, 3}, ops.equal(a, b));
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void whereSelectsByNonzeroMask(DType dtype) {
        ops = Ops.on(BACKEND, dtype);
        Tensor mask = t(new double[] {1, 0}, 2, 1);
        Tensor a = t(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = t(new double[] {-1, -2, -3}, 3);
        expect(new double[] {1, 2, 3, -1, -2, -3}, new int[] {2, 3}, ops.where(mask, a, b));
        // Any nonzero value selects a, negative ones too.
        Tensor mixed = t(new double[] {0, -2, 0.5}, 3);
        expect(new double[] {-1, 2, 3, -1, 5, 6}, new int[] {2, 3}, ops.where(mixed, a, b));
    }

    // ------------------------------------------------------------------ along an axis

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void reductionsKeepTheAxis(DType dtype) {
        ops = Ops.on(BACKEND, dtype);
        Tensor a = t(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        expect(new double[] {5, 7, 9}, new int[] {1, 3}, ops.sum(a, 0));
        expect(new double[] {6, 15}, new int[] {2, 1}, ops.sum(a, 1));
        expect(new double[] {2.5, 3.5, 4.5}, new int[] {1, 3}, ops.mean(a, 0));
        expect(new double[] {2, 5}, new int[] {2, 1}, ops.mean(a, -1));
        Tensor b = t(new double[] {3, -1, 2, -5, 7, 0}, 2, 3);
        expect(new double[] {3, 7, 2}, new int[] {1, 3}, ops.max(b, 0));
        expect(new double[] {3, 7}, new int[] {2, 1}, ops.max(b, 1));
        // The middle axis of [2,2,2].
        Tensor c = t(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2);
        expect(new double[] {4, 6, 12, 14}, new int[] {2, 1, 2}, ops.sum(c, 1));
        expect(new double[] {3, 4, 7, 8}, new int[] {2, 1, 2}, ops.max(c, 1));
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void inclusiveScansBothWays(DType dtype) {
        ops = Ops.on(BACKEND, dtype);
        Tensor x = t(new double[] {1, 3, 2, 5, 4}, 5);
        int[] s = {5};
        expect(new double[] {1, 4, 6, 11, 15}, s, ops.cumsum(x, 0));
        expect(new double[] {15, 14, 11, 9, 4}, s, ops.cumsumReverse(x, 0));
        expect(new double[] {1, 3, 3, 5, 5}, s, ops.cummax(x, 0));
        expectRaw(new double[] {5, 5, 5, 5, 4}, s, BACKEND.scan(Scan.MAX, x, 0, true));
        // Along axis 0 of [3,2]: columns scan independently.
        Tensor m = t(new double[] {1, 10, 2, 20, 3, 30}, 3, 2);
        expect(new double[] {1, 10, 3, 30, 6, 60}, new int[] {3, 2}, ops.cumsum(m, 0));
        expect(new double[] {6, 60, 5, 50, 3, 30}, new int[] {3, 2}, ops.cumsumReverse(m, 0));
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void cummaxGradientGoesWhereTheMaximumWasSet(DType dtype) {
        ops = Ops.on(BACKEND, dtype);
        // Running max of [1,3,2,5,4] is set at 0, 1, 1, 3, 3; weights 1..5 flow there.
        expect(new double[] {1, 5, 0, 9, 0}, new int[] {5}, cummaxGradient(new double[] {1, 3, 2, 5, 4}, 5));
        // Ties do not move the maximum: it stays at the first position.
        expect(new double[] {6, 0, 0}, new int[] {3}, cummaxGradient(new double[] {2, 2, 1}, 3));
        // Along axis 0 of [3,2]: column 0 is [1,0,4], column 1 is [2,5,5].
        expect(new double[] {4, 2, 0, 10, 5, 0}, new int[] {3, 2}, cummaxGradient(new double[] {1, 2, 0, 5, 4, 5}, 3, 2));
    }

    /** d/dx of sum(cummax(x, 0) * w) with w = 1, 2, 3, ... */
    private Tensor cummaxGradient(double[] values, int... shape) {
        Tensor x = ops.parameter(values, shape);
        double[] w = new double[values.length];
        for (int i = 0; i < w.length; i++) w[i] = i + 1;
        try (Tape tape = ops.startTape()) {
            Gradients g = tape.backward(ops.sumAll(ops.mul(ops.cummax(x, 0), t(w, shape))));
            return g.of(x);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void softmaxWithAndWithoutMask(DType dtype) {
        ops = Ops.on(BACKEND, dtype);
        Tensor x = t(new double[] {1, 2, 3, 1000, 1001, 1002}, 2, 3);
        double[] p = {0.09003057317038046, 0.24472847105479764, 0.6652409557748219};
        expect(new double[] {p[0], p[1], p[2], p[0], p[1], p[2]}, new int[] {2, 3}, ops.softmax(x, -1));
        // Along axis 0: each column [a, a + 999] gives 1 / (1 + e^999) ~ 0 and ~ 1.
        expect(new double[] {0, 0, 0, 1, 1, 1}, new int[] {2, 3}, ops.softmax(x, 0));
        // Masked entries are exactly 0 and the others share the whole mass; a fully masked row is all 0.
        Tensor mask = t(new double[] {1, 0, 1, 0, 0, 0}, 2, 3);
        expect(new double[] {0.11920292202211755, 0, 0.8807970779778823, 0, 0, 0}, new int[] {2, 3}, ops.softmax(x, -1, mask));
        // A [3] mask broadcasts over the rows.
        Tensor shared = t(new double[] {0, 1, 1}, 3);
        expect(new double[] {0, 0.2689414213699951, 0.7310585786300049, 0, 0.2689414213699951, 0.7310585786300049},
                new int[] {2, 3}, ops.softmax(x, 1, shared));
    }

    // ------------------------------------------------------------------ indexing

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void gatherAndItsAdjoint(DType dtype) {
        ops = Ops.on(BACKEND, dtype);
        double[] v = {1, 2, 3, 4, 5, 6};
        expect(new double[] {5, 6, 1, 2, 5, 6}, new int[] {3, 2}, ops.gather(t(v, 3, 2), 0, new int[] {2, 0, 2}));
        // An index of shape [2,2] along axis 1 of [2,3].
        expect(new double[] {3, 1, 2, 2, 6, 4, 5, 5}, new int[] {2, 2, 2},
                ops.gather(t(v, 2, 3), 1, new int[] {2, 0, 1, 1}, 2, 2));
        // scatterAdd is gather's adjoint: repeated indices accumulate, untouched rows stay 0.
        Tensor g = t(new double[] {1, 10, 2, 20, 3, 30}, 3, 2);
        expectRaw(new double[] {2, 20, 0, 0, 4, 40}, new int[] {3, 2},
                BACKEND.scatterAdd(g, 0, new int[] {2, 0, 2}, new int[] {3}, new int[] {3, 2}));
        Tensor h = t(new double[] {1, 2, 3, 4}, 2, 2);
        expectRaw(new double[] {0, 3, 0, 0, 7, 0}, new int[] {2, 3},
                BACKEND.scatterAdd(h, 1, new int[] {1, 1}, new int[] {2}, new int[] {2, 3}));
    }

    // ------------------------------------------------------------------ layout

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void layoutOperations(DType dtype) {
        ops = Ops.on(BACKEND, dtype);
        Tensor a = t(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        expect(new double[] {1, 2, 3, 4, 5, 6}, new int[] {3, 2}, ops.reshape(a, 3, 2));
        expect(new double[] {1, 4, 2, 5, 3, 6}, new int[] {3, 2}, ops.permute(a, 1, 0));
        expect(new double[] {2, 3, 5, 6}, new int[] {2, 2}, ops.slice(a, 1, 1, 3));
        expect(new double[] {4, 5, 6}, new int[] {1, 3}, ops.slice(a, 0, 1, 2));
        expect(new double[] {1, 2, 3, 7, 4, 5, 6, 8}, new int[] {2, 4}, ops.concat(1, a, t(new double[] {7, 8}, 2, 1)));
        expect(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, new int[] {3, 3}, ops.concat(0, a, t(new double[] {7, 8, 9}, 1, 3)));
        expect(new double[] {0.5, 1, 2, 3, 0.5, 0.5, 4, 5, 6, 0.5}, new int[] {2, 5}, ops.pad(a, 1, 1, 1, 0.5));
        expect(new double[] {-1, -1, -1, 1, 2, 3, 4, 5, 6}, new int[] {3, 3}, ops.pad(a, 0, 1, 0, -1));
        expect(new double[] {1, 1, 2, 2, 1, 1, 2, 2}, new int[] {2, 2, 2}, ops.broadcastTo(t(new double[] {1, 2}, 2, 1), 2, 2, 2));
    }

    // ------------------------------------------------------------------ products and Fourier

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void matrixProducts(DType dtype) {
        ops = Ops.on(BACKEND, dtype);
        Tensor a = t(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = t(new double[] {1, 0, 0, 1, 1, 1}, 3, 2);
        expect(new double[] {4, 5, 10, 11}, new int[] {2, 2}, ops.matmul(a, b));
        // a^T a and a a^T.
        expect(new double[] {17, 22, 27, 22, 29, 36, 27, 36, 45}, new int[] {3, 3}, ops.matmul(a, true, a, false));
        expect(new double[] {14, 32, 32, 77}, new int[] {2, 2}, ops.matmul(a, false, a, true));
        // (b^T)(a^T) = (a b)^T.
        expect(new double[] {4, 10, 5, 11}, new int[] {2, 2}, ops.matmul(b, true, a, true));
        // A [2,2,3] batch against a shared [3,2] weight, and a [2,1,2,2] x [1,2,2,2] broadcast of batch axes.
        Tensor batch = t(new double[] {1, 2, 3, 4, 5, 6, 0, 0, 1, 1, 0, 0}, 2, 2, 3);
        expect(new double[] {4, 5, 10, 11, 1, 1, 1, 0}, new int[] {2, 2, 2}, ops.matmul(batch, b));
        Tensor left = t(new double[] {1, 0, 0, 1, 2, 0, 0, 2}, 2, 1, 2, 2);
        Tensor right = t(new double[] {1, 2, 3, 4, 0, 1, 1, 0}, 1, 2, 2, 2);
        expect(new double[] {1, 2, 3, 4, 0, 1, 1, 0, 2, 4, 6, 8, 0, 2, 2, 0}, new int[] {2, 2, 2, 2}, ops.matmul(left, right));
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void fourierTransformOfTheLastTwoAxes(DType dtype) {
        ops = Ops.on(BACKEND, dtype);
        // Two items: [[1,2],[3,4]] has DFT [[10,-2],[-4,0]], all real; a constant matrix has its sum at (0,0).
        Tensor x = t(new double[] {1, 2, 3, 4, 1, 1, 1, 1}, 2, 2, 2);
        expect(new double[] {10, -2, -4, 0, 4, 0, 0, 0}, new int[] {2, 2, 2}, ops.fft2Real(x));
        expect(new double[8], new int[] {2, 2, 2}, ops.fft2Imag(x));
        // [1,2,3] as [1,3]: X1 = -1.5 + i sqrt(3)/2, X2 its conjugate.
        Tensor y = t(new double[] {1, 2, 3}, 1, 3);
        double h = Math.sqrt(3) / 2;
        expect(new double[] {6, -1.5, -1.5}, new int[] {1, 3}, ops.fft2Real(y));
        expect(new double[] {0, h, -h}, new int[] {1, 3}, ops.fft2Imag(y));
        // The same values as a column, and a single value, which is its own transform.
        Tensor column = t(new double[] {1, 2, 3}, 3, 1);
        expect(new double[] {6, -1.5, -1.5}, new int[] {3, 1}, ops.fft2Real(column));
        expect(new double[] {0, h, -h}, new int[] {3, 1}, ops.fft2Imag(column));
        Tensor single = t(new double[] {5, -2}, 2, 1, 1);
        expect(new double[] {5, -2}, new int[] {2, 1, 1}, ops.fft2Real(single));
        expect(new double[] {0, 0}, new int[] {2, 1, 1}, ops.fft2Imag(single));
    }
}
