package org.attnbench.variants.gmlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.attnbench.api.Backends;
import org.attnbench.api.DType;
import org.attnbench.api.Mode;
import org.attnbench.api.Ops;
import org.attnbench.api.Problem;
import org.attnbench.api.Tensor;
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

/** gMLP: the kit, the gating written as loops, the identity at initialisation, causality of W, the length limit. */
class GmlpTest {
    private static final String SGU = "gmlp-sgu(expansion=2)", BLOCK = "gmlp-block(expansion=2)";

    @TestFactory
    Stream<DynamicNode> kit() {
        return Stream.of("gmlp-sgu", "gmlp-block", SGU).map(s -> VariantConformance.tests(Variants.get(s)));
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String backend : DenseOracle.backends()) {
            for (Mode mode : Mode.values()) {
                out.add(Arguments.of(backend, new Problem(2, 9, 2, 3, mode)));
                out.add(Arguments.of(backend, new Problem(1, 16, 1, 4, mode)));
            }
        }
        return out.stream();
    }

    /** Z = GELU(LN(X) U) from the (separately verified) operations; the gating and projections as float64 loops. */
    private static double[] z(Problem p, double[] x, Map<String, double[]> w) {
        Ops ops = Ops.on(Backends.open("reference"), DType.FLOAT64);
        int d = p.width();
        Tensor xt = ops.constant(x, p.inputShape());
        Tensor ln = ops.layerNorm(xt, ops.constant(w.get("ln-gamma"), d), ops.constant(w.get("ln-beta"), d), 1e-5);
        return ops.toArray(ops.gelu(ops.matmul(ln, ops.constant(w.get("u"), d, w.get("u").length / d))));
    }

    /** s(Z) V with s(Z) = Z1 * (W LN(Z2) + b), W masked to t' <= t when causal. */
    private static double[] gating(Problem p, double[] z, Map<String, double[]> w) {
        int n = p.length(), d = p.width(), e = w.get("u").length / d, half = e / 2;
        double[] gamma = w.get("sgu-ln-gamma"), beta = w.get("sgu-ln-beta"), ww = w.get("w"), b = w.get("b"), v = w.get("v");
        double[] out = new double[p.batch() * n * d];
        for (int bi = 0; bi < p.batch(); bi++) {
            double[][] z2 = new double[n][half];
            for (int t = 0; t < n; t++) {
                double mean = 0, var = 0;
                for (int c = 0; c < half; c++) mean += z[(bi * n + t) * e + half + c] / half;
                for (int c = 0; c < half; c++) var += Math.pow(z[(bi * n + t) * e + half + c] - mean, 2) / half;
                for (int c = 0; c < half; c++) {
                    z2[t][c] = (z[(bi * n + t) * e + half + c] - mean) / Math.sqrt(var + 1e-5) * gamma[c] + beta[c];
                }
            }
            for (int t = 0; t < n; t++) {
                double[] s = new double[half];
                for (int c = 0; c < half; c++) {
                    double gate = b[t];
                    for (int tp = 0; tp < n; tp++) {
                        if (!p.causal() || tp <= t) gate += ww[t * n + tp] * z2[tp][c];
                    }
                    s[c] = z[(bi * n + t) * e + c] * gate;
                }
                for (int o = 0; o < d; o++) {
                    double acc = 0;
                    for (int c = 0; c < half; c++) acc += s[c] * v[c * d + o];
                    out[(bi * n + t) * d + o] = acc;
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void matchesTheGatingWrittenAsLoops(String backend, Problem p) {
        DenseOracle.Run sgu = DenseOracle.forward(Variants.get(SGU), backend, p, 101, 102);
        double[] expected = gating(p, z(p, sgu.input(), sgu.params()), sgu.params());
        Numerics.assertClose(backend + " sgu " + p, sgu.output(), expected, 1e-10);
        DenseOracle.Run block = DenseOracle.forward(Variants.get(BLOCK), backend, p, sgu.params(), 102);
        double[] withResidual = expected.clone();
        for (int i = 0; i < withResidual.length; i++) withResidual[i] += block.input()[i];
        Numerics.assertClose(backend + " block " + p, block.output(), withResidual, 1e-10);
    }

    /** With W = 0 and b = 1 the gate is 1: the unit passes Z1 through, so the output is Z1 V. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void atInitialisationTheUnitPassesZ1Through(String backend, Problem p) {
        Map<String, double[]> params = new HashMap<>(DenseOracle.forward(Variants.get(SGU), backend, p, 103, 104).params());
        int n = p.length(), d = p.width(), e = params.get("u").length / d, half = e / 2;
        params.put("w", new double[n * n]);
        double[] ones = new double[n];
        java.util.Arrays.fill(ones, 1.0);
        params.put("b", ones);
        DenseOracle.Run run = DenseOracle.forward(Variants.get(SGU), backend, p, params, 104);
        double[] z = z(p, run.input(), params), v = params.get("v"), expected = new double[run.output().length];
        for (int row = 0; row < p.batch() * n; row++) {
            for (int o = 0; o < d; o++) {
                for (int c = 0; c < half; c++) expected[row * d + o] += z[row * e + c] * v[c * d + o];
            }
        }
        Numerics.assertClose(backend + " " + p, run.output(), expected, 1e-12);
        // The declared initialisation is that identity up to W's tiny values.
        double[] initial = DenseOracle.forward(Variants.get(SGU), backend, p, 103, 104).output();
        assertTrue(Numerics.scaledError(initial, expected) < 1e-3, "default initialisation is near the identity on Z1");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void causalIgnoresTheUpperTriangleOfW(String backend, Problem p) {
        if (!p.causal()) return;
        DenseOracle.Run run = DenseOracle.forward(Variants.get(SGU), backend, p, 105, 106);
        Map<String, double[]> params = new HashMap<>(run.params());
        double[] w = params.get("w").clone();
        int n = p.length();
        for (int t = 0; t < n; t++) {
            for (int tp = t + 1; tp < n; tp++) w[t * n + tp] += 10;
        }
        params.put("w", w);
        assertArrayEquals(run.output(), DenseOracle.forward(Variants.get(SGU), backend, p, params, 106).output(), 0.0);
    }

    @Test
    void aLengthAboveTheMaximumIsRefused() {
        var e = assertThrows(UnsupportedProblemException.class,
                () -> Variants.check(Variants.get("gmlp-sgu"), new Problem(1, 8192, 8, 64, Mode.BIDIRECTIONAL)));
        assertEquals("gmlp-sgu: length 8192 is above the maximum length 4096 its spatial weights are built for (option max-length)",
                e.getMessage());
        Variants.check(Variants.get("gmlp-sgu(max-length=8192)"), new Problem(1, 8192, 8, 64, Mode.BIDIRECTIONAL));
    }
}
