package org.attnbench.backend.cpu;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import org.jtransforms.fft.DoubleFFT_2D;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The float32 FFT kernel against JTransforms' full complex transform in float64 (an independent implementation), both
 * parts, for sizes from 1 to beyond one vector of rows and columns, several matrices per call.
 */
class FourierKernelTest {

    @ParameterizedTest(name = "{0} x {1}, {2} items")
    @CsvSource({"1, 1, 1", "1, 8, 2", "8, 1, 2", "2, 2, 3", "4, 16, 1", "16, 4, 2", "32, 32, 1", "64, 2, 1", "2, 64, 2",
        "256, 128, 2", "1024, 64, 1"})
    void matchesJTransformsInFloat64(int n1, int n2, int items) {
        SplittableRandom random = new SplittableRandom(n1 * 31L + n2);
        long matrix = (long) n1 * n2;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment in = arena.allocate(items * matrix * Float.BYTES);
            MemorySegment re = arena.allocate(in.byteSize()), im = arena.allocate(in.byteSize());
            for (long i = 0; i < items * matrix; i++) in.setAtIndex(JAVA_FLOAT_UNALIGNED, i, (float) random.nextDouble(-1, 1));
            FourierKernel kernel = new FourierKernel(n1, n2);
            kernel.transform(in, re, items, false);
            kernel.transform(in, im, items, true);
            for (int item = 0; item < items; item++) {
                double[] expected = new double[(int) (2 * matrix)];
                for (int i = 0; i < matrix; i++) expected[i] = in.getAtIndex(JAVA_FLOAT_UNALIGNED, item * matrix + i);
                if (n1 > 1 && n2 > 1) new DoubleFFT_2D(n1, n2).realForwardFull(expected);
                else if (matrix > 1) new org.jtransforms.fft.DoubleFFT_1D(matrix).realForwardFull(expected);
                else expected[1] = 0;
                // float32 rounding of a sum of n1 n2 terms of size ~1, through log2(n1 n2) passes
                double tolerance = 1e-6 * Math.sqrt(matrix) * (2 + Math.log(matrix) / Math.log(2));
                for (int i = 0; i < matrix; i++) {
                    double gotRe = re.getAtIndex(JAVA_FLOAT_UNALIGNED, item * matrix + i);
                    double gotIm = im.getAtIndex(JAVA_FLOAT_UNALIGNED, item * matrix + i);
                    assertTrue(Math.abs(gotRe - expected[2 * i]) <= tolerance,
                            "re at " + item + "/" + i + ": " + gotRe + " vs " + expected[2 * i]);
                    assertTrue(Math.abs(gotIm - expected[2 * i + 1]) <= tolerance,
                            "im at " + item + "/" + i + ": " + gotIm + " vs " + expected[2 * i + 1]);
                }
            }
        }
    }

    @Test
    void takesOnlyPowersOfTwo() {
        assertTrue(FourierKernel.handles(1, 4096));
        assertFalse(FourierKernel.handles(12, 8));
        assertFalse(FourierKernel.handles(8, 7));
    }
}
