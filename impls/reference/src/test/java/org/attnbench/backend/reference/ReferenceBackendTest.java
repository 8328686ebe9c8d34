package org.attnbench.backend.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.attnbench.api.DType;
import org.attnbench.api.Ops;
import org.attnbench.api.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The reference backend against values worked out by hand. The backend kit compares other backends with this one,
 * so its forward results must be right on their own terms.
 */
class ReferenceBackendTest {
    private final Ops ops = Ops.on(new ReferenceBackend(), DType.FLOAT64);

    private Tensor t(double[] v, int... shape) {
        return ops.constant(v, shape);
    }

    private void expect(double[] expected, Tensor actual) {
        assertArrayEquals(expected, ops.toArray(actual), 1e-12);
    }

    @Test
    void matmulWithTransposesAndBroadcasting() {
        Tensor a = t(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = t(new double[] {1, 0, 0, 1, 1, 1}, 3, 2);
        expect(new double[] {4, 5, 10, 11}, ops.matmul(a, b));
        // a^T (3x2) times a (2x3)
        expect(new double[] {17, 22, 27, 22, 29, 36, 27, 36, 45}, ops.matmul(a, true, a, false));
        // a (2x3) times a^T (3x2)
        expect(new double[] {14, 32, 32, 77}, ops.matmul(a, false, a, true));
        // a batch of two left matrices against one right matrix
        Tensor batch = t(new double[] {1, 2, 3, 4, 5, 6, 0, 0, 0, 1, 1, 1}, 2, 2, 3);
        expect(new double[] {4, 5, 10, 11, 0, 0, 2, 2}, ops.matmul(batch, b));
    }

    @Test
    void softmaxWithAMaskAndAFullyMaskedRow() {
        Tensor x = t(new double[] {0, Math.log(3), 5, 1, 2, 3}, 2, 3);
        Tensor mask = t(new double[] {1, 1, 0, 0, 0, 0}, 2, 3);
        expect(new double[] {0.25, 0.75, 0, 0, 0, 0}, ops.softmax(x, -1, mask));
        double e = Math.exp(1), z = 1 + e + e * e;
        expect(new double[] {1 / z, e / z, e * e / z, 1 / z, e / z, e * e / z},
                ops.softmax(t(new double[] {0, 1, 2, 7, 8, 9}, 2, 3), -1));
    }

    @Test
    void scansForwardAndReverse() {
        Tensor x = t(new double[] {1, 3, 2, 5, -1, 4}, 2, 3);
        expect(new double[] {1, 4, 6, 5, 4, 8}, ops.cumsum(x, 1));
        expect(new double[] {6, 5, 2, 8, 3, 4}, ops.cumsumReverse(x, 1));
        expect(new double[] {1, 3, 3, 5, 5, 5}, ops.cummax(x, 1));
        expect(new double[] {1, 3, 2, 6, 2, 6}, ops.cumsum(x, 0));
    }

    @Test
    void cummaxGradientGoesWhereTheMaximumWasSet() {
        Tensor x = t(new double[] {1, 3, 2, 5, 4}, 5);
        Tensor g = t(new double[] {10, 20, 30, 40, 50}, 5);
        ReferenceBackend b = (ReferenceBackend) ops.backend();
        // running max set at 0, 1, 1, 3, 3
        assertArrayEquals(new double[] {10, 50, 0, 90, 0}, ((ReferenceBackend.Data) b.cummaxBackward(x, g, 0)).v(), 0);
    }

    @Test
    void gatherAndItsAdjointWithRepeatedIndices() {
        Tensor x = t(new double[] {1, 2, 3, 4, 5, 6}, 3, 2);
        Tensor picked = ops.gather(x, 0, new int[] {2, 0, 2});
        expect(new double[] {5, 6, 1, 2, 5, 6}, picked);
        ReferenceBackend b = (ReferenceBackend) ops.backend();
        double[] back = ((ReferenceBackend.Data) b.scatterAdd(t(new double[] {1, 1, 1, 1, 1, 1}, 3, 2), 0,
                new int[] {2, 0, 2}, new int[] {3}, new int[] {3, 2})).v();
        assertArrayEquals(new double[] {1, 1, 0, 0, 2, 2}, back, 0);
    }

    @Test
    void fftOfAConstantIsOneSpikeAndMatchesTheDefinition() {
        expect(new double[] {12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, ops.fft2Real(ops.ones(3, 4)));
        expect(new double[12], ops.fft2Imag(ops.ones(3, 4)));
        double[] x = {1, -2, 0.5, 3, 0, 2, -1, 1, 4, 0, 0, -3};
        double[] re = new double[12], im = new double[12];
        for (int k = 0; k < 3; k++) {
            for (int l = 0; l < 4; l++) {
                for (int j = 0; j < 3; j++) {
                    for (int m = 0; m < 4; m++) {
                        double phase = -2 * Math.PI * (j * k / 3.0 + m * l / 4.0);
                        re[k * 4 + l] += x[j * 4 + m] * Math.cos(phase);
                        im[k * 4 + l] += x[j * 4 + m] * Math.sin(phase);
                    }
                }
            }
        }
        expect(re, ops.fft2Real(t(x, 3, 4)));
        expect(im, ops.fft2Imag(t(x, 3, 4)));
    }

    @Test
    void geluUsesTheExactNormalDistribution() {
        // Phi(1) = 0.841344746068543, so gelu(1) = 0.841344746068543 and gelu(-1) = -(1 - Phi(1)).
        expect(new double[] {0.841344746068543, -0.158655253931457, 0}, ops.gelu(t(new double[] {1, -1, 0}, 3)));
    }

    @Test
    void float32RoundsEveryResult() {
        Ops f32 = Ops.on(new ReferenceBackend(), DType.FLOAT32);
        double third = f32.toArray(f32.div(f32.ones(1), f32.full(3.0, 1)))[0];
        assertEquals((double) (1.0f / 3.0f), third, 0.0);
    }

    @Test
    void layoutOperations() {
        Tensor x = t(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        expect(new double[] {1, 4, 2, 5, 3, 6}, ops.permute(x, 1, 0));
        expect(new double[] {2, 3, 5, 6}, ops.slice(x, 1, 1, 3));
        expect(new double[] {9, 1, 2, 3, 9, 4, 5, 6}, ops.pad(x, 1, 1, 0, 9));
        expect(new double[] {1, 2, 3, 7, 4, 5, 6, 8}, ops.concat(1, x, t(new double[] {7, 8}, 2, 1)));
        expect(new double[] {1, 2, 3, 1, 2, 3}, ops.broadcastTo(t(new double[] {1, 2, 3}, 3), 2, 3));
        expect(new double[] {1, 0, 1, 1, 0, 1}, ops.where(t(new double[] {1, 0, 1}, 3), ops.ones(2, 3), ops.zeros(1)));
        expect(new double[] {1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1}, ops.band(3, 4, -1, 1));
    }
}
