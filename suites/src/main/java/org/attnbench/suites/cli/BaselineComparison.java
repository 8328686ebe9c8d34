package org.attnbench.suites.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.attnbench.compare.Comparison;
import org.attnbench.compare.History;
import org.attnbench.compare.Verdict;
import org.attnbench.results.Column;
import org.attnbench.results.ResultRow;
import org.attnbench.suites.sweep.Table;

/**
 * Judges a run against its baseline and records the outcome: the verdict table on the terminal, verdict.md in the
 * run's folder, and (when a history file is given) one line per metric appended to it, with the trend charts
 * redrawn from the whole history.
 */
final class BaselineComparison {
    private BaselineComparison() {}

    static Verdict judge(ComparisonOptions o, List<ResultRow> baseline, List<ResultRow> current, Path outDir, Path history,
                         List<String> notes, PrintStream out) throws IOException {
        Verdict v = Comparison.compare(baseline, current, o.settings());
        ResultRow any = current.get(0);
        ResultRow base = baseline.get(0);
        String revision = any.text(Column.GIT_REVISION);
        List<String> context = new ArrayList<>(List.of(
                "Baseline: `" + o.baseline + "` (revision " + base.text(Column.GIT_REVISION) + ", measured " + base.text(Column.MEASURED_AT) + ")",
                "This run: revision " + revision + ", measured " + any.text(Column.MEASURED_AT) + ", `" + any.text(Column.COMMAND) + "`",
                "Machine: " + any.text(Column.MACHINE) + ", " + any.text(Column.CPU_MODEL) + " (" + any.integer(Column.CORES) + " cores), "
                        + any.text(Column.JDK) + "; backend " + any.backend() + ": " + any.text(Column.BACKEND_DESCRIPTION),
                "Rule: a change counts when the Mann-Whitney U test gives p < " + o.alpha + " on the forks' medians (with "
                        + Comparison.forksNeeded(o.settings().alpha()) + " or more forks a side; else on the raw samples, as each"
                        + " row's note says) and the median moved beyond " + o.timeThreshold + " and beyond the forks' own spread"
                        + " (time, throughput); any change of the exact peak"
                        + " live bytes; an accuracy mean beyond the seeds' spread; a configuration that was ok and now fails."));
        context.addAll(notes);
        out.println();
        out.println("verdict: " + v.summary());
        v.warnings().forEach(w -> out.println("warning: " + w));
        List<String[]> table = v.table(o.all);
        if (table.size() > 1) Table.print(out, table);

        List<String> written = new ArrayList<>();
        List<Path> charts = List.of();
        if (history != null) {
            String run = outDir != null ? outDir.getFileName().toString() : any.runId();
            List<History.Entry> entries = History.entries(v, Instant.now(), run, revision, o.baselineName());
            History.append(history, entries);
            written.add(history + " (+" + entries.size() + " lines)");
            if (outDir != null) {
                charts = History.drawTrends(History.read(history), any.text(Column.MACHINE) + ", backend " + any.backend(), outDir);
                if (!charts.isEmpty()) written.add(charts.size() + " trend charts in " + outDir);
            }
        }
        if (outDir != null) {
            StringBuilder md = new StringBuilder(v.markdown("Nightly verdict against " + o.baselineName(), context));
            if (!charts.isEmpty()) {
                md.append("\n## Trends (history: `").append(history).append("`)\n\n");
                for (Path c : charts) md.append("![").append(c.getFileName()).append("](").append(c.getFileName()).append(")\n");
            }
            Files.createDirectories(outDir);
            Path file = outDir.resolve("verdict.md"), tmp = outDir.resolve(".verdict.md.tmp");
            Files.writeString(tmp, md);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            written.add(0, file.toString());
        }
        if (!written.isEmpty()) out.println("wrote " + String.join("; ", written));
        return v;
    }
}
