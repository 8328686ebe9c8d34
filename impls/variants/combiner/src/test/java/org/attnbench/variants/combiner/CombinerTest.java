package org.attnbench.variants.combiner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
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

/** Combiner-Fixed and Combiner-Axial: the kit, the definition written as loops, and the identities with dense. */
class CombinerTest {

    @TestFactory
    Stream<DynamicNode> kit() {
        return Stream.of("combiner-fixed", "combiner-fixed(span=4,pool=mean)", "combiner-axial",
                "combiner-axial(row=4,pool=mean)").map(s -> VariantConformance.tests(Variants.get(s)));
    }

    static Stream<Arguments> identities() {
        List<Arguments> out = new ArrayList<>();
        for (String backend : DenseOracle.backends()) {
            for (Mode mode : Mode.values()) {
                for (String pool : List.of("max", "mean")) {
                    out.add(Arguments.of(backend, "combiner-fixed(span=1,pool=" + pool + ")", new Problem(2, 12, 2, 3, mode)));
                    out.add(Arguments.of(backend, "combiner-fixed(span=12,pool=" + pool + ")", new Problem(2, 12, 2, 3, mode)));
                    out.add(Arguments.of(backend, "combiner-axial(row=12,pool=" + pool + ")", new Problem(2, 12, 2, 3, mode)));
                }
            }
        }
        return out.stream();
    }

    /** Span 1 and span n (and a single grid row) are dense attention, causal and bidirectional. */
    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("identities")
    void extremeSpansAreDenseAttention(String backend, String spec, Problem p) {
        DenseOracle.Run combiner = DenseOracle.forward(Variants.get(spec), backend, p, 31, 32);
        DenseOracle.Run dense = DenseOracle.forward(Variants.get("dense"), backend, p, combiner.params(), 32);
        Numerics.assertClose(backend + " " + spec + " " + p, combiner.output(), dense.output(), 1e-10);
    }

    /** The own span counted again as a summary (as the public code does bidirectionally) is a different function. */
    @Test
    void theOwnSpanIsNotASummaryTwice() {
        Problem p = new Problem(1, 12, 2, 3, Mode.BIDIRECTIONAL);
        String backend = DenseOracle.backends().get(0);
        DenseOracle.Run run = DenseOracle.forward(Variants.get("combiner-fixed(span=3)"), backend, p, 41, 42);
        double[] right = fixedOracle(p, run, 3, true, false);
        double[] doubleCounted = fixedOracle(p, run, 3, true, true);
        Numerics.assertClose("span 3", run.output(), right, 1e-10);
        assertTrue(Numerics.scaledError(run.output(), doubleCounted) > 1e-4, "the double-counting oracle must differ");
    }

