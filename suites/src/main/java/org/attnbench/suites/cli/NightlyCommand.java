package org.attnbench.suites.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import org.attnbench.api.Backend;
import org.attnbench.api.BackendProvider;
import org.attnbench.compare.Comparison;
import org.attnbench.compare.Compatibility;
import org.attnbench.compare.Verdict;
import org.attnbench.results.Column;
import org.attnbench.results.Environment;
import org.attnbench.results.Pooling;
import org.attnbench.results.ResultReader;
import org.attnbench.results.ResultRow;
import org.attnbench.results.ResultStore;
import org.attnbench.suites.sweep.SuiteDefinition;
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
        "significant difference of the forks' medians (Mann-Whitney U) and a change beyond the threshold. Exit status",
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
    @Option(names = "--baseline-launcher", paramLabel = "SCRIPT", description = {
            "scripts/attnbench of a build of the baseline's revision (scripts/nightly makes one): the baseline is then",
            "measured again in this session, in rounds that alternate with this build's, and this run is judged against",
            "those samples; without it, against the stored samples (drift between sessions then reads as change)"})
    Path baselineLauncher;
    @Option(names = "--current-launcher", paramLabel = "SCRIPT", description = {
            "with --baseline-launcher, the launcher that measures this build's side (default: this checkout's",
            "scripts/attnbench): both sides run the same way, each in its own child process"})
    Path currentLauncher;
    @Option(names = "--rounds", description = {"rounds of each side with --baseline-launcher, one JMH fork each (default: the",
            "tier's forks, 5 for the nightly tier: the fewest a side for which the fork test can reach p < 0.01)"})
    Integer rounds;

    @Override
    public Integer call() throws IOException {
        Path home = Main.home();
        SuiteDefinition suite = SuiteDefinition.load(suiteName, home.resolve("suites"));
        compare.settings(); // bad thresholds are refused before anything is read or run
        var parsed = spec.commandLine().getParseResult();
        if (baselineLauncher == null && (parsed.hasMatchedOption("--rounds") || parsed.hasMatchedOption("--current-launcher"))) {
            throw new IllegalArgumentException("--rounds and --current-launcher need --baseline-launcher (without it the stored samples are judged)");
        }
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
        List<ResultRow> current;
        List<ResultRow> against = baseline;
        List<String> notes = new ArrayList<>();
        if (baselineLauncher == null) {
            current = runner.run().rows();
            notes.add("Baseline samples: the stored ones, measured in another session (drift between sessions reads as change)");
        } else {
            if (rounds == null) rounds = suite.jmh.forks;
            if (rounds < 1) throw new IllegalArgumentException("--rounds must be at least 1, got " + rounds);
            int needed = Comparison.forksNeeded(compare.settings().alpha());
            if (rounds < needed) {
                System.out.printf(Locale.ROOT, "attnbench: %d rounds give %d forks a side, too few for the U test on the forks to reach p < %s"
                        + " (%d needed): the raw samples are tested instead, and they flag forks of unchanged code%n", rounds, rounds,
                        compare.alpha, needed);
            }
            AlternatingRounds ab = new AlternatingRounds(home, suiteFile(home), dir, first.text(Column.GIT_REVISION));
            ab.run();
            current = ab.current();
            against = ab.baseline();
            ResultStore.writeJson(dir.resolve("baseline-remeasured.json"), against);
            notes.add("Baseline samples: revision " + first.text(Column.GIT_REVISION) + " measured again in this session by " + baselineLauncher
                    + ", in " + rounds + " rounds of one fork alternating with this build's (" + ab.order() + "), each side's rounds pooled");
        }
        System.out.println("results: " + dir);
        String load = load(loadBefore, loadAverage());
        System.out.println(load);
        notes.add(load);
        Verdict v = BaselineComparison.judge(compare, against, current, dir, historyFile, notes, System.out);
        return v.exitStatus();
    }

    /** The suite's YAML file, which the baseline's build is given too, so that both sides measure the same plan. */
    private Path suiteFile(Path home) {
        Path file = Path.of(suiteName);
        return (Files.isRegularFile(file) ? file : home.resolve("suites").resolve(suiteName + ".yaml")).toAbsolutePath();
    }

    /**
     * The two sides in alternating rounds, each by its own launcher (its own code and harness) in a child process; the
     * order flips every round, so that neither side is always first. Each round writes its own folder under rounds/;
     * this run's folder gets this build's pooled rows.
     */
    private final class AlternatingRounds {
        private final Path home, suiteFile, dir;
        private final String revision;
        private final List<List<ResultRow>> currentRounds = new ArrayList<>(), baselineRounds = new ArrayList<>();
        private final List<String> order = new ArrayList<>();
        private List<ResultRow> current, baseline;

        AlternatingRounds(Path home, Path suiteFile, Path dir, String revision) {
            this.home = home;
            this.suiteFile = suiteFile;
            this.dir = dir;
            this.revision = revision;
        }

        void run() throws IOException {
            // Every round is one fork of each side, so that the forks of the two sides alternate as well.
            Path plan = dir.resolve("rounds").resolve("suite.yaml");
            SuiteDefinition.writeWithForks(suiteFile, plan, 1);
            long start = System.nanoTime();
            for (int round = 0; round < rounds; round++) {
                for (int k = 0; k < 2; k++) {
                    boolean baselineSide = (round + k) % 2 == 0;
                    String side = baselineSide ? "baseline" : "current";
                    order.add(side);
                    Path out = dir.resolve("rounds").resolve(side + "-" + (round + 1));
                    System.out.printf(Locale.ROOT, "attnbench: round %d of %d, %s (%s)%s%n", round + 1, rounds, side,
                            baselineSide ? "revision " + revision + " by " + baselineLauncher : "this build", eta(start, order.size()));
                    if (baselineSide) baselineRounds.add(checked(side(baselineLauncher, plan, out, "baseline")));
                    else currentRounds.add(side(currentLauncher(), plan, out, "current"));
                }
            }
            current = Pooling.pool(currentRounds);
            baseline = Pooling.pool(baselineRounds);
            ResultStore store = ResultStore.open(dir);
            for (ResultRow r : current) store.append(r);
        }

        /** Time left from the mean time of the sweeps so far, or nothing before the first has finished. */
        private String eta(long start, int started) {
            int done = started - 1, total = 2 * rounds;
            if (done == 0) return "";
            long perSweep = (System.nanoTime() - start) / done;
            long left = perSweep * (total - done) / 1_000_000_000L;
            return String.format(Locale.ROOT, ", about %d:%02d left", left / 60, left % 60);
        }

        private Path currentLauncher() {
            return currentLauncher != null ? currentLauncher : home.resolve("scripts").resolve("attnbench");
        }

        /**
         * One side's sweep by its launcher in a child process, its output shown with the side's name. Both sides run
         * this way: with this build's sweep in the nightly's own JVM instead, it came out 5 to 36% faster than the
         * same code in a child process in 14 of 21 configurations (measured on the 2-core VM), read as improvements.
         */
        private List<ResultRow> side(Path launcher, Path plan, Path out, String name) throws IOException {
            if (!Files.isExecutable(launcher)) throw new IllegalArgumentException(launcher + " (the " + name + " side's launcher) is not an executable file");
            List<String> command = List.of(launcher.toString(), "run", "--suite", plan.toString(), "--out", out.toString());
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (var lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) System.out.println("  " + name + " | " + line);
            }
            int status;
            try {
                status = p.waitFor();
            } catch (InterruptedException e) {
                p.destroy();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the " + name + " side measured");
            }
            if (status != 0) {
                throw new IllegalStateException("the " + name + " side (" + launcher + ") failed with exit " + status + "; its output is above");
            }
            return ResultReader.read(out);
        }

        /** The baseline side's rows, refused when the build measured another revision than the baseline's. */
        private List<ResultRow> checked(List<ResultRow> rows) {
            String measured = rows.isEmpty() ? "" : rows.get(0).text(Column.GIT_REVISION);
            if (!measured.equals(revision) && !compare.force) {
                throw new IllegalArgumentException("the baseline is revision " + revision + " but " + baselineLauncher + " measured revision "
                        + measured + " (--force compares anyway)");
            }
            return rows;
        }

        List<ResultRow> current() {
            return current;
        }

        List<ResultRow> baseline() {
            return baseline;
        }

        String order() {
            return String.join(", ", order);
        }
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
