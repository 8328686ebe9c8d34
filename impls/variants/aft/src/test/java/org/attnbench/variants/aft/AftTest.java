package org.attnbench.variants.aft;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.attnbench.api.AttentionLayer;
import org.attnbench.api.DType;
import org.attnbench.api.Mode;
import org.attnbench.api.Ops;
import org.attnbench.api.Parameters;
import org.attnbench.api.Problem;
import org.attnbench.api.Rng;
import org.attnbench.api.Tensor;
import org.attnbench.api.Backends;
import org.attnbench.api.Variants;
import org.attnbench.tck.DenseOracle;
import org.attnbench.tck.Numerics;
import org.attnbench.tck.VariantConformance;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The four AFT variants: the kit; each against the per-position formula written as float64 loops; and the
 * identities AFT-full(w = 0) = AFT-simple, AFT-conv = AFT-local with a Toeplitz bias, AFT-local(s >= n) = AFT-full.
 */
class AftTest {

    @TestFactory
    Stream<DynamicNode> kit() {
        return Stream.of("aft-full", "aft-local", "aft-local(s=3)", "aft-simple", "aft-conv", "aft-conv(s=3)")
                .map(s -> VariantConformance.tests(Variants.get(s)));
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String backend : DenseOracle.backends()) {
            for (Mode mode : Mode.values()) {
                for (String spec : List.of("aft-full", "aft-simple", "aft-local(s=3)", "aft-local(s=40)", "aft-conv(s=3)",
                        "aft-conv(s=5)")) {
                    out.add(Arguments.of(backend, spec, new Problem(2, 13, 2, 3, mode)));
                    out.add(Arguments.of(backend, spec, new Problem(1, 1, 1, 4, mode)));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void matchesThePerPositionFormula(String backend, String spec, Problem p) {
        DenseOracle.Run run = DenseOracle.forward(Variants.get(spec), backend, p, 91, 92);
        Numerics.assertClose(backend + " " + spec + " " + p, run.output(), formula(p, run.input(), run.params(), bias(spec, p, run.params())), 1e-10);
    }

    static Stream<Arguments> identityCases() {
        List<Arguments> out = new ArrayList<>();
        for (String backend : DenseOracle.backends()) {
            for (Mode mode : Mode.values()) out.add(Arguments.of(backend, new Problem(2, 11, 1, 4, mode)));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("identityCases")
    void fullWithZeroBiasIsSimple(String backend, Problem p) {
        DenseOracle.Run simple = DenseOracle.forward(Variants.get("aft-simple"), backend, p, 93, 94);
        Map<String, double[]> params = new HashMap<>(simple.params());
        params.put("w", new double[p.length() * p.length()]);
        DenseOracle.Run full = DenseOracle.forward(Variants.get("aft-full"), backend, p, params, 94);
        Numerics.assertClose(backend + " " + p, full.output(), simple.output(), 1e-12);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("identityCases")
    void convIsLocalWithAToeplitzBias(String backend, Problem p) {
        int s = 4, n = p.length(), width = 2 * s - 1;
        DenseOracle.Run conv = DenseOracle.forward(Variants.get("aft-conv(s=4)"), backend, p, 95, 96);
        double[] kernel = conv.params().get("kernel"), band = new double[n * width];
        for (int t = 0; t < n; t++) System.arraycopy(kernel, 0, band, t * width, width); // one head
        Map<String, double[]> params = new HashMap<>(conv.params());
        params.remove("kernel");
        params.put("w", band);
        DenseOracle.Run local = DenseOracle.forward(Variants.get("aft-local(s=4)"), backend, p, params, 96);
        Numerics.assertClose(backend + " " + p, local.output(), conv.output(), 1e-12);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("identityCases")
    void localWithAWindowAsLongAsTheSequenceIsFull(String backend, Problem p) {
        int n = p.length(), s = n, width = 2 * s - 1;
        DenseOracle.Run local = DenseOracle.forward(Variants.get("aft-local(s=" + s + ")"), backend, p, 97, 98);
        double[] band = local.params().get("w"), w = new double[n * n];
        for (int t = 0; t < n; t++) {
            for (int tp = 0; tp < n; tp++) w[t * n + tp] = band[t * width + tp - t + s - 1];
        }
        Map<String, double[]> params = new HashMap<>(local.params());
        params.put("w", w);
        DenseOracle.Run full = DenseOracle.forward(Variants.get("aft-full"), backend, p, params, 98);
        Numerics.assertClose(backend + " " + p, full.output(), local.output(), 1e-10);
    }

    /** Keys a hundred times larger overflow exp in float32 unless the running maximum is taken out. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("identityCases")
    void simpleStaysFiniteAndExactWithHugeKeysInFloat32(String backend, Problem p) {
        Map<String, double[]> params = new HashMap<>(DenseOracle.forward(Variants.get("aft-simple"), backend, p, 99, 100).params());
        double[] wk = params.get("wk").clone();
        for (int i = 0; i < wk.length; i++) wk[i] *= 300;
        params.put("wk", wk);
        double[] expected = DenseOracle.forward(Variants.get("aft-simple"), backend, p, params, 100).output();
        Ops ops = Ops.on(Backends.open(backend), DType.FLOAT32);
        Map<String, Tensor> tensors = new HashMap<>();
        AttentionLayer shapes = AttentionLayer.create(Variants.get("aft-simple"), p, ops, new Rng(0), false);
        shapes.parameters().all().forEach((name, t) -> tensors.put(name, ops.constant(params.get(name), t.shape())));
        AttentionLayer layer = AttentionLayer.withParameters(Variants.get("aft-simple"), p, ops, new Parameters(tensors));
        double[] x = new Rng(100).normal(p.batch() * p.length() * p.width(), 1.0);
        double[] actual = ops.toArray(layer.forward(ops.constant(x, p.inputShape())));
        Numerics.assertFinite(backend + " float32 " + p, actual);
        Numerics.assertClose(backend + " float32 against float64 " + p, actual, expected, 1e-4);
        double maxKey = 0;
        for (int row = 0; row < p.batch() * p.length(); row++) {
            for (double key : DenseOracle.project(x, row * p.width(), wk, p.width())) maxKey = Math.max(maxKey, key);
        }
        assertTrue(maxKey > 89, "the keys must overflow exp in float32 for this test to mean anything: max " + maxKey);
    }

    /** The bias of each variant as a full matrix per channel group: [groups][t][t']. */
    static double[][][] bias(String spec, Problem p, Map<String, double[]> params) {
        int n = p.length();
        if (spec.startsWith("aft-simple")) return new double[1][n][n];
        if (spec.startsWith("aft-full")) {
            double[][][] w = new double[1][n][n];
            for (int t = 0; t < n; t++) System.arraycopy(params.get("w"), t * n, w[0][t], 0, n);
            return w;
        }
        int s = Integer.parseInt(spec.replaceAll("\\D", ""));
        boolean conv = spec.startsWith("aft-conv");
        double[] values = params.get(conv ? "kernel" : "w");
        int groups = conv ? p.heads() : 1, width = 2 * s - 1;
        double[][][] w = new double[groups][n][n];
        for (int g = 0; g < groups; g++) {
            for (int t = 0; t < n; t++) {
                for (int tp = 0; tp < n; tp++) {
                    if (Math.abs(tp - t) < s) w[g][t][tp] = values[(conv ? g : t) * width + tp - t + s - 1];
                }
            }
        }
        return w;
    }

    /** Y_t = sigmoid(Q_t) * sum_t' exp(K_t' + w_tt') V_t' / sum_t' exp(K_t' + w_tt'), then Wo. */
    static double[] formula(Problem p, double[] x, Map<String, double[]> w, double[][][] bias) {
        int n = p.length(), d = p.width(), groups = bias.length;
        double[] out = new double[x.length];
        for (int b = 0; b < p.batch(); b++) {
            double[][] q = new double[n][], k = new double[n][], v = new double[n][];
            for (int t = 0; t < n; t++) {
                q[t] = DenseOracle.project(x, (b * n + t) * d, w.get("wq"), d);
                k[t] = DenseOracle.project(x, (b * n + t) * d, w.get("wk"), d);
                v[t] = DenseOracle.project(x, (b * n + t) * d, w.get("wv"), d);
            }
            for (int t = 0; t < n; t++) {
                double[] y = new double[d];
                for (int c = 0; c < d; c++) {
                    double[][] wg = bias[c / (d / groups)];
                    double num = 0, den = 0;
                    for (int tp = 0; tp < n; tp++) {
                        if (p.causal() && tp > t) continue;
                        double e = Math.exp(k[tp][c] + wg[t][tp]);
                        num += e * v[tp][c];
                        den += e;
                    }
                    y[c] = num / den / (1 + Math.exp(-q[t][c]));
                }
                System.arraycopy(DenseOracle.project(y, 0, w.get("wo"), d), 0, out, (b * n + t) * d, d);
            }
        }
        return out;
    }
}
