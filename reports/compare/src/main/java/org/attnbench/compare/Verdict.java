package org.attnbench.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of a comparison: every finding, and what it means for a scheduler (exit status 0 when nothing
 * regressed, 1 when something did).
 *
 * @param findings every metric of every configuration, in the run's order
 * @param settings the thresholds used
 * @param ignored  differences of machine, JDK, backend or dtype that --force let through (empty otherwise)
 * @param warnings what a reader should know before trusting the findings, e.g. that the backend's roof moved too
 */
public record Verdict(List<Finding> findings, Settings settings, List<Compatibility.Difference> ignored, List<String> warnings) {
    public static final int CLEAN = 0;
    public static final int REGRESSED = 1;

    public Verdict {
        findings = List.copyOf(findings);
        ignored = List.copyOf(ignored);
        warnings = List.copyOf(warnings);
    }

    public List<Finding> regressions() {
        return of(Finding.Kind.REGRESSION);
    }

    public List<Finding> improvements() {
        return of(Finding.Kind.IMPROVEMENT);
    }

    public List<Finding> of(Finding.Kind kind) {
        return findings.stream().filter(f -> f.kind() == kind).toList();
    }

    public int exitStatus() {
        return regressions().isEmpty() ? CLEAN : REGRESSED;
    }

    /** "1 regression, 2 improvements, 40 unchanged (alpha 0.01, time threshold 5%)", plus the other kinds present. */
    public String summary() {
        List<String> parts = new ArrayList<>();
        parts.add(count(regressions().size(), "regression", "regressions"));
        parts.add(count(improvements().size(), "improvement", "improvements"));
        parts.add(of(Finding.Kind.UNCHANGED).size() + " unchanged");
        for (Finding.Kind k : List.of(Finding.Kind.UNJUDGED, Finding.Kind.NEW, Finding.Kind.MISSING)) {
            if (!of(k).isEmpty()) parts.add(of(k).size() + " " + k.id());
        }
        String s = String.join(", ", parts) + " (alpha " + Comparison.fmt(settings.alpha()) + ", time threshold "
                + Settings.percent(settings.timeThreshold()) + ")";
        if (!ignored.isEmpty()) {
            s += "; FORCED despite: " + String.join("; ", ignored.stream().map(Compatibility.Difference::describe).toList());
        }
        return s;
    }

    /** The short table: a header, then the findings that moved (regressions first); with all, every finding. */
    public List<String[]> table(boolean all) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"verdict", "what", "metric", "baseline", "now", "change", "p-value", "why"});
        List<Finding> shown = new ArrayList<>(regressions());
        shown.addAll(improvements());
        if (all) findings.stream().filter(f -> !f.moved()).forEach(shown::add);
        for (Finding f : shown) {
            rows.add(new String[] {f.kind().id(), f.configuration(), f.metric().label(), value(f.metric(), f.baseline()),
                    value(f.metric(), f.current()), change(f), p(f), f.note()});
        }
        return rows;
    }

    /**
     * The verdict as Markdown: the context lines given (baseline, run, machine), the summary, the table of what
     * moved, and every finding in a second table.
     */
    public String markdown(String title, List<String> context) {
        StringBuilder sb = new StringBuilder("# ").append(title).append("\n\n");
        for (String c : context) sb.append(c).append("  \n");
        sb.append("\n**").append(exitStatus() == CLEAN ? "Clean" : "Regressed").append(":** ").append(summary()).append("\n\n");
        for (String w : warnings) sb.append("**Warning:** ").append(w).append(".\n\n");
        List<String[]> moved = table(false);
        if (moved.size() > 1) {
            sb.append("## What moved\n\n").append(markdownTable(moved)).append('\n');
        } else {
            sb.append("Nothing moved.\n\n");
        }
        sb.append("## Every metric\n\n").append(markdownTable(table(true)));
        return sb.toString();
    }

    private static String markdownTable(List<String[]> rows) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            sb.append('|');
            for (String cell : rows.get(i)) sb.append(' ').append(cell.replace("|", "\\|")).append(" |");
            sb.append('\n');
            if (i == 0) sb.append("|---".repeat(rows.get(0).length)).append("|\n");
        }
        return sb.toString();
    }

    private static String count(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    /** A value in its metric's unit: "12.34 ms", "118.2 GFLOP/s", "17825792 B", "0.9125". */
    static String value(Metric m, Double v) {
        if (v == null) return "";
        return switch (m) {
            case TIME -> String.format(Locale.ROOT, "%.4g ms", v);
            case THROUGHPUT -> String.format(Locale.ROOT, "%.4g GFLOP/s", v);
            case PEAK_LIVE_BYTES -> String.format(Locale.ROOT, "%d B", v.longValue());
            default -> String.format(Locale.ROOT, "%.4g", v);
        };
    }

    /** "+12.3%" (bytes also with the exact difference); for accuracy metrics the difference of the means. */
    static String change(Finding f) {
        if (f.change() == null) return "";
        if (f.metric().test() == Metric.Test.SEEDS) return String.format(Locale.ROOT, "%+.4g", f.change());
        String pct = Double.isInfinite(f.change()) ? "from 0" : String.format(Locale.ROOT, "%+.2f%%", f.change() * 100);
        if (f.metric() == Metric.PEAK_LIVE_BYTES && f.baseline() != null && f.current() != null) {
            pct += String.format(Locale.ROOT, " (%+d B)", f.current().longValue() - f.baseline().longValue());
        }
        return pct;
    }

    static String p(Finding f) {
        if (f.pValue() == null) return f.metric() == Metric.PEAK_LIVE_BYTES ? "exact" : "";
        return f.pValue() < 1e-15 ? "<1e-15" : String.format(Locale.ROOT, "%.2g", f.pValue());
    }
}
