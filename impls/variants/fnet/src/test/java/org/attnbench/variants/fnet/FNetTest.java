package org.attnbench.variants.fnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.attnbench.api.Mode;
import org.attnbench.api.Problem;
import org.attnbench.api.UnsupportedProblemException;
import org.attnbench.api.Variants;
import org.attnbench.tck.DenseOracle;
import org.attnbench.tck.Numerics;
import org.attnbench.tck.VariantConformance;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** FNet by FFT and by DFT matrices: the kit, the two forms against each other and against the DFT written out. */
class FNetTest {

    @TestFactory
    Stream<DynamicNode> kit() {
        return Stream.of("fnet", "fnet:dft").map(s -> VariantConformance.tests(Variants.get(s)));
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String backend : DenseOracle.backends()) {
            out.add(Arguments.of(backend, new Problem(2, 7, 2, 3, Mode.BIDIRECTIONAL)));
            out.add(Arguments.of(backend, new Problem(1, 12, 2, 4, Mode.BIDIRECTIONAL)));
            out.add(Arguments.of(backend, new Problem(1, 1, 1, 5, Mode.BIDIRECTIONAL)));
            out.add(Arguments.of(backend, new Problem(1, 64, 4, 4, Mode.BIDIRECTIONAL)));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void bothFormsEqualTheTwoDimensionalDft(String backend, Problem p) {
        DenseOracle.Run fft = DenseOracle.forward(Variants.get("fnet"), backend, p, 1, 81);
        DenseOracle.Run dft = DenseOracle.forward(Variants.get("fnet:dft"), backend, p, 1, 81);
        double[] expected = realPartOfDft2(p, fft.input(), false);
        Numerics.assertClose(backend + " fnet " + p, fft.output(), expected, 1e-10);
        Numerics.assertClose(backend + " fnet:dft " + p, dft.output(), expected, 1e-10);
        Numerics.assertClose(backend + " fnet:dft against fnet " + p, dft.output(), fft.output(), 1e-10);
    }

    /** Taking the real part between the two transforms is another function; the check can tell them apart. */
    @Test
    void theRealPartIsTakenOnceAtTheEnd() {
        Problem p = new Problem(1, 8, 2, 3, Mode.BIDIRECTIONAL);
        DenseOracle.Run run = DenseOracle.forward(Variants.get("fnet"), DenseOracle.backends().get(0), p, 1, 82);
        double[] wrong = realPartOfDft2(p, run.input(), true);
        assertTrue(Numerics.scaledError(run.output(), wrong) > 1e-3, "real part between the transforms must differ");
    }

    @Test
    void causalFNetIsRefusedNeverRunAsSomethingElse() {
        for (String v : List.of("fnet", "fnet:dft")) {
            var e = assertThrows(UnsupportedProblemException.class,
                    () -> Variants.check(Variants.get(v), new Problem(1, 64, 1, 8, Mode.CAUSAL)));
            assertEquals(v + ": causal mode is not supported (" + v + " supports bidirectional)", e.getMessage());
        }
    }

    @Test
    void theDftFormIsLimitedTo4096() {
        var e = assertThrows(UnsupportedProblemException.class,
                () -> Variants.check(Variants.get("fnet:dft"), new Problem(1, 8192, 1, 8, Mode.BIDIRECTIONAL)));
        assertTrue(e.getMessage().startsWith("fnet:dft: length 8192 is above 4096"), e.getMessage());
        Variants.check(Variants.get("fnet:dft"), new Problem(1, 4096, 1, 8, Mode.BIDIRECTIONAL));
    }

    /** Re(sum_j sum_k x[j][k] e^{-2 pi i (a j / n + c k / d)}) per batch item, or with Re taken after the hidden DFT. */
    static double[] realPartOfDft2(Problem p, double[] x, boolean realPartBetween) {
        int n = p.length(), d = p.width();
        double[] out = new double[x.length];
        for (int b = 0; b < p.batch(); b++) {
            int o = b * n * d;
            double[][] re = new double[n][d], im = new double[n][d];
            for (int j = 0; j < n; j++) {
                for (int c = 0; c < d; c++) {
                    for (int k = 0; k < d; k++) {
                        double angle = -2 * Math.PI * (long) c * k / d;
                        re[j][c] += x[o + j * d + k] * Math.cos(angle);
                        im[j][c] += x[o + j * d + k] * Math.sin(angle);
                    }
                    if (realPartBetween) im[j][c] = 0;
                }
            }
            for (int a = 0; a < n; a++) {
                for (int c = 0; c < d; c++) {
                    double sum = 0;
                    for (int j = 0; j < n; j++) {
                        double angle = -2 * Math.PI * (long) a * j / n;
                        sum += re[j][c] * Math.cos(angle) - im[j][c] * Math.sin(angle);
                    }
                    out[o + a * d + c] = sum;
                }
            }
        }
        return out;
    }
}
