package org.attnbench.tck;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.attnbench.api.AttentionLayer;
import org.attnbench.api.BackendProvider;
import org.attnbench.api.Backends;
import org.attnbench.api.DType;
import org.attnbench.api.Ops;
import org.attnbench.api.Parameters;
import org.attnbench.api.Problem;
import org.attnbench.api.Rng;
import org.attnbench.api.Tensor;
import org.attnbench.api.Variant;

/**
 * The float64 oracle for the attention families whose exact identities reduce to dense attention (sparse patterns,
 * Combiner, persistent memory, N-gram): multi-head softmax attention with projections wq, wk, wv, wo, restricted
 * to the pairs a predicate allows, written out loop by loop so it shares no code with any backend.
 */
public final class DenseOracle {
    private DenseOracle() {}

    /** Which key j query i may see (the oracle adds nothing: causality must be part of it). */
    @FunctionalInterface
    public interface Allowed {
        boolean test(int i, int j);
    }

    /** One float64 forward: the input, the parameters as arrays, and the output. */
    public record Run(double[] input, Map<String, double[]> params, double[] output) {}

    /** Names of the backends that can run here. */
    public static List<String> backends() {
        return Backends.all().stream().filter(p -> p.unavailableReason() == null).map(BackendProvider::name).toList();
    }

    /** The variant in float64 on a backend, with parameters from paramSeed and a unit normal input from inputSeed. */
    public static Run forward(Variant v, String backend, Problem p, long paramSeed, long inputSeed) {
        Ops ops = Ops.on(SharedBackends.get(backend), DType.FLOAT64);
        AttentionLayer layer = AttentionLayer.create(v, p, ops, new Rng(paramSeed), false);
        return forward(layer, ops, p, inputSeed);
    }

    /** The variant in float64 with the given parameters. */
    public static Run forward(Variant v, String backend, Problem p, Map<String, double[]> params, long inputSeed) {
        Ops ops = Ops.on(SharedBackends.get(backend), DType.FLOAT64);
        AttentionLayer reference = AttentionLayer.create(v, p, ops, new Rng(0), false);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        reference.parameters().all().forEach((name, t) -> {
            double[] given = params.get(name);
            if (given == null) throw new IllegalArgumentException("no value given for parameter " + name);
            tensors.put(name, ops.constant(given, t.shape()));
        });
        return forward(AttentionLayer.withParameters(v, p, ops, new Parameters(tensors)), ops, p, inputSeed);
    }

    private static Run forward(AttentionLayer layer, Ops ops, Problem p, long inputSeed) {
        double[] x = new Rng(inputSeed).normal(p.batch() * p.length() * p.width(), 1.0);
        double[] y = ops.toArray(layer.forward(ops.constant(x, p.inputShape())));
        Map<String, double[]> w = new LinkedHashMap<>();
        layer.parameters().all().forEach((name, t) -> w.put(name, ops.toArray(t)));
        return new Run(x, w, y);
    }

    /** x W for one row of x (offset into x) and a d x d weight. */
    public static double[] project(double[] x, int offset, double[] w, int d) {
        double[] out = new double[d];
        for (int c = 0; c < d; c++) {
            double s = 0;
            for (int k = 0; k < d; k++) s += x[offset + k] * w[k * d + c];
            out[c] = s;
        }
        return out;
    }

    /**
     * softmax(Q K^T / sqrt(dh)) V per head over the allowed pairs (a row with none gives 0), heads concatenated and
     * projected by wo; extra keys and values per head (persistent memory) may be appended with {@link #withMemory}.
     */
    public static double[] maskedDense(Problem p, double[] x, Map<String, double[]> w, Allowed allowed) {
        return withMemory(p, x, w, allowed, new double[0][0][], new double[0][0][]);
    }

    /**
     * As {@link #maskedDense}, with memKeys[head][m] and memValues[head][m] (dh each) joined to every query's keys
     * in the same softmax, always visible.
     */
    public static double[] withMemory(Problem p, double[] x, Map<String, double[]> w, Allowed allowed,
            double[][][] memKeys, double[][][] memValues) {
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
                int o = head * dh, mem = memKeys.length == 0 ? 0 : memKeys[head].length;
                for (int i = 0; i < n; i++) {
                    double[] s = new double[n + mem];
                    boolean[] ok = new boolean[n + mem];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < n + mem; j++) {
                        ok[j] = j >= n || allowed.test(i, j);
                        if (!ok[j]) continue;
                        double[] key = j < n ? k[j] : memKeys[head][j - n];
                        int ko = j < n ? o : 0;
                        double dot = 0;
                        for (int c = 0; c < dh; c++) dot += q[i][o + c] * key[ko + c];
                        s[j] = dot / Math.sqrt(dh);
                        max = Math.max(max, s[j]);
                    }
                    double z = 0;
                    for (int j = 0; j < n + mem; j++) z += ok[j] ? (s[j] = Math.exp(s[j] - max)) : 0;
                    for (int j = 0; j < n + mem; j++) {
                        if (!ok[j]) continue;
                        double[] value = j < n ? v[j] : memValues[head][j - n];
                        int vo = j < n ? o : 0;
                        for (int c = 0; c < dh; c++) concat[i][o + c] += s[j] / z * value[vo + c];
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
