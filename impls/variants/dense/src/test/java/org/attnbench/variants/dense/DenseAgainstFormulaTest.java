package org.attnbench.variants.dense;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.attnbench.api.AttentionLayer;
import org.attnbench.api.Backend;
import org.attnbench.api.BackendProvider;
import org.attnbench.api.Backends;
import org.attnbench.api.DType;
import org.attnbench.api.Mode;
import org.attnbench.api.Ops;
import org.attnbench.api.Parameters;
import org.attnbench.api.Problem;
import org.attnbench.api.Rng;
import org.attnbench.api.Tensor;
import org.attnbench.api.Variants;
import org.attnbench.tck.Numerics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Dense attention on every backend against the textbook formula computed directly in float64. */
class DenseAgainstFormulaTest {

    static Stream<Arguments> cases() {
        return Backends.all().stream().filter(p -> p.unavailableReason() == null).map(BackendProvider::name)
                .flatMap(b -> Stream.of(
                        Arguments.of(b, new Problem(2, 7, 3, 4, Mode.BIDIRECTIONAL)),
                        Arguments.of(b, new Problem(2, 7, 3, 4, Mode.CAUSAL)),
                        Arguments.of(b, new Problem(1, 33, 2, 8, Mode.CAUSAL)),
                        Arguments.of(b, new Problem(1, 1, 1, 5, Mode.CAUSAL))));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void matchesTheFormulaInFloat64(String backendName, Problem p) {
        Backend backend = Backends.open(backendName);
        Ops ops = Ops.on(backend, DType.FLOAT64);
        AttentionLayer layer = AttentionLayer.create(Variants.get("dense"), p, ops, new Rng(5), false);
        double[] x = new Rng(6).normal(p.batch() * p.length() * p.width(), 1.0);
        double[] actual = ops.toArray(layer.forward(ops.constant(x, p.inputShape())));
        Map<String, double[]> w = new LinkedHashMap<>();
        layer.parameters().all().forEach((name, t) -> w.put(name, ops.toArray(t)));
        Numerics.assertClose(backendName + " " + p, actual, formula(p, x, w), 1e-10);
    }

    /** With Wq = 0 every score is equal, so each output is the mean of the values it may see, projected. */
    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void zeroQueriesAverageTheVisibleValues(String backendName, Problem p) {
        Backend backend = Backends.open(backendName);
        Ops ops = Ops.on(backend, DType.FLOAT64);
        AttentionLayer random = AttentionLayer.create(Variants.get("dense"), p, ops, new Rng(7), false);
        Map<String, Tensor> params = new LinkedHashMap<>(random.parameters().all());
        int d = p.width();
        params.put("wq", ops.zeros(d, d));
        AttentionLayer layer = AttentionLayer.withParameters(Variants.get("dense"), p, ops, new Parameters(params));
        double[] x = new Rng(8).normal(p.batch() * p.length() * d, 1.0);
        double[] actual = ops.toArray(layer.forward(ops.constant(x, p.inputShape())));
        double[] wv = ops.toArray(params.get("wv")), wo = ops.toArray(params.get("wo"));
        int n = p.length();
        double[] expected = new double[x.length];
        for (int b = 0; b < p.batch(); b++) {
            for (int i = 0; i < n; i++) {
                int visible = p.causal() ? i + 1 : n;
                double[] meanV = new double[d];
                for (int j = 0; j < visible; j++) {
                    double[] v = project(x, (b * n + j) * d, wv, d);
                    for (int c = 0; c < d; c++) meanV[c] += v[c] / visible;
                }
                double[] out = project(meanV, 0, wo, d);
                System.arraycopy(out, 0, expected, (b * n + i) * d, d);
            }
        }
        Numerics.assertClose(backendName + " " + p, actual, expected, 1e-10);
    }

    private static double[] project(double[] x, int offset, double[] w, int d) {
        double[] out = new double[d];
        for (int c = 0; c < d; c++) {
            double s = 0;
            for (int k = 0; k < d; k++) s += x[offset + k] * w[k * d + c];
            out[c] = s;
        }
        return out;
    }

    /** softmax(Q K^T / sqrt(dh)) V per head, written out loop by loop. */
    static double[] formula(Problem p, double[] x, Map<String, double[]> w) {
        int n = p.length(), d = p.width(), h = p.heads(), dh = p.headDim();
        double[] out = new double[x.length];
        for (int b = 0; b < p.batch(); b++) {
            double[][] q = new double[n][], k = new double[n][], v = new double[n][];
            for (int i = 0; i < n; i++) {
                q[i] = project(x, (b * n + i) * d, w.get("wq"), d);
                k[i] = project(x, (b * n + i) * d, w.get("wk"), d);
                v[i] = project(x, (b * n + i) * d, w.get("wv"), d);
            }
            double[][] concat = new double[n][d];
            for (int head = 0; head < h; head++) {
                int o = head * dh;
                for (int i = 0; i < n; i++) {
                    int last = p.causal() ? i : n - 1;
                    double[] s = new double[last + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= last; j++) {
                        double dot = 0;
                        for (int c = 0; c < dh; c++) dot += q[i][o + c] * k[j][o + c];
                        s[j] = dot / Math.sqrt(dh);
                        max = Math.max(max, s[j]);
                    }
                    double z = 0;
                    for (int j = 0; j <= last; j++) z += (s[j] = Math.exp(s[j] - max));
                    for (int j = 0; j <= last; j++) {
                        for (int c = 0; c < dh; c++) concat[i][o + c] += s[j] / z * v[j][o + c];
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                System.arraycopy(project(concat[i], 0, w.get("wo"), d), 0, out, (b * n + i) * d, d);
            }
        }
        return out;
    }
}
