package org.attnbench.charts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.attnbench.results.Column;
import org.attnbench.results.ResultRow;

/**
 * Time against sequence length, per curve (variant, backend, dtype, mode, pass of the attention benchmark), with
 * each curve's measured scaling exponent: the least-squares slope of log(median time) against log(n) over the
 * measured lengths inside a range. Only rows with status ok count; the last row for a length wins (a resumed or
 * repeated run supersedes the older one).
 */
public final class Scaling {
    private Scaling() {}

    /** What makes one curve. */
    public record CurveKey(String variant, String backend, String dtype, String mode, String pass) {}

    /** Medians by length (ms), non-ok statuses by length, and the exponents. */
    public record Curve(CurveKey key, TreeMap<Long, Double> medianMs, TreeMap<Long, String> notMeasured,
            Double declaredExponent, Double slope, int slopePoints) {}

    public static List<Curve> curves(List<ResultRow> rows, long fromLength, long toLength) {
        Map<CurveKey, List<ResultRow>> byCurve = new TreeMap<>(java.util.Comparator.comparing(CurveKey::toString));
        for (ResultRow r : rows) {
            if (!"attention".equals(r.benchmark())) continue;
            byCurve.computeIfAbsent(new CurveKey(r.variant(), r.backend(), r.dtype(), r.mode(), r.pass()),
                    k -> new ArrayList<>()).add(r);
        }
        List<Curve> out = new ArrayList<>();
        byCurve.forEach((key, list) -> {
            TreeMap<Long, Double> medians = new TreeMap<>();
            TreeMap<Long, String> missing = new TreeMap<>();
            Double declared = null;
            for (ResultRow r : list) {
                if (r.ok()) {
                    medians.put(r.length(), r.timeMedianMs());
                    missing.remove(r.length());
                } else {
                    missing.put(r.length(), r.status());
                    medians.remove(r.length());
                }
                Double d = r.number(Column.DECLARED_TIME_EXPONENT);
                if (d != null) declared = d;
            }
            Map<Long, Double> inRange = medians.subMap(fromLength, true, toLength, true);
            out.add(new Curve(key, medians, missing, declared, inRange.size() >= 2 ? slope(inRange) : null, inRange.size()));
        });
        return out;
    }

    /** Least-squares slope of log y against log x. */
    static double slope(Map<Long, Double> points) {
        double mx = 0, my = 0;
        int m = points.size();
        for (var e : points.entrySet()) {
            mx += Math.log(e.getKey()) / m;
            my += Math.log(e.getValue()) / m;
        }
        double sxy = 0, sxx = 0;
        for (var e : points.entrySet()) {
            double dx = Math.log(e.getKey()) - mx;
            sxy += dx * (Math.log(e.getValue()) - my);
            sxx += dx * dx;
        }
        return sxy / sxx;
    }

    /**
     * A Markdown table: one row per curve with the median time at each length (or the status that replaced it),
     * the declared exponent and the measured slope over [from, to].
     */
    public static String markdown(List<Curve> curves, long from, long to) {
        TreeSet<Long> lengths = new TreeSet<>();
        for (Curve c : curves) {
            lengths.addAll(c.medianMs().keySet());
            lengths.addAll(c.notMeasured().keySet());
        }
        StringBuilder sb = new StringBuilder();
        sb.append("| variant | mode | pass | ")
                .append(lengths.stream().map(n -> "n=" + n + " (ms)").collect(Collectors.joining(" | ")))
                .append(" | declared exponent | measured slope ").append(from).append("-").append(to).append(" |\n");
        sb.append("|---|---|---|").append("---:|".repeat(lengths.size())).append("---:|---:|\n");
        for (Curve c : curves) {
            sb.append("| ").append(c.key().variant()).append(" | ").append(c.key().mode()).append(" | ")
                    .append(c.key().pass()).append(" | ");
            for (long n : lengths) {
                Double t = c.medianMs().get(n);
                String status = c.notMeasured().get(n);
                sb.append(t != null ? formatMs(t) : Objects.requireNonNullElse(status, "")).append(" | ");
            }
            sb.append(c.declaredExponent() == null ? "" : trim(c.declaredExponent())).append(" | ")
                    .append(c.slope() == null ? "" : String.format("%.2f", c.slope())).append(" |\n");
        }
        return sb.toString();
    }

    static String formatMs(double ms) {
        if (ms >= 100) return String.format("%.0f", ms);
        if (ms >= 10) return String.format("%.1f", ms);
        return String.format("%.2f", ms);
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
