package org.attnbench.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.attnbench.results.Column;
import org.attnbench.results.ResultRow;
import org.attnbench.results.SampleStats;

/**
 * Compares a run with its baseline, metric by metric. A time (or throughput) regression needs both a significant
 * difference, by a two-sided Mann-Whitney U test at the settings' alpha (on the forks' medians where there are forks
 * enough, else on the raw samples: see {@link #sampled}), and a change of the median beyond the relative threshold:
 * many samples make tiny shifts significant, few samples make large ones noise, and neither alone is a regression.
 * Exact peak live bytes are deterministic, so any growth is one.
 * Accuracy, from several seeds per configuration, regresses when its mean drops by more than the seeds' spread.
 * A configuration that was measured and now fails is a regression too. Rows of peer frameworks (implementation_of
 * set) are not ours and are left out.
 */
public final class Comparison {
    private Comparison() {}

    public static Verdict compare(List<ResultRow> baseline, List<ResultRow> current, Settings settings) {
        List<ResultRow> base = ours(baseline), now = ours(current);
        if (base.isEmpty()) throw new IllegalArgumentException("the baseline holds no rows to compare");
        if (now.isEmpty()) throw new IllegalArgumentException("this run holds no rows to compare");
        List<Compatibility.Difference> keyed = Compatibility.keyed(base, now);
        if (!keyed.isEmpty() && !settings.force()) throw Compatibility.refusal(keyed);
        Matcher match = new Matcher(keyed.stream().anyMatch(d -> d.field() == Column.BACKEND),
                keyed.stream().anyMatch(d -> d.field() == Column.DTYPE));

        Map<String, ResultRow> baseByKey = match.index(base, "baseline", true);
        Map<String, ResultRow> nowByKey = match.index(now, "this run", true);
        List<ResultRow[]> pairs = new ArrayList<>();
        nowByKey.forEach((k, r) -> {
            ResultRow b = baseByKey.get(k);
            if (b != null) pairs.add(new ResultRow[] {b, r});
        });
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("no measurement of this run is in the baseline (for example, this run has '"
                    + label(now.get(0), true) + "' and the baseline '" + label(base.get(0), true) + "')");
        }
        List<Compatibility.Difference> environment = Compatibility.environment(pairs);
        if (!environment.isEmpty() && !settings.force()) throw Compatibility.refusal(environment);
        List<Compatibility.Difference> ignored = new ArrayList<>(keyed);
        ignored.addAll(environment);

