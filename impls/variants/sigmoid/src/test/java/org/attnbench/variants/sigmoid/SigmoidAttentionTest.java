package org.attnbench.variants.sigmoid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.attnbench.api.AttentionLayer;
import org.attnbench.api.Backends;
import org.attnbench.api.DType;
import org.attnbench.api.Mode;
import org.attnbench.api.Ops;
import org.attnbench.api.Problem;
import org.attnbench.api.Rng;
import org.attnbench.api.Variants;
import org.attnbench.tck.DenseOracle;
import org.attnbench.tck.Numerics;
import org.attnbench.tck.VariantConformance;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Sigmoid attention: the kit, and the formula written out loop by loop in float64 on every backend. */
class SigmoidAttentionTest {

    @TestFactory
    Stream<DynamicNode> kit() {
        return Stream.of(VariantConformance.tests(Variants.get("sigmoid")));
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String backend : DenseOracle.backends()) {
            for (Mode mode : Mode.values()) {
                out.add(Arguments.of(backend, new Problem(2, 7, 3, 4, mode)));
                out.add(Arguments.of(backend, new Problem(1, 40, 2, 8, mode)));
                out.add(Arguments.of(backend, new Problem(1, 1, 1, 5, mode)));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void equalsTheFormula(String backend, Problem p) {
        DenseOracle.Run run = DenseOracle.forward(Variants.get("sigmoid"), backend, p, 61, 62);
        Numerics.assertClose(backend + " " + p, run.output(), formula(p, run.input(), run.params()), 1e-10);
    }

    /**
     * Causal: changing (even hugely) the tokens after position i leaves the outputs up to i bit-identical, since the
     * masked sigmoid weights are multiplied by an exact 0 rather than pushed towards 0 by a large negative logit.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void causalOutputsIgnoreFutureTokensExactly(String backend) {
        Problem p = new Problem(1, 48, 2, 8, Mode.CAUSAL);
        int n = p.length(), d = p.width();
        Ops ops = Ops.on(Backends.open(backend), DType.FLOAT64);
        AttentionLayer layer = AttentionLayer.create(Variants.get("sigmoid"), p, ops, new Rng(63), false);
        double[] x = new Rng(64).normal(n * d, 1.0);
        double[] y = ops.toArray(layer.forward(ops.constant(x, p.inputShape())));
        Rng rng = new Rng(65);
        for (int cut : new int[] {0, 1, 17, n / 2, n - 2}) {
            double[] changed = x.clone();
            double[] noise = rng.normal((n - cut - 1) * d, 100.0);
            System.arraycopy(noise, 0, changed, (cut + 1) * d, noise.length);
            double[] y2 = ops.toArray(layer.forward(ops.constant(changed, p.inputShape())));
            assertArrayEquals(Arrays.copyOf(y, (cut + 1) * d), Arrays.copyOf(y2, (cut + 1) * d),
                    backend + ": outputs at positions <= " + cut + " changed when only later tokens changed");
            assertFalse(Arrays.equals(y, y2), "the later outputs must change, or the check proves nothing");
        }
    }

    static Stream<String> backends() {
        return DenseOracle.backends().stream();
    }

    /** sum over visible j of sigmoid(q_i k_j / sqrt(dh) - log n) v_j per head, then Wo. */
    static double[] formula(Problem p, double[] x, Map<String, double[]> w) {
        int n = p.length(), d = p.width(), dh = p.headDim();
        double[] out = new double[x.length];
        for (int b = 0; b < p.batch(); b++) {
            double[][] q = new double[n][], k = new double[n][], v = new double[n][];
            for (int i = 0; i < n; i++) {
                q[i] = DenseOracle.project(x, (b * n + i) * d, w.get("wq"), d);
                k[i] = DenseOracle.project(x, (b * n + i) * d, w.get("wk"), d);
                v[i] = DenseOracle.project(x, (b * n + i) * d, w.get("wv"), d);
            }
            for (int i = 0; i < n; i++) {
                double[] concat = new double[d];
                for (int head = 0; head < p.heads(); head++) {
                    int o = head * dh;
                    for (int j = 0; j < n; j++) {
                        if (p.causal() && j > i) continue;
                        double dot = 0;
                        for (int c = 0; c < dh; c++) dot += q[i][o + c] * k[j][o + c];
                        double weight = 1 / (1 + Math.exp(-(dot / Math.sqrt(dh) - Math.log(n))));
                        for (int c = 0; c < dh; c++) concat[o + c] += weight * v[j][o + c];
                    }
                }
                System.arraycopy(DenseOracle.project(concat, 0, w.get("wo"), d), 0, out, (b * n + i) * d, d);
            }
        }
        return out;
    }
}