    static Stream<Arguments> definitions() {
        List<Arguments> out = new ArrayList<>();
        for (String backend : DenseOracle.backends()) {
            for (Mode mode : Mode.values()) {
                for (String pool : List.of("max", "mean")) {
                    out.add(Arguments.of(backend, "combiner-fixed(span=4,pool=" + pool + ")", new Problem(2, 16, 2, 3, mode)));
                    out.add(Arguments.of(backend, "combiner-fixed(span=3,pool=" + pool + ")", new Problem(1, 18, 1, 4, mode)));
                    out.add(Arguments.of(backend, "combiner-axial(row=4,pool=" + pool + ")", new Problem(2, 16, 2, 3, mode)));
                    out.add(Arguments.of(backend, "combiner-axial(row=3,pool=" + pool + ")", new Problem(1, 15, 1, 4, mode)));
                    out.add(Arguments.of(backend, "combiner-axial(row=1,pool=" + pool + ")", new Problem(1, 5, 1, 4, mode)));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("definitions")
    void matchesTheDefinitionWrittenAsLoops(String backend, String spec, Problem p) {
        CombinerAttention v = (CombinerAttention) Variants.get(spec);
        DenseOracle.Run run = DenseOracle.forward(v, backend, p, 51, 52);
        boolean max = v.options().is("pool", "max");
        double[] expected = v instanceof CombinerFixed
                ? fixedOracle(p, run, v.span("span", p.length()), max, false)
                : axialOracle(p, run, v.span("row", p.length()), max);
        Numerics.assertClose(backend + " " + spec + " " + p, run.output(), expected, 1e-10);
    }

    @Test
    void aSpanThatDoesNotDivideTheLengthIsRefused() {
        var e = assertThrows(UnsupportedProblemException.class,
                () -> Variants.check(Variants.get("combiner-fixed(span=5)"), new Problem(1, 12, 1, 4, Mode.CAUSAL)));
        assertEquals("combiner-fixed: length 12 is not a multiple of the span 5 (option span)", e.getMessage());
        assertEquals(64, ((CombinerAttention) Variants.get("combiner-fixed")).span("span", 4096));
        assertEquals(64, ((CombinerAttention) Variants.get("combiner-fixed")).span("span", 8192));
    }

    // ------------------------------------------------------------------ the definition, loop by loop

    private static double[] fixedOracle(Problem p, DenseOracle.Run run, int s, boolean max, boolean doubleCountOwnSpan) {
        int n = p.length();
        return oracle(p, run, max, (i, j) -> j / s == i / s && (!p.causal() || j <= i), i -> {
            List<int[]> regions = new ArrayList<>();
            for (int r = 0; r < n / s; r++) {
                boolean visible = p.causal() ? r < i / s : (doubleCountOwnSpan || r != i / s);
                if (!visible) continue;
                int[] span = new int[s];
                for (int c = 0; c < s; c++) span[c] = r * s + c;
                regions.add(span);
            }
            return regions;
        });
    }

    private static double[] axialOracle(Problem p, DenseOracle.Run run, int cols, boolean max) {
        int n = p.length(), rows = n / cols;
        return oracle(p, run, max, (i, j) -> j / cols == i / cols && (!p.causal() || j <= i), i -> {
            List<int[]> regions = new ArrayList<>();
            for (int c = 0; c < cols; c++) {
                List<Integer> members = new ArrayList<>();
                for (int r = 0; r < rows; r++) {
                    if (p.causal() ? r < i / cols : r != i / cols) members.add(r * cols + c);
                }
                if (!members.isEmpty()) regions.add(members.stream().mapToInt(Integer::intValue).toArray());
            }
            return regions;
        });
    }

    /**
     * Per head: one softmax over the direct keys of query i and one summary per region (key = pooled keys, value =
     * softmax of the pooled query over the region's keys, times its values); then Wo.
     */
    private static double[] oracle(Problem p, DenseOracle.Run run, boolean max, DenseOracle.Allowed direct,
            IntFunction<List<int[]>> regionsOf) {
        int n = p.length(), d = p.width(), dh = p.headDim();
        Map<String, double[]> w = run.params();
        double[] x = run.input(), out = new double[x.length];
        double scale = 1.0 / Math.sqrt(dh);
        for (int b = 0; b < p.batch(); b++) {
            double[][] q = new double[n][], k = new double[n][], v = new double[n][];
            for (int i = 0; i < n; i++) {
                q[i] = DenseOracle.project(x, (b * n + i) * d, w.get("wq"), d);
                k[i] = DenseOracle.project(x, (b * n + i) * d, w.get("wk"), d);
                v[i] = DenseOracle.project(x, (b * n + i) * d, w.get("wv"), d);
            }
            for (int i = 0; i < n; i++) {
                double[] concat = new double[d];
                List<int[]> regions = regionsOf.apply(i);
                for (int head = 0; head < p.heads(); head++) {
                    int o = head * dh;
                    List<Double> logits = new ArrayList<>();
                    List<double[]> values = new ArrayList<>();
                    for (int j = 0; j < n; j++) {
                        if (!direct.test(i, j)) continue;
                        logits.add(dot(q[i], k[j], o, dh) * scale);
                        values.add(slice(v[j], o, dh));
                    }
                    for (int[] region : regions) {
                        double[] key = pool(k, region, o, dh, max), query = pool(q, region, o, dh, max);
                        double[] weights = new double[region.length];
                        for (int m = 0; m < region.length; m++) weights[m] = dot(query, 0, k[region[m]], o, dh) * scale;
                        softmaxInPlace(weights);
                        double[] value = new double[dh];
                        for (int m = 0; m < region.length; m++) {
                            for (int c = 0; c < dh; c++) value[c] += weights[m] * v[region[m]][o + c];
                        }
                        logits.add(dot(q[i], o, key, 0, dh) * scale);
                        values.add(value);
                    }
                    double[] pr = logits.stream().mapToDouble(Double::doubleValue).toArray();
                    softmaxInPlace(pr);
                    for (int m = 0; m < pr.length; m++) {
                        for (int c = 0; c < dh; c++) concat[o + c] += pr[m] * values.get(m)[c];
                    }
                }
                System.arraycopy(DenseOracle.project(concat, 0, w.get("wo"), d), 0, out, (b * n + i) * d, d);
            }
        }
        return out;
    }

    private static double[] pool(double[][] rows, int[] region, int o, int dh, boolean max) {
        double[] out = new double[dh];
        for (int c = 0; c < dh; c++) {
            double acc = max ? Double.NEGATIVE_INFINITY : 0;
            for (int j : region) acc = max ? Math.max(acc, rows[j][o + c]) : acc + rows[j][o + c] / region.length;
            out[c] = acc;
        }
        return out;
    }

    private static double dot(double[] a, double[] b, int o, int dh) {
        return dot(a, o, b, o, dh);
    }

    private static double dot(double[] a, int ao, double[] b, int bo, int dh) {
        double s = 0;
        for (int c = 0; c < dh; c++) s += a[ao + c] * b[bo + c];
        return s;
    }

    private static double[] slice(double[] a, int o, int dh) {
        double[] out = new double[dh];
        System.arraycopy(a, o, out, 0, dh);
        return out;
    }

    private static void softmaxInPlace(double[] a) {
        double max = Double.NEGATIVE_INFINITY, z = 0;
        for (double x : a) max = Math.max(max, x);
        for (int m = 0; m < a.length; m++) z += (a[m] = Math.exp(a[m] - max));
        for (int m = 0; m < a.length; m++) a[m] /= z;
    }
}