        List<Finding> findings = new ArrayList<>();
        for (var e : nowByKey.entrySet()) {
            ResultRow n = e.getValue(), b = baseByKey.get(e.getKey());
            String what = label(n, true);
            if (b == null) {
                findings.add(new Finding(what, Metric.STATUS, null, null, null, null, Finding.Kind.NEW, n.status()));
            } else if (b.ok() && n.ok()) {
                if (!isAccuracy(n)) measured(what, b, n, settings, findings);
                else sampled(what, Metric.TIME, b, n, settings, findings); // an accuracy row may time its training step
            } else {
                findings.add(status(what, b, n));
            }
        }
        for (var e : baseByKey.entrySet()) {
            if (!nowByKey.containsKey(e.getKey())) {
                findings.add(new Finding(label(e.getValue(), true), Metric.STATUS, null, null, null, null, Finding.Kind.MISSING,
                        "not measured by this run"));
            }
        }
        seeds(match, base, now, findings);
        return new Verdict(findings, settings, ignored, roofWarnings(nowByKey, findings));
    }

    /**
     * The backend's plain matrix product (a gemm row) is the roof every other figure is read against; when its time
     * moved too, the machine (its load, clock or libraries) differs from the baseline's, not only the code.
     */
    private static List<String> roofWarnings(Map<String, ResultRow> now, List<Finding> findings) {
        List<String> out = new ArrayList<>();
        for (ResultRow r : now.values()) {
            if (!r.benchmark().equals("gemm")) continue;
            String what = label(r, true);
            for (Finding f : findings) {
                if (f.configuration().equals(what) && f.metric() == Metric.TIME && f.moved()) {
                    out.add(String.format(Locale.ROOT, "the backend's roof %s moved too (time %+.1f%%, p = %.2g): the machine differs from"
                            + " the baseline's (load, clock or libraries), so other changes may be the machine's, not the code's",
                            what, f.change() * 100, f.pValue()));
                }
            }
        }
        return out;
    }

    /** Rows measured by attnbench itself (a peer framework's rows mirror ours and are not judged). */
    private static List<ResultRow> ours(List<ResultRow> rows) {
        return rows.stream().filter(r -> r.text(Column.IMPLEMENTATION_OF).isEmpty()).toList();
    }

    private static boolean isAccuracy(ResultRow r) {
        return r.benchmark().equals("accuracy");
    }

    private static void measured(String what, ResultRow b, ResultRow n, Settings s, List<Finding> out) {
        sampled(what, Metric.TIME, b, n, s, out);
        sampled(what, Metric.THROUGHPUT, b, n, s, out);
        Long bb = b.peakLiveBytes(), nb = n.peakLiveBytes();
        if (bb != null && nb != null) {
            Finding.Kind kind = nb > bb ? Finding.Kind.REGRESSION : nb < bb ? Finding.Kind.IMPROVEMENT : Finding.Kind.UNCHANGED;
            String note = nb.equals(bb) ? "exact, equal" : String.format(Locale.ROOT, "exact, %+d bytes", nb - bb);
            out.add(new Finding(what, Metric.PEAK_LIVE_BYTES, bb.doubleValue(), nb.doubleValue(), relative(bb, nb), null, kind, note));
        }
    }

    /**
     * Time or throughput. The unit of replication is the fork (a fresh JVM): the samples of one fork share its JIT
     * decisions and memory layout, so forks of unchanged code differ by more than their samples' spread suggests, and
     * a test on pooled samples flags them (measured: README, "Nightly regression runs"). So where both sides have forks
     * enough for the test to reach the alpha at all, it is the U test on the fork medians, against a threshold of the
     * settings' or the larger spread (largest over smallest) of the two sides' fork medians, whichever is larger: a
     * change no larger than the same code makes between its own forks is no evidence. With fewer forks it is the U test
     * on the raw samples against the settings' threshold, and the note says so. Changes are judged as the ratio of the
     * larger median to the smaller, so that 5% means "one side takes 1.05 times the other's", in either direction.
     */
    private static void sampled(String what, Metric m, ResultRow b, ResultRow n, Settings s, List<Finding> out) {
        Double bv = b.number(m.column()), nv = n.number(m.column());
        if (bv == null || nv == null) return;
        double[] bf = inUnit(m, b, b.forkMediansMs()), nf = inUnit(m, n, n.forkMediansMs());
        boolean byFork = reachable(bf.length, nf.length, s.alpha());
        double[] bs = byFork ? bf : inUnit(m, b, b.samplesMs()), ns = byFork ? nf : inUnit(m, n, n.samplesMs());
        if (bs.length == 0 || ns.length == 0) {
            out.add(new Finding(what, m, bv, nv, relative(bv, nv), null, Finding.Kind.UNJUDGED, "no raw samples to test"));
            return;
        }
        if (byFork) {
            bv = median(bf);
            nv = median(nf);
        }
        double change = relative(bv, nv);
        // As ratios, larger over smaller, so that a time and its throughput (its inverse) always get the same verdict.
        double apart = bv > 0 && nv > 0 ? Math.max(nv / bv, bv / nv) : bv.equals(nv) ? 1 : Double.POSITIVE_INFINITY;
        double spread = byFork ? Math.max(spread(bf), spread(nf)) : 1;
        double limit = Math.max(1 + s.timeThreshold(), spread);
        String limitText = spread > 1 + s.timeThreshold() ? "the forks' spread " + Settings.percent(spread - 1) : Settings.percent(s.timeThreshold());
        String unit = byFork ? String.format(Locale.ROOT, "; %d v %d forks, %s apart", bf.length, nf.length, Settings.percent(spread - 1))
                : String.format(Locale.ROOT, "; samples, as the forks (%d v %d) are too few to test", b.forkMediansMs().size(), n.forkMediansMs().size());
        double p = pValue(bs, ns);
        boolean significant = p < s.alpha();
        boolean beyond = apart > limit;
        double worse = m.direction() == Column.Direction.LOWER ? change : -change;
        Finding.Kind kind;
        String note;
        if (significant && beyond) {
            kind = worse > 0 ? Finding.Kind.REGRESSION : Finding.Kind.IMPROVEMENT;
            note = "significant and beyond " + limitText;
        } else {
            kind = Finding.Kind.UNCHANGED;
            note = !significant ? "not significant at " + fmt(s.alpha()) + (beyond ? " (though beyond " + limitText + ")" : "")
                    : "significant but within " + limitText;
        }
        out.add(new Finding(what, m, bv, nv, change, p, kind, note + unit));
    }

    /** The fewest forks a side (as many on both) for which the U test on fork medians can reach p < alpha at all. */
    public static int forksNeeded(double alpha) {
        for (int k = 2; k < 1000; k++) {
            if (reachable(k, k, alpha)) return k;
        }
        throw new IllegalArgumentException("no fork count reaches alpha " + alpha);
    }

    /** Whether the U test on a and b values can give p < alpha at all: at complete separation, its smallest p. */
    private static boolean reachable(int a, int b, double alpha) {
        return a >= 2 && b >= 2 && pValue(separated(a, 0), separated(b, a)) < alpha;
    }

    /** n distinct values from start on: a completely separated sample, whose U test gives the smallest p-value. */
    private static double[] separated(int n, int start) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = start + i;
        return v;
    }

    private static double median(double[] v) {
        return SampleStats.of(Arrays.stream(v).boxed().toList()).median();
    }

    /** max / min: how far apart the forks of one side are (a ratio, as the change is judged). */
    private static double spread(double[] v) {
        double lo = Arrays.stream(v).min().orElseThrow(), hi = Arrays.stream(v).max().orElseThrow();
        return lo > 0 ? hi / lo : Double.POSITIVE_INFINITY;
    }

    /**
     * The two-sided p-value of the Mann-Whitney U test (commons-math3: ties get average ranks and the p-value comes
     * from the normal approximation, without continuity correction).
     */
    static double pValue(double[] baseline, double[] current) {
        return new MannWhitneyUTest().mannWhitneyUTest(baseline, current);
    }

    /** Times in milliseconds (samples or fork medians) in the metric's unit: as they are, or GFLOP/s for throughput. */
    private static double[] inUnit(Metric m, ResultRow r, List<Double> ms) {
        if (m == Metric.TIME) return ms.stream().mapToDouble(Double::doubleValue).toArray();
        Long flops = r.flops();
        if (flops == null) return new double[0];
        return ms.stream().filter(x -> x > 0).mapToDouble(x -> flops / (x * 1e6)).toArray();
    }

    private static Finding status(String what, ResultRow b, ResultRow n) {
        if (b.ok()) {
            return new Finding(what, Metric.STATUS, null, null, null, null, Finding.Kind.REGRESSION,
                    "was ok, now " + n.status() + ": " + n.message());
        }
        if (n.ok()) {
            return new Finding(what, Metric.STATUS, null, null, null, null, Finding.Kind.IMPROVEMENT,
                    "was " + b.status() + ", now ok");
        }
        return new Finding(what, Metric.STATUS, null, null, null, null, Finding.Kind.UNCHANGED,
                "still not ok: " + n.status() + (n.status().equals(b.status()) ? "" : " (was " + b.status() + ")"));
    }

    /** Accuracy metrics, per configuration over its seeds: the mean's change against the larger spread of the two sides. */
    private static void seeds(Matcher match, List<ResultRow> base, List<ResultRow> now, List<Finding> out) {
        Map<String, List<ResultRow>> baseGroups = match.groups(base), nowGroups = match.groups(now);
        for (var e : nowGroups.entrySet()) {
            List<ResultRow> bg = baseGroups.get(e.getKey());
            if (bg == null) continue;
            String what = label(e.getValue().get(0), false);
            for (Metric m : List.of(Metric.ACCURACY, Metric.BITS_PER_CHAR)) {
                List<Double> bv = values(bg, m), nv = values(e.getValue(), m);
                if (bv.isEmpty() || nv.isEmpty()) continue;
                double bMean = mean(bv), nMean = mean(nv), diff = nMean - bMean;
                if (bv.size() < 2 || nv.size() < 2) {
                    out.add(new Finding(what, m, bMean, nMean, diff, null, Finding.Kind.UNJUDGED, String.format(Locale.ROOT,
                            "needs 2 or more seeds on each side for a spread (baseline %d, now %d)", bv.size(), nv.size())));
                    continue;
                }
                double spread = Math.max(range(bv), range(nv));
                double worse = m.direction() == Column.Direction.HIGHER ? -diff : diff;
                Finding.Kind kind = worse > spread ? Finding.Kind.REGRESSION : -worse > spread ? Finding.Kind.IMPROVEMENT : Finding.Kind.UNCHANGED;
                String note = String.format(Locale.ROOT, "%s the seed spread %.4g (seeds: baseline %d, now %d)",
                        kind == Finding.Kind.UNCHANGED ? "within" : "beyond", spread, bv.size(), nv.size());
                out.add(new Finding(what, m, bMean, nMean, diff, null, kind, note));
            }
        }
    }

    private static List<Double> values(List<ResultRow> rows, Metric m) {
        return rows.stream().filter(ResultRow::ok).map(r -> r.number(m.column())).filter(v -> v != null).toList();
    }

    private static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    private static double range(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).max().orElseThrow() - v.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }

    private static double relative(double base, double now) {
        return base == 0 ? (now == 0 ? 0 : Double.POSITIVE_INFINITY) : now / base - 1;
    }

    /** Three significant digits without trailing zeros: 0.01, 0.005, 1.5e-05. */
    static String fmt(double v) {
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.3g", v)).stripTrailingZeros().toString();
    }

    /**
     * What a row measured, for people: "dense causal forward n=256 (1x8x64 float32 cpu)". With seed false (a
     * configuration over seeds) the seed is left out.
     */
    public static String label(ResultRow r, boolean withSeed) {
        String where = r.dtype() + " " + r.backend();
        String seed = withSeed && isAccuracy(r) && r.integer(Column.SEED) != null ? " seed=" + r.integer(Column.SEED) : "";
        return switch (r.benchmark()) {
            case "attention" -> r.variant() + " " + r.mode() + " " + r.pass() + " n=" + r.length()
                    + " (" + r.batch() + "x" + r.heads() + "x" + r.headDim() + " " + where + ")";
            case "gemm" -> r.variant() + " (" + where + ")";
            case "op-overhead" -> "op " + r.variant() + " on " + r.length() + "x" + r.length() + " (" + where + ")";
            default -> r.benchmark() + " " + r.variant() + " " + r.task() + " " + r.mode() + " n=" + r.length() + seed
                    + " (" + where + ")";
        };
    }

    /** Which rows measure the same thing, ignoring the fields a forced comparison lets differ. */
    private record Matcher(boolean ignoreBackend, boolean ignoreDtype) {
        String key(ResultRow r, boolean withSeed) {
            Long seed = withSeed ? r.integer(Column.SEED) : null;
            return ResultRow.key(r.benchmark(), r.variant(), ignoreBackend ? "" : r.backend(), ignoreDtype ? "" : r.dtype(),
                    r.batch(), r.length(), r.heads(), r.headDim(), r.mode(), r.pass(), r.task(), seed);
        }

        Map<String, ResultRow> index(List<ResultRow> rows, String side, boolean withSeed) {
            Map<String, ResultRow> out = new LinkedHashMap<>();
            for (ResultRow r : rows) {
                if (out.put(key(r, withSeed), r) != null) {
                    throw new IllegalArgumentException(side + " holds two rows measuring " + label(r, true)
                            + (ignoreBackend || ignoreDtype ? " once backend or dtype is ignored" : "") + "; compare one run at a time");
                }
            }
            return out;
        }

        Map<String, List<ResultRow>> groups(List<ResultRow> rows) {
            Map<String, List<ResultRow>> out = new LinkedHashMap<>();
            for (ResultRow r : rows) {
                if (isAccuracy(r)) out.computeIfAbsent(key(r, false), k -> new ArrayList<>()).add(r);
            }
            return out;
        }
    }
}
