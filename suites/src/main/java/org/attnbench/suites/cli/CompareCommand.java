package org.attnbench.suites.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.attnbench.results.ResultReader;
import org.attnbench.results.ResultRow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The nightly comparison alone, on results that already exist: measures nothing. Exit status as nightly's. */
@Command(name = "compare", description = {
        "Compare existing results with a baseline, as nightly does after its run (measures nothing).",
        "Exit status 0 clean, 1 regression, 2 could not compare."})
final class CompareCommand implements Callable<Integer>, Main.CouldNotRun {
    @Mixin ComparisonOptions compare;

    @Parameters(paramLabel = "RESULTS", description = "the run to judge: a results folder or file")
    Path results;
    @Option(names = "--out", description = "where verdict.md goes (default: RESULTS when it is a folder; else not written)")
    Path out;
    @Option(names = "--history", description = "a history file to append one line per metric to, and draw trend charts from")
    Path history;

    @Override
    public Integer call() throws IOException {
        compare.settings(); // bad thresholds are refused before anything is read or run
        List<ResultRow> baseline = ResultReader.read(compare.baseline);
        List<ResultRow> current = ResultReader.read(results);
        if (baseline.isEmpty()) throw new IllegalArgumentException(compare.baseline + ": the baseline holds no rows");
        if (current.isEmpty()) throw new IllegalArgumentException(results + ": no rows to compare");
        Path dir = out != null ? out : Files.isDirectory(results) ? results : null;
        return BaselineComparison.judge(compare, baseline, current, dir, history, List.of(), System.out).exitStatus();
    }
}
