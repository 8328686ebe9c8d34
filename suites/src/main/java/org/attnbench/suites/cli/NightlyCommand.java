package org.attnbench.suites.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import org.attnbench.api.Backend;
import org.attnbench.api.BackendProvider;
import org.attnbench.compare.Compatibility;
import org.attnbench.compare.Verdict;
import org.attnbench.results.Column;
import org.attnbench.results.Environment;
import org.attnbench.results.ResultReader;
import org.attnbench.results.ResultRow;
import org.attnbench.suites.sweep.SuiteDefinition;
import org.attnbench.suites.sweep.Summary;
import org.attnbench.suites.sweep.SweepRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The nightly regression run: the nightly tier into a fresh results folder, compared with a baseline. Exit status 0
 * when nothing regressed, 1 when something did, 2 when it could not run or compare.
 */
@Command(name = "nightly", description = {
        "Run the nightly tier into a fresh folder and compare every metric with a baseline: a regression needs a",
        "significant difference of the raw samples (Mann-Whitney U) and a change beyond the threshold. Exit status",
        "0 clean, 1 regression, 2 could not run. Writes verdict.md and trend charts beside the results and appends",
        "one line per metric to the history file."})
final class NightlyCommand implements Callable<Integer>, Main.CouldNotRun {
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    @Spec CommandSpec spec;
    @Mixin ComparisonOptions compare;

    @Option(names = "--suite", defaultValue = "nightly", description = "the tier to run: a suite name or YAML file (default: ${DEFAULT-VALUE})")
    String suiteName;
    @Option(names = "--out", description = "this run's folder (default: results/nightly/BASELINE/UTC-TIME)")
    Path out;
    @Option(names = "--history", description = "the history file to append to (default: results/nightly/BASELINE/history.csv)")
    Path history;

    @Override
    public Integer call() throws IOException {
        Path home = Main.home();
        SuiteDefinition suite = SuiteDefinition.load(suiteName, home.resolve("suites"));
        compare.settings(); // bad thresholds are refused before anything is read or run
        List<ResultRow> baseline = ResultReader.read(compare.baseline);
        if (baseline.isEmpty()) throw new IllegalArgumentException(compare.baseline + ": the baseline holds no rows");
        Path root = home.resolve("results").resolve("nightly").resolve(compare.baselineName());
        Path dir = out != null ? out : root.resolve(LocalDateTime.now(ZoneOffset.UTC).format(STAMP));
        if (Files.isDirectory(dir)) {
            try (var entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException(dir + " is not empty: a nightly run starts in a fresh folder (choose another --out)");
                }
            }
        }
        Path historyFile = history != null ? history : root.resolve("history.csv");

        SweepRunner runner = new SweepRunner(suite, dir, home, "attnbench " + String.join(" ", spec.commandLine().getParseResult().originalArgs()),
                System.out);
        BackendProvider provider = runner.validate();
        // Refused before minutes of measuring when the baseline was made elsewhere; the rows are checked again after.
        List<Compatibility.Difference> differences = Compatibility.against(baseline, here(home, provider, suite));
        if (!differences.isEmpty()) {
            if (!compare.force) throw Compatibility.refusal(differences);
            System.out.println("attnbench: --force: comparing despite " + String.join("; ",
                    differences.stream().map(Compatibility.Difference::describe).toList()));
        }
        ResultRow first = baseline.get(0);
        System.out.println("attnbench: nightly against baseline " + compare.baselineName() + " (" + compare.baseline + ": "
                + baseline.size() + " rows, revision " + first.text(Column.GIT_REVISION) + ", measured " + first.text(Column.MEASURED_AT) + ")");
        double loadBefore = loadAverage();
        Summary summary = runner.run();
        System.out.println("results: " + dir);
        String load = load(loadBefore, loadAverage());
        System.out.println(load);
        Verdict v = BaselineComparison.judge(compare, baseline, summary.rows(), dir, historyFile, List.of(load), System.out);
        return v.exitStatus();
    }

    /** The 1-minute load average of the machine, or -1 where the system does not say. */
    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** A line on how busy the machine was: other work on the cores makes every time longer and noisier. */
    static String load(double before, double after) {
        int cores = Runtime.getRuntime().availableProcessors();
        if (before < 0 || after < 0) return "machine load: not known on this system";
        boolean busy = before > cores;
        return String.format(Locale.ROOT, "machine load: %.1f before the run and %.1f after (1-minute averages, %d cores)%s", before, after,
                cores, busy ? "; the machine was busy before the run started, so times are noisier than a quiet machine's" : "");
    }

    /** What the rows of this run will say about where they were measured. */
    private static Map<Column, Set<String>> here(Path home, BackendProvider provider, SuiteDefinition suite) {
        Environment env = Environment.capture(home);
        Map<Column, Set<String>> here = new LinkedHashMap<>();
        here.put(Column.MACHINE, Set.of(env.machine()));
        here.put(Column.CPU_MODEL, Set.of(env.cpuModel()));
        here.put(Column.CORES, Set.of(String.valueOf(env.cores())));
        here.put(Column.JDK, Set.of(env.jdk()));
        here.put(Column.BACKEND, Set.of(provider.name()));
        try (Backend b = provider.open()) {
            here.put(Column.BACKEND_DESCRIPTION, Set.of(b.description()));
        }
        here.put(Column.DTYPE, new LinkedHashSet<>(suite.dtypes));
        return here;
    }
}
