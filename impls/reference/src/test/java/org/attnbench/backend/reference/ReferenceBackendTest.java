package org.attnbench.backend.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.EnumSet;

import org.attnbench.api.Backend;
import org.attnbench.api.Backend.Binary;
import org.attnbench.api.Backend.Reduce;
import org.attnbench.api.Backend.Scalar;
import org.attnbench.api.Backend.Scan;
import org.attnbench.api.Backend.Unary;
import org.attnbench.api.BackendProvider;
import org.attnbench.api.Backends;
import org.attnbench.api.DType;
import org.attnbench.api.Ops;
import org.attnbench.api.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The reference backend against values worked out by hand. The backend kit compares other backends with this one,
 * so its forward results must be right on their own terms. Primitives that {@link Ops} does not expose directly
 * (reverse cummax, cummaxBackward, scatterAdd, GELU's derivative) are called on the backend.
 */
class ReferenceBackendTest {
    private final ReferenceBackend backend = new ReferenceBackend();
    private final Ops ops = Ops.on(backend, DType.FLOAT64);

    private Tensor t(double[] v, int... shape) {
        return ops.constant(v, shape);
    }

    private static double[] range(int from, int to) {
        double[] v = new double[to - from + 1];
        for (int i = 0; i < v.length; i++) v[i] = from + i;
        return v;
    }

    private void expect(double[] expected, Tensor actual) {
        assertArrayEquals(expected, ops.toArray(actual), 1e-12);
    }

    private void expect(double[] expected, int[] shape, Tensor actual) {
        assertArrayEquals(shape, actual.shape());
        expect(expected, actual);
    }

    /** The values behind a handle returned by a primitive called directly. */
    private static double[] raw(Object handle) {
        return ((ReferenceBackend.Data) handle).values;
    }

    // ------------------------------------------------------------------ matmul

    private final Tensor a23 = t(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
    private final Tensor b32 = t(new double[] {1, 0, 0, 1, 1, 1}, 3, 2);

    @Test
    void matmulWithEveryTransposeCombination() {
        expect(new double[] {4, 5, 10, 11}, new int[] {2, 2}, ops.matmul(a23, b32));
        // a^T (3x2) a (2x3): the dot products of a's columns
        expect(new double[] {17, 22, 27, 22, 29, 36, 27, 36, 45}, new int[] {3, 3}, ops.matmul(a23, true, a23, false));
        // a (2x3) a^T (3x2): the dot products of a's rows
        expect(new double[] {14, 32, 32, 77}, new int[] {2, 2}, ops.matmul(a23, false, a23, true));
        // a^T (3x2) b^T (2x3) = (b a)^T
        expect(new double[] {1, 4, 5, 2, 5, 7, 3, 6, 9}, new int[] {3, 3}, ops.matmul(a23, true, b32, true));
    }

    @Test
    void matmulBroadcastsLeadingAxes() {
        // b holds three right matrices: b32, all ones, 2 * b32
        Tensor b = t(new double[] {1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 0, 0, 2, 2, 2}, 3, 3, 2);
        double[] aTimesB = {4, 5, 10, 11, 6, 6, 15, 15, 8, 10, 20, 22};
        // a rank-2 left operand against a batch of three
        expect(aTimesB, new int[] {3, 2, 2}, ops.matmul(a23, b));
        // the same batch stored transposed
        Tensor bT = t(new double[] {1, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 0, 2, 0, 2, 2}, 3, 2, 3);
        expect(aTimesB, new int[] {3, 2, 2}, ops.matmul(a23, false, bT, true));
        // size-1 axes on both sides: [2, 1, 2, 3] x [1, 3, 3, 2] -> [2, 3, 2, 2]; the second left matrix picks
        // row 0 and row 2 of each right matrix
        Tensor a = t(new double[] {1, 2, 3, 4, 5, 6, 1, 0, 0, 0, 0, 1}, 2, 1, 2, 3);
        expect(new double[] {4, 5, 10, 11, 6, 6, 15, 15, 8, 10, 20, 22, 1, 0, 1, 1, 1, 1, 1, 1, 2, 0, 2, 2},
                new int[] {2, 3, 2, 2}, ops.matmul(a, ops.reshape(b, 1, 3, 3, 2)));
        // a batch of left matrices against one right matrix
        expect(new double[] {4, 5, 10, 11, 1, 0, 1, 1}, new int[] {2, 1, 2, 2}, ops.matmul(a, b32));
    }

    // ------------------------------------------------------------------ elementwise

    @Test
    void unaryOperations() {
        Tensor x = t(new double[] {-2, 0, 0.5, 4}, 4);
        assertArrayEquals(new double[] {2, 0, -0.5, -4}, raw(backend.unary(Unary.NEG, x)), 0);
        assertArrayEquals(new double[] {Math.exp(-2), 1, Math.exp(0.5), Math.exp(4)}, raw(backend.unary(Unary.EXP, x)), 0);
        assertArrayEquals(new double[] {0, 0, 0.5, 4}, raw(backend.unary(Unary.RELU, x)), 0);
        assertArrayEquals(new double[] {0, 0, 1, 1}, raw(backend.unary(Unary.STEP, x)), 0);
        assertArrayEquals(new double[] {-1, 0, 1, 1}, raw(backend.unary(Unary.SIGN, x)), 0);
        assertArrayEquals(new double[] {2, 0, 0.5, 4}, raw(backend.unary(Unary.ABS, x)), 0);
        assertArrayEquals(new double[] {4, 0, 0.25, 16}, raw(backend.unary(Unary.SQUARE, x)), 0);
        assertArrayEquals(new double[] {-0.5, Double.POSITIVE_INFINITY, 2, 0.25}, raw(backend.unary(Unary.RECIPROCAL, x)), 0);
        assertArrayEquals(new double[] {0.5, 1, 0.25}, raw(backend.unary(Unary.SQRT, t(new double[] {0.25, 1, 0.0625}, 3))), 0);
        assertArrayEquals(new double[] {0, 1, -1}, raw(backend.unary(Unary.LOG, t(new double[] {1, Math.E, 1 / Math.E}, 3))), 1e-15);
        assertArrayEquals(new double[] {0.5, 1 / (1 + Math.exp(-4))}, raw(backend.unary(Unary.SIGMOID, t(new double[] {0, 4}, 2))), 1e-15);
        assertArrayEquals(new double[] {0, Math.tanh(0.5)}, raw(backend.unary(Unary.TANH, t(new double[] {0, 0.5}, 2))), 0);
    }

    @Test
    void geluUsesTheExactNormalDistribution() {
        Tensor x = t(new double[] {1, -1, 0, -2}, 4);
        // Phi(1) = 0.8413447460685429, Phi(-2) = 0.022750131948179195
        expect(new double[] {0.8413447460685429, -0.15865525393145707, 0, -0.04550026389635842}, ops.gelu(x));
        // Phi(x) + x phi(x), with phi(1) = 0.24197072451914337
        assertArrayEquals(new double[] {1.0833154705876864, -0.08331547058768629, 0.5},
                raw(backend.unary(Unary.GELU_DERIVATIVE, t(new double[] {1, -1, 0}, 3))), 1e-15);
    }

    @Test
    void scalarOperations() {
        Tensor x = t(new double[] {-1, 2, 4}, 3);
        expect(new double[] {2, 5, 7}, ops.add(x, 3));
        expect(new double[] {-0.5, 1, 2}, ops.mul(x, 0.5));
        expect(new double[] {1, 4, 16}, ops.pow(x, 2));
        expect(new double[] {Double.NaN, Math.sqrt(2), 2}, ops.pow(x, 0.5));
        expect(new double[] {0, 2, 4}, ops.maximum(x, 0));
        expect(new double[] {-1, 2, 3}, ops.minimum(x, 3));
        assertArrayEquals(new double[] {-1, 0.5, 0.25}, raw(backend.scalar(Scalar.POW, x, -1)), 0);
    }

    @Test
    void binaryOperationsBroadcast() {
        Tensor col = t(new double[] {1, 2}, 2, 1);
        Tensor row = t(new double[] {0, 2, 4}, 3);
        int[] out = {2, 3};
        expect(new double[] {1, 3, 5, 2, 4, 6}, out, ops.add(col, row));
        expect(new double[] {1, -1, -3, 2, 0, -2}, out, ops.sub(col, row));
        expect(new double[] {0, 2, 4, 0, 4, 8}, out, ops.mul(col, row));
        expect(new double[] {0, 2, 4, 0, 1, 2}, out, ops.div(row, col));
        expect(new double[] {1, 2, 4, 2, 2, 4}, out, ops.maximum(col, row));
        expect(new double[] {0, 1, 1, 0, 2, 2}, out, ops.minimum(col, row));
        expect(new double[] {1, 0, 0, 1, 0, 0}, out, ops.greater(col, row));
        expect(new double[] {0, 0, 0, 0, 1, 0}, out, ops.equal(col, row));
        assertArrayEquals(new double[] {Double.POSITIVE_INFINITY}, raw(backend.binary(Binary.DIV, ops.ones(1), ops.zeros(1), new int[] {1})), 0);
    }

    @Test
    void whereSelectsWhereTheMaskIsNonzero() {
        Tensor mask = t(new double[] {1, 0, -2}, 3);
        Tensor a = t(new double[] {10, 20, 30, 40, 50, 60}, 2, 3);
        Tensor b = t(new double[] {-1, -2}, 2, 1);
        expect(new double[] {10, -1, 30, 40, -2, 60}, new int[] {2, 3}, ops.where(mask, a, b));
    }

    // ------------------------------------------------------------------ reductions, scans

    @Test
    void reductionsKeepTheAxis() {
        Tensor x = t(new double[] {1, 5, 3, -4, 2, 8}, 2, 3);
        expect(new double[] {-3, 7, 11}, new int[] {1, 3}, ops.sum(x, 0));
        expect(new double[] {9, 6}, new int[] {2, 1}, ops.sum(x, 1));
        expect(new double[] {5, 8}, new int[] {2, 1}, ops.max(x, 1));
        expect(new double[] {1, 5, 8}, new int[] {1, 3}, ops.max(x, 0));
        expect(new double[] {3, 2}, new int[] {2, 1}, ops.mean(x, -1));
        // the middle axis of [2, 3, 2]
        expect(new double[] {9, 12, 27, 30}, new int[] {2, 1, 2}, ops.sum(t(range(1, 12), 2, 3, 2), 1));
        assertArrayEquals(new double[] {-4, -1}, raw(backend.reduce(Reduce.MAX, t(new double[] {-7, -4, -1, -3}, 2, 2), 1)), 0);
    }

    @Test
    void scansForwardAndReverse() {
        Tensor x = t(new double[] {1, 3, 2, 5, -1, 4}, 2, 3);
        expect(new double[] {1, 4, 6, 5, 4, 8}, ops.cumsum(x, 1));
        expect(new double[] {6, 5, 2, 8, 3, 4}, ops.cumsumReverse(x, 1));
        expect(new double[] {1, 3, 2, 6, 2, 6}, ops.cumsum(x, 0));
        expect(new double[] {1, 3, 3, 5, 5, 5}, ops.cummax(x, 1));
        expect(new double[] {1, 3, 2, 5, 3, 4}, ops.cummax(x, 0));
        assertArrayEquals(new double[] {3, 3, 2, 5, 4, 4}, raw(backend.scan(Scan.MAX, x, 1, true)), 0);
        // the middle axis of [2, 3, 2], where lines have stride 2
        Tensor y = t(range(1, 12), 2, 3, 2);
        expect(new double[] {1, 2, 4, 6, 9, 12, 7, 8, 16, 18, 27, 30}, ops.cumsum(y, 1));
        expect(new double[] {9, 12, 8, 10, 5, 6, 27, 30, 20, 22, 11, 12}, ops.cumsumReverse(y, 1));
    }

    @Test
    void cummaxGradientGoesWhereTheMaximumWasSet() {
        // running maximum set at 0, 1, 1, 3, 3
        Tensor x = t(new double[] {1, 3, 2, 5, 4}, 5);
        Tensor g = t(new double[] {10, 20, 30, 40, 50}, 5);
        assertArrayEquals(new double[] {10, 50, 0, 90, 0}, raw(backend.cummaxBackward(x, g, 0)), 0);
        // a value equal to the running maximum does not take it over: set at 0, 0, 0, 3, 3
        Tensor ties = t(new double[] {2, 1, 2, 3, 3}, 5);
        Tensor powers = t(new double[] {1, 2, 4, 8, 16}, 5);
        assertArrayEquals(new double[] {7, 0, 0, 24, 0}, raw(backend.cummaxBackward(ties, powers, 0)), 0);
        // along axis 0: column 0 is set at rows 0, 1, 1; column 1 at rows 0, 0, 2
        Tensor x2 = t(new double[] {1, 5, 2, 4, 0, 6}, 3, 2);
        Tensor g2 = t(new double[] {1, 10, 2, 20, 4, 40}, 3, 2);
        assertArrayEquals(new double[] {1, 30, 6, 0, 0, 40}, raw(backend.cummaxBackward(x2, g2, 0)), 0);
    }

    // ------------------------------------------------------------------ softmax

    @Test
    void softmaxWithAMaskAndAFullyMaskedRow() {
        // The masked 1000 must not enter the maximum, or exp would underflow the allowed entries to 0.
        Tensor x = t(new double[] {0, Math.log(3), 1000, 1, 2, 3}, 2, 3);
        Tensor mask = t(new double[] {1, 1, 0, 0, 0, 0}, 2, 3);
        expect(new double[] {0.25, 0.75, 0, 0, 0, 0}, ops.softmax(x, -1, mask));
        // a mask of lower rank broadcasts over the rows
        Tensor y = t(new double[] {0, 7, 0, Math.log(3), 9, 0}, 2, 3);
        expect(new double[] {0.5, 0, 0.5, 0.75, 0, 0.25}, ops.softmax(y, 1, t(new double[] {1, 0, 1}, 3)));
    }

    @Test
    void softmaxWithoutAMask() {
        double e = Math.exp(1), z = 1 + e + e * e;
        // shifting a row leaves it unchanged, even where exp alone would overflow
        expect(new double[] {1 / z, e / z, e * e / z, 1 / z, e / z, e * e / z},
                ops.softmax(t(new double[] {0, 1, 2, 1000, 1001, 1002}, 2, 3), -1));
        // along axis 0
        expect(new double[] {0.25, 0.5, 0.75, 0.5}, ops.softmax(t(new double[] {0, 5, Math.log(3), 5}, 2, 2), 0));
    }

    // ------------------------------------------------------------------ gather and scatterAdd

    @Test
    void gatherAndItsAdjointWithRepeatedIndices() {
        Tensor x = t(new double[] {1, 2, 3, 4, 5, 6}, 3, 2);
        expect(new double[] {5, 6, 1, 2, 5, 6}, new int[] {3, 2}, ops.gather(x, 0, new int[] {2, 0, 2}));
        double[] back = raw(backend.scatterAdd(t(new double[] {1, 10, 100, 1000, 1e4, 1e5}, 3, 2), 0,
                new int[] {2, 0, 2}, new int[] {3}, new int[] {3, 2}));
        assertArrayEquals(new double[] {100, 1000, 0, 0, 10001, 100010}, back, 0);
    }

    @Test
    void gatherOnTheMiddleAxisWithAMatrixOfIndices() {
        Tensor x = t(range(1, 12), 2, 3, 2);
        int[] index = {2, 0, 2, 1};
        expect(new double[] {5, 6, 1, 2, 5, 6, 3, 4, 11, 12, 7, 8, 11, 12, 9, 10}, new int[] {2, 2, 2, 2},
                ops.gather(x, 1, index, 2, 2));
        Tensor g = t(range(1, 16), 2, 2, 2, 2);
        double[] back = raw(backend.scatterAdd(g, 1, index, new int[] {2, 2}, new int[] {2, 3, 2}));
        assertArrayEquals(new double[] {3, 4, 7, 8, 6, 8, 11, 12, 15, 16, 22, 24}, back, 0);
        // adjointness: <gather(x), g> = <x, scatterAdd(g)>
        double[] gathered = ops.toArray(ops.gather(x, 1, index, 2, 2)), gv = ops.toArray(g), xv = ops.toArray(x);
        double left = 0, right = 0;
        for (int i = 0; i < gv.length; i++) left += gathered[i] * gv[i];
        for (int i = 0; i < xv.length; i++) right += xv[i] * back[i];
        assertEquals(left, right, 0);
    }

    // ------------------------------------------------------------------ fft2

    /** The 2-D DFT straight from its definition, one matrix of shape [n1, n2]. */
    private static double[][] directDft(double[] x, int n1, int n2) {
        double[] re = new double[n1 * n2], im = new double[n1 * n2];
        for (int k = 0; k < n1; k++) {
            for (int l = 0; l < n2; l++) {
                for (int j = 0; j < n1; j++) {
                    for (int m = 0; m < n2; m++) {
                        double phase = -2 * Math.PI * ((double) j * k / n1 + (double) m * l / n2);
                        re[k * n2 + l] += x[j * n2 + m] * Math.cos(phase);
                        im[k * n2 + l] += x[j * n2 + m] * Math.sin(phase);
                    }
                }
            }
        }
        return new double[][] {re, im};
    }

    @Test
    void fftMatchesTheDefinition() {
        double[] x = {1, -2, 0.5, 3, 0, 2, -1, 1, 4, 0, 0, -3};
        double[][] dft = directDft(x, 3, 4);
        expect(dft[0], ops.fft2Real(t(x, 3, 4)));
        expect(dft[1], ops.fft2Imag(t(x, 3, 4)));
        // each matrix of a batch on its own
        double[] second = {2, 0, 0, 1, -1, 3, 0.25, 0, 1, 1, -2, 5};
        double[] both = new double[24];
        System.arraycopy(x, 0, both, 0, 12);
        System.arraycopy(second, 0, both, 12, 12);
        double[][] dft2 = directDft(second, 3, 4);
        double[] re = new double[24], im = new double[24];
        System.arraycopy(dft[0], 0, re, 0, 12);
        System.arraycopy(dft2[0], 0, re, 12, 12);
        System.arraycopy(dft[1], 0, im, 0, 12);
        System.arraycopy(dft2[1], 0, im, 12, 12);
        expect(re, new int[] {2, 3, 4}, ops.fft2Real(t(both, 2, 3, 4)));
        expect(im, new int[] {2, 3, 4}, ops.fft2Imag(t(both, 2, 3, 4)));
    }

    @Test
    void fftOfAConstantIsOneSpike() {
        double[] spike = new double[12];
        spike[0] = 12;
        expect(spike, ops.fft2Real(ops.ones(3, 4)));
        expect(new double[12], ops.fft2Imag(ops.ones(3, 4)));
        // quarter-turn twiddles are exact, so with sizes divisible by 4 the zeros are exact too
        double[] spike16 = new double[16];
        spike16[0] = 16;
        assertArrayEquals(spike16, ops.toArray(ops.fft2Real(ops.ones(4, 4))), 0);
        assertArrayEquals(new double[16], ops.toArray(ops.fft2Imag(ops.ones(4, 4))), 0);
    }

    @Test
    void fftOfAShiftedImpulseIsAPhaseRamp() {
        // x = 1 at (1, 0) of a 2x2: Y[k][l] = (-1)^k
        expect(new double[] {1, 1, -1, -1}, ops.fft2Real(t(new double[] {0, 0, 1, 0}, 2, 2)));
        // x = 1 at (0, 1) of 1x4: Y[l] = e^{-i pi l / 2} = 1, -i, -1, i
        expect(new double[] {1, 0, -1, 0}, ops.fft2Real(t(new double[] {0, 1, 0, 0}, 1, 4)));
        expect(new double[] {0, -1, 0, 1}, ops.fft2Imag(t(new double[] {0, 1, 0, 0}, 1, 4)));
    }

    // ------------------------------------------------------------------ dtypes

    @Test
    void float32RoundsEveryResult() {
        Ops f32 = Ops.on(new ReferenceBackend(), DType.FLOAT32);
        assertArrayEquals(new double[] {(float) 0.1}, f32.toArray(f32.constant(new double[] {0.1}, 1)), 0);
        assertArrayEquals(new double[] {(float) 0.1}, f32.toArray(f32.full(0.1, 1)), 0);
        assertArrayEquals(new double[] {1.0f / 3.0f}, f32.toArray(f32.div(f32.ones(1), f32.full(3.0, 1))), 0);
        assertArrayEquals(new double[] {(float) Math.exp(1)}, f32.toArray(f32.exp(f32.ones(1))), 0);
        // a float32 sum would lose the 1e-8 against 1; the reference accumulates in double and rounds once
        Tensor row = f32.constant(new double[] {1, 1e-8, -1}, 1, 3);
        assertArrayEquals(new double[] {1e-8f}, f32.toArray(f32.matmul(row, f32.ones(3, 1))), 0);
        // float64 keeps full precision
        assertArrayEquals(new double[] {1.0 / 3.0}, ops.toArray(ops.div(ops.ones(1), ops.full(3.0, 1))), 0);
    }

    @Test
    void castRoundsToFloatAndWidensExactly() {
        Tensor x = t(new double[] {0.1, 1.0 / 3.0}, 2);
        Tensor narrow = ops.cast(x, DType.FLOAT32);
        assertEquals(DType.FLOAT32, narrow.dtype());
        assertArrayEquals(new double[] {(float) 0.1, (float) (1.0 / 3.0)}, ops.toArray(narrow), 0);
        Tensor wide = ops.cast(narrow, DType.FLOAT64);
        assertArrayEquals(new double[] {(float) 0.1, (float) (1.0 / 3.0)}, ops.toArray(wide), 0);
        // float64 arithmetic on the widened values is no longer rounded
        double third = 1.0 / 3.0;
        assertArrayEquals(new double[] {(float) 0.1 * third, (float) third * third}, ops.toArray(ops.mul(wide, third)), 0);
    }

    // ------------------------------------------------------------------ layout and data movement

    @Test
    void layoutOperations() {
        Tensor x = a23;
        expect(new double[] {1, 4, 2, 5, 3, 6}, new int[] {3, 2}, ops.permute(x, 1, 0));
        expect(new double[] {2, 3, 5, 6}, new int[] {2, 2}, ops.slice(x, 1, 1, 3));
        expect(new double[] {4, 5, 6}, new int[] {1, 3}, ops.slice(x, 0, 1, 2));
        expect(new double[] {9, 1, 2, 3, 9, 4, 5, 6}, new int[] {2, 4}, ops.pad(x, 1, 1, 0, 9));
        expect(new double[] {0, 0, 0, 1, 2, 3, 4, 5, 6, 0, 0, 0, 0, 0, 0}, new int[] {5, 3}, ops.pad(x, 0, 1, 2, 0));
        expect(new double[] {1, 2, 3, 7, 4, 5, 6, 8}, new int[] {2, 4}, ops.concat(1, x, t(new double[] {7, 8}, 2, 1)));
        expect(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, new int[] {3, 3}, ops.concat(0, x, t(new double[] {7, 8, 9}, 1, 3)));
        expect(new double[] {1, 2, 3, 1, 2, 3}, new int[] {2, 3}, ops.broadcastTo(t(new double[] {1, 2, 3}, 3), 2, 3));
        expect(new double[] {1, 1, 2, 2}, new int[] {2, 2}, ops.broadcastTo(t(new double[] {1, 2}, 2, 1), 2, 2));
        expect(new double[] {1, 2, 3, 4, 5, 6}, new int[] {3, 2}, ops.reshape(x, 3, 2));
        expect(new double[] {1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1}, new int[] {3, 4}, ops.band(3, 4, -1, 1));
    }

    @Test
    void permuteOfThreeAxes() {
        // out[c][a][b] = x[a][b][c] for x of shape [2, 3, 4]
        double[] x = range(0, 23);
        double[] expected = new double[24];
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 3; b++) {
                for (int c = 0; c < 4; c++) expected[(c * 2 + a) * 3 + b] = x[(a * 3 + b) * 4 + c];
            }
        }
        expect(expected, new int[] {4, 2, 3}, ops.permute(t(x, 2, 3, 4), 2, 0, 1));
        expect(new double[] {0, 4, 8, 12, 16, 20}, ops.slice(ops.permute(t(x, 2, 3, 4), 2, 0, 1), 0, 0, 1));
    }

    @Test
    void uploadAndDownloadCopy() {
        double[] values = {1, 2, 3};
        Tensor x = t(values, 3);
        values[0] = 99;
        double[] down = ops.toArray(x);
        down[1] = 99;
        assertArrayEquals(new double[] {1, 2, 3}, ops.toArray(x), 0);
    }

    @Test
    void providerIsRegistered() {
        BackendProvider p = Backends.provider("reference");
        assertInstanceOf(ReferenceBackendProvider.class, p);
        assertEquals("cpu", p.device());
        try (Backend b = Backends.open("reference")) {
            assertInstanceOf(ReferenceBackend.class, b);
            assertEquals("reference", b.name());
            assertEquals("cpu", b.device());
            assertEquals(EnumSet.of(DType.FLOAT32, DType.FLOAT64), b.dtypes());
        }
    }
}
