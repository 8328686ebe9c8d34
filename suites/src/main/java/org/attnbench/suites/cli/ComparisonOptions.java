package org.attnbench.suites.cli;

import java.nio.file.Path;

import org.attnbench.compare.Settings;
import picocli.CommandLine.Option;

/** The options of every command that compares a run with a baseline (nightly, compare). */
final class ComparisonOptions {
    @Option(names = "--baseline", required = true, paramLabel = "FILE",
            description = "the baseline: a results file (reports/baselines/NAME.json, made by 'attnbench baseline') or folder")
    Path baseline;
    @Option(names = "--time-threshold", paramLabel = "PERCENT", defaultValue = "5%",
            description = "smallest change of median time or throughput that counts (default: ${DEFAULT-VALUE})")
    String timeThreshold;
    @Option(names = "--alpha", defaultValue = "0.01",
            description = "significance level of the Mann-Whitney U test on the forks' medians or raw samples (default: ${DEFAULT-VALUE})")
    double alpha;
    @Option(names = "--force", description = "compare even with a baseline from another machine, JDK, backend or dtype")
    boolean force;
    @Option(names = "--all", description = "list every metric in the terminal, not only what moved")
    boolean all;

    Settings settings() {
        return new Settings(alpha, Settings.parseFraction("--time-threshold", timeThreshold), force);
    }

    /** The baseline's name: its file name without .json (or the folder's name). */
    String baselineName() {
        String f = baseline.getFileName().toString();
        return f.endsWith(".json") || f.endsWith(".csv") ? f.substring(0, f.lastIndexOf('.')) : f;
    }
}
