package org.attnbench.suites;

import static org.attnbench.suites.CommandLineTest.assertOneLineError;
import static org.attnbench.suites.CommandLineTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.attnbench.results.Column;
import org.attnbench.results.ResultReader;
import org.attnbench.results.ResultRow;
import org.attnbench.results.ResultStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * baseline, nightly and compare end to end on a one-configuration tier: files written, exit statuses, refusals. The
 * regression here is deterministic (the probe holds 4 more bytes live), so the exit status does not depend on how
 * busy the machine is; RegressionDetectionTest covers the timing rule on real samples.
 */
class NightlyCommandTest {
    @TempDir Path dir;

    private Path suite() throws IOException {
        return Files.writeString(dir.resolve("tier.yaml"), """
                name: nightly-test
                backend: reference
                variants: [regression-probe-test]
                lengths: [32]
                heads: 2
                head_dim: 8
                modes: [causal]
                passes: [forward]
                jmh: {warmup_iterations: 1, measurement_iterations: 2, iteration_ms: 100, forks: 1}
                memory_limit: 1g
                """);
    }

    private Path baseline(Path suite) {
        Path file = dir.resolve("baselines").resolve("dev.json");
        CommandLineTest.Outcome b = run("baseline", "--suite", suite.toString(), "--out", file.toString(), "--results", dir.resolve("base-run").toString());
        assertEquals(0, b.status(), b.out() + b.err());
        assertTrue(b.out().contains("wrote baseline dev: " + file + " (1 rows;"), b.out());
        return file;
    }

    @Test
    void nightlyJudgesARunAgainstItsBaselineRecordsItAndExitsOneOnARegression() throws IOException {
        Path suite = suite();
        Path baseline = baseline(suite);
        Path run = dir.resolve("night-1"), history = dir.resolve("history.csv");
        CommandLineTest.Outcome n;
        System.setProperty(RegressionProbe.EXTRA, "1");
        try {
            n = run("nightly", "--baseline", baseline.toString(), "--suite", suite.toString(), "--out", run.toString(),
                    "--history", history.toString());
        } finally {
            System.clearProperty(RegressionProbe.EXTRA);
        }
        assertEquals(1, n.status(), n.out() + n.err());
        assertTrue(n.out().contains("attnbench: nightly against baseline dev"), n.out());
        assertTrue(n.out().contains("machine load: "), n.out());
        String bytes = n.out().lines().filter(l -> l.startsWith("regression") && l.contains("peak live bytes")).findFirst()
                .orElseThrow(() -> new AssertionError(n.out()));
        assertTrue(bytes.contains("(+4 B)") && bytes.contains("exact, +4 bytes"), bytes);

        String verdict = Files.readString(run.resolve("verdict.md"));
        assertTrue(verdict.startsWith("# Nightly verdict against dev"), verdict);
        assertTrue(verdict.contains("**Regressed:**") && verdict.contains("## What moved") && verdict.contains("## Every metric"), verdict);
        assertTrue(verdict.contains("![trend-peak-live-bytes.png](trend-peak-live-bytes.png)"), verdict);
        List<String> lines = Files.readAllLines(history);
        assertEquals(4, lines.size(), "a header and one line per metric (time, throughput, peak bytes): " + lines);
        assertTrue(lines.get(3).contains("peak live bytes") && lines.get(3).endsWith(",regression"), lines.get(3));
        for (String chart : List.of("trend-time.png", "trend-throughput.png", "trend-peak-live-bytes.png")) {
            assertTrue(Files.size(run.resolve(chart)) > 1000, chart);
        }
        assertEquals(1, ResultReader.read(run).size(), "the run's own results are in its folder");

        // The same judgement again, from the files alone.
        CommandLineTest.Outcome c = run("compare", "--baseline", baseline.toString(), run.toString());
        assertEquals(1, c.status(), c.out() + c.err());
        assertOneLineError(run("nightly", "--baseline", baseline.toString(), "--suite", suite.toString(), "--out", run.toString()), 2,
                "is not empty: a nightly run starts in a fresh folder");
    }

    /**
     * A launcher for one side, as scripts/nightly passes them, running this test's classes in a child JVM with this
     * JVM's module and attnbench flags and the given extra ones (so that only one side's probe holds the EXTRA floats).
     */
    private Path childLauncher(String name, String extraFlags) throws IOException {
        List<String> flags = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--") || a.startsWith("-Dattnbench.")).toList();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String script = "#!/usr/bin/env bash\nexec '" + java + "' " + String.join(" ", flags.stream().map(f -> "'" + f + "'").toList()) + extraFlags
                + " -Dattnbench.home='" + Path.of(System.getProperty("attnbench.home", ".")).toAbsolutePath().normalize() + "'"
                + " -cp '" + System.getProperty("java.class.path") + "' org.attnbench.suites.cli.Main \"$@\"\n";
        Path launcher = Files.writeString(dir.resolve(name), script);
        launcher.toFile().setExecutable(true);
        return launcher;
    }

