package org.attnbench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.attnbench.results.ResultRow;

/**
 * Time and memory of the attention benchmark, per panel (mode, pass and shape): speed and memory relative to dense
 * attention at 1K, 2K and 4K in the manner of the Long Range Arena's efficiency table; time and memory against n
 * with measured and declared scaling exponents; and the two log-log charts.
 */
final class TimingSection {
    /** The lengths of the relative table, as the Long Range Arena reports them. */
    static final List<Long> RELATIVE_LENGTHS = List.of(1024L, 2048L, 4096L);

    private TimingSection() {}

    record Panel(String mode, String pass, Long batch, Long heads, Long headDim) {
        static Panel of(ResultRow r) {
            return new Panel(r.mode(), r.pass(), r.batch(), r.heads(), r.headDim());
        }

        String title() {
            return mode + " " + pass + ", batch " + batch + ", " + heads + " heads of " + headDim;
        }

        String id(boolean withShape) {
            return Report.slug(mode + "-" + pass + (withShape ? "-b" + batch + "-h" + heads + "-d" + headDim : ""));
        }
    }

    static void add(ResultSet set, List<Block> out) {
        List<ResultRow> attention = set.benchmark("attention");
        if (attention.isEmpty()) return;
        Map<Panel, List<ResultRow>> panels = new TreeMap<>(Comparator.comparing(Panel::mode).thenComparing(Panel::pass)
                .thenComparing(Panel::batch, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(Panel::heads, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(Panel::headDim, Comparator.nullsFirst(Comparator.naturalOrder())));
        for (ResultRow r : attention) panels.computeIfAbsent(Panel.of(r), k -> new ArrayList<>()).add(r);
        boolean shapes = panels.keySet().stream().map(p -> List.of(String.valueOf(p.batch()), String.valueOf(p.heads()),
                String.valueOf(p.headDim()))).distinct().count() > 1;

        out.add(new Block.Heading(3, "Speed and memory relative to dense attention"));
        panels.forEach((panel, rows) -> out.add(relative(set, panel, shapes, rows)));

        out.add(new Block.Heading(3, "Scaling with n"));
        panels.forEach((panel, rows) -> {
            out.add(new Block.Heading(4, panel.title()));
            String id = set.id() + "-" + panel.id(shapes);
            Provenance prov = Provenance.of(rows);
            List<Scaling.Curve> time = Scaling.curves(rows, Scaling.Metric.TIME, set.fitFrom(), set.fitTo());
            List<Scaling.Curve> memory = Scaling.curves(rows, Scaling.Metric.MEMORY, set.fitFrom(), set.fitTo());
            out.add(scalingTable(set, "time-" + id, "Median time per call (ms) versus n", panel, time, prov, Fmt::sig3, "time"));
            out.add(scalingTable(set, "memory-" + id, "Exact peak live tensor memory per call (MiB) versus n", panel, memory, prov,
                    Fmt::mib, "memory"));
            out.add(new Block.Figure(chart(set, "time-" + id, "Time versus n", "median time per call (ms)", panel, time, 1, prov, "time")));
            if (memory.stream().anyMatch(Scaling.Curve::hasValues)) {
                out.add(new Block.Figure(chart(set, "memory-" + id, "Memory versus n", "peak live tensor memory (MiB)", panel, memory,
                        Fmt.MIB, prov, "memory")));
            }
        });
    }

    /** Speed (dense time over the line's) and memory (the line's peak over dense's) at 1K, 2K and 4K. */
    private static Block relative(ResultSet set, Panel panel, boolean shapes, List<ResultRow> rows) {
        String title = "Speed and memory relative to dense attention (" + set.title() + ", " + panel.title() + ")";
        Set<Long> lengths = rows.stream().map(ResultRow::length).collect(Collectors.toSet());
        List<Long> present = RELATIVE_LENGTHS.stream().filter(lengths::contains).toList();
        List<Long> absent = RELATIVE_LENGTHS.stream().filter(n -> !lengths.contains(n)).toList();
        Provenance prov = Provenance.of(rows);
        List<Scaling.Curve> time = Scaling.curves(rows, Scaling.Metric.TIME, 1, Long.MAX_VALUE);
        List<Scaling.Curve> memory = Scaling.curves(rows, Scaling.Metric.MEMORY, 1, Long.MAX_VALUE);
        Line dense = new Line(Report.DENSE, set.mainBackend(), false);
        Scaling.Curve denseTime = find(time, dense), denseMemory = find(memory, dense);
        if (present.isEmpty() || denseTime == null) {
            String why = present.isEmpty() ? "these results hold none of the lengths 1K, 2K and 4K"
                    : "these results hold no dense attention on backend " + set.mainBackend();
            return new Block.Paragraph(title + ": no table, as " + why + ".");
        }
        List<String> header = new ArrayList<>(List.of("variant"));
        List<Boolean> numeric = new ArrayList<>(List.of(false));
        for (String what : List.of("speed", "memory")) {
            for (long n : present) {
                header.add(what + " " + Fmt.length(n));
                numeric.add(true);
            }
        }
        Set<String> notes = new LinkedHashSet<>();
        notes.add("Speed: dense attention's median time over the variant's, so dense is 1x and higher is faster. Memory: the"
                + " variant's exact peak of live tensors over dense attention's, so lower is smaller. Both for one call, against"
                + " dense attention on backend " + set.mainBackend() + ".");
        List<List<String>> table = new ArrayList<>();
        for (Scaling.Curve t : time) {
            Scaling.Curve m = find(memory, t.line());
            List<String> cells = new ArrayList<>(List.of(set.label(t.line())));
            for (long n : present) cells.add(ratio(denseTime, t, n, true, notes));
            for (long n : present) cells.add(ratio(denseMemory, m, n, false, notes));
            table.add(cells);
        }
        if (!absent.isEmpty()) {
            notes.add("Not in these results: n = " + absent.stream().map(Fmt::length).collect(Collectors.joining(", ")) + ".");
        }
        return new Block.Table("relative-" + set.id() + "-" + panel.id(shapes), title, prov.caption(), header, numeric, table,
                List.copyOf(notes));
    }

    private static String ratio(Scaling.Curve dense, Scaling.Curve line, long n, boolean speed, Set<String> notes) {
        Double v = line.values().get(n);
        if (v == null) {
            String status = line.notMeasured().get(n);
            if (status != null) return status;
            notes.add(!speed && line.line().peer() ? "–: no figure; a peer framework's rows carry no count of live tensors."
                    : "–: no row at this length.");
            return Fmt.NONE;
        }
        Double d = dense.values().get(n);
        if (d == null) {
            String status = dense.notMeasured().getOrDefault(n, Fmt.NONE);
            notes.add("dense " + status + ": dense attention has no figure at this length, so there is no ratio.");
            return "dense " + status;
        }
        return Fmt.ratio(speed ? d / v : v / d);
    }

    private static Scaling.Curve find(List<Scaling.Curve> curves, Line line) {
        return curves.stream().filter(c -> c.line().equals(line)).findFirst().orElse(null);
    }

    /** The widest span of lengths any curve was fitted over, to state once in a title. */
    static String fitSpan(List<Scaling.Curve> curves) {
        Long from = curves.stream().map(Scaling.Curve::fitFrom).filter(Objects::nonNull).min(Long::compare).orElse(null);
        Long to = curves.stream().map(Scaling.Curve::fitTo).filter(Objects::nonNull).max(Long::compare).orElse(null);
        return from == null ? null : from + ".." + to;
    }

    private static Block scalingTable(ResultSet set, String id, String what, Panel panel, List<Scaling.Curve> curves,
                                      Provenance prov, java.util.function.DoubleFunction<String> fmt, String quantity) {
        TreeSet<Long> lengths = new TreeSet<>();
        for (Scaling.Curve c : curves) {
            lengths.addAll(c.values().keySet());
            lengths.addAll(c.notMeasured().keySet());
        }
        String span = fitSpan(curves);
        List<String> header = new ArrayList<>(List.of("variant"));
        List<Boolean> numeric = new ArrayList<>(List.of(false));
        for (long n : lengths) {
            header.add("n=" + n);
            numeric.add(true);
        }
        header.add("declared");
        header.add(span == null ? "measured" : "measured " + span);
        numeric.add(true);
        numeric.add(true);
        List<List<String>> rows = new ArrayList<>();
        List<String> omitted = new ArrayList<>();
        boolean anyNoisy = false;
        for (Scaling.Curve c : curves) {
            if (!c.hasValues() && c.notMeasured().isEmpty()) {
                omitted.add(set.label(c.line()));
                continue;
            }
            List<String> cells = new ArrayList<>(List.of(set.label(c.line())));
            for (long n : lengths) {
                Double v = c.values().get(n);
                cells.add(v != null ? fmt.apply(v) + (c.noisy().contains(n) ? "*" : "") : c.notMeasured().getOrDefault(n, Fmt.NONE));
                anyNoisy |= c.noisy().contains(n);
            }
            cells.add(c.declared() == null ? Fmt.NONE : Fmt.exponent(c.declared()));
            String slope = c.slope() == null ? Fmt.NONE : Fmt.slope(c.slope());
            if (c.slope() != null && !(c.fitFrom() + ".." + c.fitTo()).equals(span)) slope += " (" + c.fitFrom() + ".." + c.fitTo() + ")";
            cells.add(slope);
            rows.add(cells);
        }
        List<String> notes = new ArrayList<>();
        notes.add("Declared: the exponent k of the variant's declared " + quantity + " complexity O(n^k). Measured: the least-squares"
                + " slope of log " + quantity + " against log n over the measured lengths in " + set.fitFrom() + ".." + set.fitTo()
                + (span == null ? " (none has two)" : "") + "; a span in brackets where a line was fitted over fewer.");
        if (anyNoisy) {
            notes.add("*: noisy, the 95% confidence interval of the median spans more than " + Math.round(100 * Scaling.NOISY)
                    + "% of it; its slopes are uncertain too.");
        }
        if (!omitted.isEmpty()) notes.add("Not in this table (no " + quantity + " figure in the results): " + String.join(", ", omitted) + ".");
        return new Block.Table(id, what + " (" + set.title() + ", " + panel.title() + ")", prov.caption(), header, numeric, rows, notes);
    }

    /** Groups of lines a reader cannot tell apart on the chart: within 10% of each other at two or more shared lengths and all others. */
    static List<List<String>> coinciding(ResultSet set, List<Scaling.Curve> curves) {
        List<List<String>> groups = new ArrayList<>();
        Set<Integer> grouped = new java.util.HashSet<>();
        for (int i = 0; i < curves.size(); i++) {
            if (grouped.contains(i)) continue;
            List<String> group = new ArrayList<>(List.of(set.label(curves.get(i).line())));
            for (int j = i + 1; j < curves.size(); j++) {
                if (!grouped.contains(j) && close(curves.get(i), curves.get(j))) {
                    group.add(set.label(curves.get(j).line()));
                    grouped.add(j);
                }
            }
            if (group.size() > 1) groups.add(group);
        }
        return groups;
    }

    private static boolean close(Scaling.Curve a, Scaling.Curve b) {
        int shared = 0;
        for (var e : a.values().entrySet()) {
            Double other = b.values().get(e.getKey());
            if (other == null) continue;
            if (Math.abs(other / e.getValue() - 1) > 0.1) return false;
            shared++;
        }
        return shared >= 2;
    }

    /** A log-log chart of the curves; values are divided by unit (bytes to MiB) for the axis. */
    private static ChartSpec chart(ResultSet set, String name, String title, String yAxis, Panel panel, List<Scaling.Curve> curves,
                                   double unit, Provenance prov, String quantity) {
        List<ChartSpec.Series> series = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Scaling.Curve c : curves) {
            if (!c.hasValues() && c.notMeasured().isEmpty()) continue;
            List<ChartSpec.Point> points = new ArrayList<>();
            c.values().forEach((n, v) -> points.add(ChartSpec.Point.measured(n, v / unit)));
            c.notMeasured().forEach((n, status) -> points.add(ChartSpec.Point.missing(n, Charts.status(status))));
            points.sort(Comparator.comparingDouble(ChartSpec.Point::x));
            String label = set.label(c.line()) + ": " + (c.slope() == null ? "no fit" : Fmt.slope(c.slope()))
                    + (c.declared() == null ? "" : " (declared " + Fmt.exponent(c.declared()) + ")");
            series.add(new ChartSpec.Series(label, set.label(c.line()), set.style(c.line()), points));
            if (!c.notMeasured().isEmpty()) missing.add(set.label(c.line()) + " at " + Charts.missing(c.notMeasured()));
        }
        List<String> notes = new ArrayList<>();
        notes.add("Legend: the measured exponent, the least-squares slope of log " + quantity + " against log n over the measured lengths in "
                + set.fitFrom() + ".." + set.fitTo() + ", and the declared one.");
        if (!missing.isEmpty()) notes.add(Charts.MARKS + " Not measured: " + String.join("; ", missing) + ".");
        for (List<String> group : coinciding(set, curves)) {
            notes.add("On top of one another (within 10% at every length they share): " + String.join(", ", group) + ".");
        }
        return new ChartSpec(name, ChartSpec.Kind.LINES, title + ": " + set.title() + ", " + panel.title(),
                "sequence length n (tokens, log scale)", yAxis + ", log scale", true, true, series, notes, prov.chartCaption());
    }
}
