package org.attnbench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;

import org.attnbench.results.Column;
import org.attnbench.results.ResultRow;

/**
 * A figure against sequence length, one curve per line of a panel (variant and backend), with each curve's measured
 * scaling exponent: the least-squares slope of log(figure) against log(n) over the measured lengths inside a range.
 * Only ok rows give a figure; the last row for a length wins (a resumed or repeated run supersedes the older one).
 */
public final class Scaling {
    private Scaling() {}

    /** What is scaled: the median time of a call, or its exact peak of live tensor bytes. */
    public enum Metric {
        TIME(Column.TIME_MEDIAN_MS, Column.DECLARED_TIME_EXPONENT),
        MEMORY(Column.PEAK_LIVE_BYTES, Column.DECLARED_MEMORY_EXPONENT);

        final Column column;
        final Column declared;

        Metric(Column column, Column declared) {
            this.column = column;
            this.declared = declared;
        }

        /** The row's figure (time in ms, memory in bytes), or null where it has none. */
        Double of(ResultRow r) {
            if (!r.ok()) return null;
            Object v = r.get(column);
            return v == null ? null : ((Number) v).doubleValue();
        }
    }

    /**
     * One curve: figures by length, the status that replaced a figure at a length (oom, unsupported, error), the
     * declared exponent and the measured slope with the lengths it was fitted over (null with fewer than two).
     */
    public record Curve(Line line, TreeMap<Long, Double> values, TreeMap<Long, String> notMeasured, TreeSet<Long> noisy,
                        Double declared, Double slope, Long fitFrom, Long fitTo) {
        public boolean hasValues() {
            return !values.isEmpty();
        }
    }

    /** The curves of one panel's rows, in line order. */
    public static List<Curve> curves(List<ResultRow> rows, Metric metric, long from, long to) {
        Map<Line, List<ResultRow>> byLine = new TreeMap<>();
        for (ResultRow r : rows) byLine.computeIfAbsent(Line.of(r), k -> new ArrayList<>()).add(r);
        List<Curve> out = new ArrayList<>();
        byLine.forEach((line, list) -> {
            TreeMap<Long, Double> values = new TreeMap<>();
            TreeMap<Long, String> missing = new TreeMap<>();
            TreeSet<Long> noisy = new TreeSet<>();
            Double declared = null;
            for (ResultRow r : list) {
                Double v = metric.of(r);
                values.remove(r.length());
                missing.remove(r.length());
                noisy.remove(r.length());
                if (v != null) values.put(r.length(), v);
                else if (!r.ok()) missing.put(r.length(), r.status());
                if (v != null && metric == Metric.TIME && noisy(r)) noisy.add(r.length());
                Double d = r.number(metric.declared);
                if (d != null) declared = d;
            }
            NavigableMap<Long, Double> inRange = values.subMap(from, true, to, true);
            boolean fit = inRange.size() >= 2;
            out.add(new Curve(line, values, missing, noisy, declared, fit ? slope(inRange) : null,
                    fit ? inRange.firstKey() : null, fit ? inRange.lastKey() : null));
        });
        return out;
    }

    /** The share of the median that its 95% interval may span before a time is called noisy. */
    static final double NOISY = 0.4;

    /** A time whose 95% interval spans more than {@link #NOISY} of its median (about ±20%). */
    static boolean noisy(ResultRow r) {
        Double low = r.timeCiLowMs(), high = r.timeCiHighMs(), median = r.timeMedianMs();
        return low != null && high != null && median != null && median > 0 && (high - low) / median > NOISY;
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
}