    @Test
    void withABaselineLauncherBothSidesAreMeasuredInAlternatingRoundsAndPooled() throws IOException {
        Path suite = suite();
        Path baseline = baseline(suite);
        Path run = dir.resolve("night-ab");
        // The current side's child holds 4 more bytes; the baseline's does not.
        CommandLineTest.Outcome n = run("nightly", "--baseline", baseline.toString(), "--suite", suite.toString(), "--out", run.toString(),
                "--history", dir.resolve("history.csv").toString(), "--baseline-launcher", childLauncher("baseline-launcher", "").toString(),
                "--current-launcher", childLauncher("current-launcher", " -D" + RegressionProbe.EXTRA + "=1").toString(), "--rounds", "2");
        assertEquals(1, n.status(), n.out() + n.err());
        List<String> rounds = n.out().lines().filter(l -> l.startsWith("attnbench: round ")).map(l -> l.replaceAll(" \\(.*", "")).toList();
        assertEquals(List.of("attnbench: round 1 of 2, baseline", "attnbench: round 1 of 2, current",
                "attnbench: round 2 of 2, current", "attnbench: round 2 of 2, baseline"), rounds, n.out());
        assertTrue(n.out().contains("  baseline | ") && n.out().contains("  current | "), "the children's output is shown: " + n.out());
        String bytes = n.out().lines().filter(l -> l.startsWith("regression") && l.contains("peak live bytes")).findFirst()
                .orElseThrow(() -> new AssertionError(n.out()));
        assertTrue(bytes.contains("exact, +4 bytes"), bytes);

        int pooled = ResultReader.read(run).get(0).samplesMs().size();
        int first = ResultReader.read(run.resolve("rounds").resolve("current-1")).get(0).samplesMs().size();
        int second = ResultReader.read(run.resolve("rounds").resolve("current-2")).get(0).samplesMs().size();
        assertEquals(first + second, pooled, "this run's row pools both rounds' samples");
        ResultRow row = ResultReader.read(run).get(0);
        assertEquals(1L, ResultReader.read(run.resolve("rounds").resolve("current-1")).get(0).integer(Column.FORKS), "one fork a round");
        assertEquals(2L, row.integer(Column.FORKS), "the pool counts every round's fork");
        assertEquals(2, row.forkMediansMs().size(), "and keeps each fork's median apart");
        assertTrue(n.out().contains("2 rounds give 2 forks a side, too few for the U test on the forks to reach p < 0.01 (5 needed)"), n.out());
        List<ResultRow> remeasured = ResultReader.read(run.resolve("baseline-remeasured.json"));
        assertEquals(ResultReader.read(baseline).get(0).peakLiveBytes(), remeasured.get(0).peakLiveBytes(), "the child ran the baseline's code");
        assertTrue(Files.readString(run.resolve("verdict.md")).contains("measured again in this session"), "the verdict says which samples it judged");
    }

    @Test
    void aBaselineFromAnotherMachineIsRefusedBeforeMeasuringUnlessForced() throws IOException {
        Path suite = suite();
        Path baseline = baseline(suite);
        List<ResultRow> elsewhere = ResultReader.read(baseline).stream().map(r -> r.toBuilder().set(Column.MACHINE, "elsewhere").build()).toList();
        Path other = dir.resolve("other.json");
        ResultStore.writeJson(other, elsewhere);

        Path run = dir.resolve("night");
        assertOneLineError(run("nightly", "--baseline", other.toString(), "--suite", suite.toString(), "--out", run.toString()), 2,
                "the baseline was measured elsewhere, so it is not compared: machine differs (baseline 'elsewhere', this run '");
        assertFalse(Files.exists(run.resolve("results.json")), "nothing was measured");
        assertOneLineError(run("compare", "--baseline", other.toString(), dir.resolve("base-run").toString()), 2, "pass --force to compare anyway");

        // Forced, the same samples on both sides: nothing moved, and the verdict says what was ignored.
        CommandLineTest.Outcome forced = run("compare", "--baseline", other.toString(), dir.resolve("base-run").toString(), "--force");
        assertEquals(0, forced.status(), forced.out() + forced.err());
        assertTrue(forced.out().contains("0 regressions, 0 improvements, 3 unchanged") && forced.out().contains("FORCED despite: machine differs"),
                forced.out());
    }

    @Test
    void badInputIsOneLineAndExitStatusTwo() throws IOException {
        assertOneLineError(run("nightly", "--baseline", dir.resolve("none.json").toString()), 2, "none.json");
        assertOneLineError(run("compare", "--baseline", dir.resolve("none.json").toString(), dir.toString()), 2, "none.json");
        Path empty = dir.resolve("empty.json");
        ResultStore.writeJson(empty, List.of());
        assertOneLineError(run("compare", "--baseline", empty.toString(), dir.toString(), "--time-threshold", "five"), 2,
                "--time-threshold must be a percentage such as 5% or a fraction such as 0.05, got 'five'");
        assertOneLineError(run("nightly", "--baseline", empty.toString(), "--suite", "nonesuch"), 2, "no suite 'nonesuch'");
        assertOneLineError(run("baseline", "--out", dir.resolve("b.txt").toString(), "--from", dir.toString()), 2, "--out must name a .json file");
        assertOneLineError(run("nightly", "--baseline", empty.toString(), "--rounds", "3"), 2, "--rounds and --current-launcher need --baseline-launcher");
    }
}
