package org.attnbench.compare;

import static org.attnbench.compare.SyntheticRows.accuracy;
import static org.attnbench.compare.SyntheticRows.failed;
import static org.attnbench.compare.SyntheticRows.normal;
import static org.attnbench.compare.SyntheticRows.timed;
import static org.attnbench.compare.SyntheticRows.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.attnbench.results.Column;
import org.attnbench.results.ResultRow;
import org.junit.jupiter.api.Test;

/** The comparison's rules on made-up samples whose answer is known. */
class ComparisonTest {
    private static final long BYTES = 17_825_792L;

    private static Verdict compare(ResultRow baseline, ResultRow now) {
        return Comparison.compare(List.of(baseline), List.of(now), Settings.defaults());
    }

    private static Finding finding(Verdict v, Metric m) {
        return v.findings().stream().filter(f -> f.metric() == m).findFirst().orElseThrow(() -> new AssertionError("no " + m + " in " + v));
    }

    @Test
    void aSignificantButSmallChangeIsNotARegression() {
        // 2000 samples each, shifted by 2%: overwhelmingly significant, but below the 5% threshold.
        Verdict v = compare(timed("dense", 256, normal(2000, 10.0, 0.1, 1), BYTES), timed("dense", 256, normal(2000, 10.2, 0.1, 2), BYTES));
        Finding time = finding(v, Metric.TIME);
        assertTrue(time.pValue() < 1e-10, "p = " + time.pValue());
        assertEquals(0.02, time.change(), 0.003);
        assertEquals(Finding.Kind.UNCHANGED, time.kind());
        assertTrue(time.note().contains("significant but within 5%"), time.note());
        assertEquals(Verdict.CLEAN, v.exitStatus());
    }

    @Test
    void aLargeButInsignificantChangeIsNotARegression() {
        // Three samples each cannot reach p < 0.01 with a rank test, however far apart: +27% on the medians.
        Verdict v = compare(timed("dense", 256, List.of(10.0, 11.0, 12.0), BYTES), timed("dense", 256, List.of(13.0, 14.0, 15.0), BYTES));
        Finding time = finding(v, Metric.TIME);
        assertTrue(time.pValue() > 0.01, "p = " + time.pValue());
        assertEquals(14.0 / 11 - 1, time.change(), 1e-12);
        assertEquals(Finding.Kind.UNCHANGED, time.kind());
        assertTrue(time.note().contains("not significant"), time.note());
        assertEquals(Verdict.CLEAN, v.exitStatus());
    }

    @Test
    void significantAndBeyondTheThresholdIsARegressionOfTimeAndThroughput() {
        Verdict v = compare(timed("dense", 256, normal(200, 10.0, 0.3, 3), BYTES), timed("dense", 256, normal(200, 12.0, 0.3, 4), BYTES));
        Finding time = finding(v, Metric.TIME), throughput = finding(v, Metric.THROUGHPUT);
        assertEquals(Finding.Kind.REGRESSION, time.kind());
        assertTrue(time.pValue() < 0.01);
        assertEquals(0.2, time.change(), 0.02);
        // Lower time is better, higher throughput is better: the same slow-down is a regression of both.
        assertEquals(Finding.Kind.REGRESSION, throughput.kind());
        assertTrue(throughput.change() < -0.1, "throughput change " + throughput.change());
        assertEquals(Verdict.REGRESSED, v.exitStatus());
        assertEquals(2, v.regressions().size());
        String[] row = v.table(false).get(1);
        assertEquals("regression", row[0]);
        assertTrue(row[1].startsWith("dense causal forward n=256"), row[1]);
    }

    /** A row of several forks: each fork's samples around its own level, the fork medians recorded. */
    private static ResultRow forks(double... levels) {
        List<Double> samples = new java.util.ArrayList<>(), medians = new java.util.ArrayList<>();
        for (int f = 0; f < levels.length; f++) {
            List<Double> fork = normal(400, levels[f], 0.05, 100 + f);
            samples.addAll(fork);
            medians.add(org.attnbench.results.SampleStats.of(fork).median());
        }
        return timed("dense", 256, samples, BYTES).toBuilder().set(Column.FORKS, (long) levels.length)
                .set(Column.FORK_MEDIANS_MS, medians).build();
    }

    @Test
    void forksOfUnchangedCodeThatDifferAreNotARegression() {
        // Five forks a side at scattered levels, as JIT and layout make them: pooled, the thousands of samples differ
        // overwhelmingly (the current side's pool lies 8% higher), but the forks themselves interleave.
        ResultRow base = forks(10.0, 10.2, 11.9, 10.1, 10.3), now = forks(10.9, 11.8, 10.2, 12.0, 11.0);
        double pooled = Comparison.pValue(base.samplesMs().stream().mapToDouble(Double::doubleValue).toArray(),
                now.samplesMs().stream().mapToDouble(Double::doubleValue).toArray());
        assertTrue(pooled < 1e-6, "the samples alone would flag it: p = " + pooled);
        Finding time = finding(compare(base, now), Metric.TIME);
        assertEquals(Finding.Kind.UNCHANGED, time.kind(), time.toString());
        assertTrue(time.pValue() > 0.01, "p = " + time.pValue());
        assertTrue(time.note().contains("5 v 5 forks"), time.note());
        assertEquals(11.0 / 10.2 - 1, time.change(), 0.01, "the change of the forks' medians");
    }

    @Test
    void forksThatSeparateBeyondTheirSpreadAreARegression() {
        Verdict v = compare(forks(10.0, 10.1, 10.2, 9.9, 10.05), forks(11.0, 11.1, 10.9, 11.2, 11.05));
        Finding time = finding(v, Metric.TIME), throughput = finding(v, Metric.THROUGHPUT);
        assertEquals(Finding.Kind.REGRESSION, time.kind(), time.toString());
        assertTrue(time.pValue() < 0.01, "p = " + time.pValue());
        assertTrue(time.note().matches("significant and beyond 5%; 5 v 5 forks, [23]\\.[0-9]+% apart"), time.note());
        assertEquals(Finding.Kind.REGRESSION, throughput.kind(), throughput.toString());
    }

    @Test
    void aChangeWithinTheForksOwnSpreadIsNotARegression() {
        // Completely separated (p < 0.01) and 10% apart, but one side's forks span 30%: the same code moves that much.
        Verdict v = compare(forks(10.0, 10.1, 10.2, 9.9, 10.05), forks(11.0, 11.1, 10.95, 14.0, 11.05));
        Finding time = finding(v, Metric.TIME);
        assertTrue(time.pValue() < 0.01, "p = " + time.pValue());
        assertEquals(Finding.Kind.UNCHANGED, time.kind(), time.toString());
        assertTrue(time.note().contains("significant but within the forks' spread 27.9"), time.note());
    }

    @Test
    void timeAndThroughputAlwaysGetTheSameVerdict() {
        // A night of unchanged code on the 2-core VM (the roof's fork medians): completely separated, the time 25% lower,
        // the throughput 33% higher, the baseline's forks 29% apart (largest over smallest), 26.7% of their median. A
        // threshold on the relative change called the throughput beyond that spread and the time within it.
        Verdict v = compare(forks(16.3, 21.1, 18.0, 18.1, 16.7), forks(14.6, 13.5, 13.4, 13.7, 13.3));
        Finding time = finding(v, Metric.TIME), throughput = finding(v, Metric.THROUGHPUT);
        assertEquals(time.kind(), throughput.kind(), time + "\n" + throughput);
        assertEquals(time.note(), throughput.note());
        assertEquals(Finding.Kind.IMPROVEMENT, time.kind(), "1.33 times apart is beyond the forks' 1.29");
        assertTrue(time.pValue() < 0.01 && throughput.pValue() < 0.01);
    }

    @Test
    void tooFewForksAreTestedOnTheirSamplesAndTheNoteSaysSo() {
        assertEquals(5, Comparison.forksNeeded(0.01), "5 v 5 completely separated forks give p = 0.009 by the normal approximation");
        assertEquals(3, Comparison.forksNeeded(0.05), "3 v 3 give p = 0.0495");
        Finding time = finding(compare(forks(10.0, 10.1), forks(11.0, 11.1)), Metric.TIME);
        assertEquals(Finding.Kind.REGRESSION, time.kind(), time.toString());
        assertTrue(time.note().contains("samples, as the forks (2 v 2) are too few to test"), time.note());
    }

    @Test
    void anImprovementIsReportedAndIsNotAFailure() {
        Verdict v = compare(timed("dense", 256, normal(200, 12.0, 0.3, 5), BYTES), timed("dense", 256, normal(200, 10.0, 0.3, 6), BYTES));
        assertEquals(Finding.Kind.IMPROVEMENT, finding(v, Metric.TIME).kind());
        assertEquals(Finding.Kind.IMPROVEMENT, finding(v, Metric.THROUGHPUT).kind());
        assertEquals(Verdict.CLEAN, v.exitStatus());
        assertTrue(v.summary().startsWith("0 regressions, 2 improvements"), v.summary());
        assertEquals(3, v.table(false).size(), "the short table lists improvements too");
    }

    @Test
    void exactPeakBytesGrowingByOneByteIsARegression() {
        List<Double> same = normal(100, 10.0, 0.1, 7);
        Verdict grew = compare(timed("dense", 256, same, BYTES), timed("dense", 256, same, BYTES + 1));
        Finding f = finding(grew, Metric.PEAK_LIVE_BYTES);
        assertEquals(Finding.Kind.REGRESSION, f.kind());
        assertEquals("exact, +1 bytes", f.note());
        assertEquals(Verdict.REGRESSED, grew.exitStatus());
        assertEquals(Finding.Kind.UNCHANGED, finding(grew, Metric.TIME).kind(), "identical samples do not move");
        assertTrue(Verdict.change(f).endsWith("(+1 B)"), Verdict.change(f));
        assertEquals(Finding.Kind.IMPROVEMENT, finding(compare(timed("dense", 256, same, BYTES), timed("dense", 256, same, BYTES - 1)),
                Metric.PEAK_LIVE_BYTES).kind());
        assertEquals(Finding.Kind.UNCHANGED, finding(compare(timed("dense", 256, same, BYTES), timed("dense", 256, same, BYTES)),
                Metric.PEAK_LIVE_BYTES).kind());
    }

    @Test
    void aConfigurationThatNowFailsIsARegressionAndOneThatNowRunsAnImprovement() {
        ResultRow ok = timed("dense", 256, normal(50, 10.0, 0.1, 8), BYTES);
        ResultRow broken = failed("dense", 256, "error", "IllegalStateException: boom");
        Finding f = finding(compare(ok, broken), Metric.STATUS);
        assertEquals(Finding.Kind.REGRESSION, f.kind());
        assertTrue(f.note().contains("was ok, now error: IllegalStateException: boom"), f.note());
        assertEquals(Finding.Kind.IMPROVEMENT, finding(compare(broken, ok), Metric.STATUS).kind());
    }

    @Test
    void newAndMissingConfigurationsAreListedButNotRegressions() {
        List<Double> s = normal(50, 10.0, 0.1, 9);
        Verdict v = Comparison.compare(List.of(timed("dense", 256, s, BYTES), timed("dense", 512, s, BYTES)),
                List.of(timed("dense", 256, s, BYTES), timed("window", 256, s, BYTES)), Settings.defaults());
        assertEquals(1, v.of(Finding.Kind.NEW).size());
        assertEquals(1, v.of(Finding.Kind.MISSING).size());
        assertEquals(Verdict.CLEAN, v.exitStatus());
    }

    @Test
    void aBaselineFromAnotherMachineIsRefusedNamingTheField() {
        ResultRow b = timed("dense", 256, normal(50, 10.0, 0.1, 10), BYTES);
        ResultRow n = with(timed("dense", 256, normal(50, 10.0, 0.1, 11), BYTES), Column.MACHINE, "host-b");
        IncompatibleBaselineException e = assertThrows(IncompatibleBaselineException.class, () -> compare(b, n));
        assertTrue(e.getMessage().contains("machine differs (baseline 'host-a', this run 'host-b')"), e.getMessage());
        assertTrue(e.getMessage().contains("--force"), e.getMessage());

        ResultRow jdk = with(n, Column.MACHINE, "host-a").toBuilder().set(Column.JDK, "Other 25").build();
        assertTrue(assertThrows(IncompatibleBaselineException.class, () -> compare(b, jdk)).getMessage()
                .contains("jdk differs (baseline 'Test 25', this run 'Other 25')"));
    }

    @Test
    void aBaselineOfAnotherBackendOrDtypeIsRefused() {
        ResultRow b = timed("dense", 256, normal(50, 10.0, 0.1, 12), BYTES);
        ResultRow backend = with(b, Column.BACKEND, "reference");
        assertTrue(assertThrows(IncompatibleBaselineException.class, () -> compare(b, backend)).getMessage()
                .contains("backend differs (baseline 'cpu', this run 'reference')"));
        ResultRow dtype = with(b, Column.DTYPE, "float64");
        assertTrue(assertThrows(IncompatibleBaselineException.class, () -> compare(b, dtype)).getMessage()
                .contains("dtype differs (baseline 'float32', this run 'float64')"));
    }

    @Test
    void forceComparesAnywayAndSaysWhatWasIgnored() {
        ResultRow b = timed("dense", 256, normal(200, 10.0, 0.3, 13), BYTES);
        ResultRow n = timed("dense", 256, normal(200, 12.0, 0.3, 14), BYTES).toBuilder().set(Column.MACHINE, "host-b")
                .set(Column.DTYPE, "float64").build();
        Verdict v = Comparison.compare(List.of(b), List.of(n), Settings.defaults().forced());
        assertEquals(Finding.Kind.REGRESSION, finding(v, Metric.TIME).kind(), "rows are matched once dtype is ignored");
        assertEquals(List.of(Column.DTYPE, Column.MACHINE), v.ignored().stream().map(Compatibility.Difference::field).toList());
        assertTrue(v.summary().contains("FORCED despite: dtype differs"), v.summary());
    }

    @Test
    void accuracyRegressesWhenTheMeanDropsBeyondTheSeedSpread() {
        List<ResultRow> base = List.of(accuracy("dense", 1, 0.90), accuracy("dense", 2, 0.91), accuracy("dense", 3, 0.92));
        Verdict dropped = Comparison.compare(base, List.of(accuracy("dense", 1, 0.80), accuracy("dense", 2, 0.81),
                accuracy("dense", 3, 0.82)), Settings.defaults());
        Finding f = finding(dropped, Metric.ACCURACY);
        assertEquals(Finding.Kind.REGRESSION, f.kind());
        assertEquals(-0.10, f.change(), 1e-9);
        assertTrue(f.note().contains("beyond the seed spread 0.02"), f.note());
        assertTrue(f.configuration().contains("mqar") && !f.configuration().contains("seed"), f.configuration());

        Verdict within = Comparison.compare(base, List.of(accuracy("dense", 1, 0.895), accuracy("dense", 2, 0.90),
                accuracy("dense", 3, 0.915)), Settings.defaults());
        assertEquals(Finding.Kind.UNCHANGED, finding(within, Metric.ACCURACY).kind());

        Verdict better = Comparison.compare(base, List.of(accuracy("dense", 1, 0.97), accuracy("dense", 2, 0.98)), Settings.defaults());
        assertEquals(Finding.Kind.IMPROVEMENT, finding(better, Metric.ACCURACY).kind());

        Verdict oneSeed = Comparison.compare(List.of(accuracy("dense", 1, 0.9)), List.of(accuracy("dense", 1, 0.5)), Settings.defaults());
        assertEquals(Finding.Kind.UNJUDGED, finding(oneSeed, Metric.ACCURACY).kind(), "one seed has no spread to judge by");
    }

    @Test
    void thresholdAndAlphaAreSettings() {
        ResultRow b = timed("dense", 256, normal(2000, 10.0, 0.1, 15), BYTES), n = timed("dense", 256, normal(2000, 10.2, 0.1, 16), BYTES);
        Verdict strict = Comparison.compare(List.of(b), List.of(n), new Settings(0.01, 0.01, false));
        assertEquals(Finding.Kind.REGRESSION, finding(strict, Metric.TIME).kind(), "2% is beyond a 1% threshold");
        Verdict tiny = Comparison.compare(List.of(timed("dense", 256, List.of(10.0, 11.0, 12.0, 10.5, 11.5), BYTES)),
                List.of(timed("dense", 256, List.of(13.0, 14.0, 15.0, 13.5, 14.5), BYTES)), new Settings(0.05, 0.05, false));
        assertEquals(Finding.Kind.REGRESSION, finding(tiny, Metric.TIME).kind(), "five samples each are enough at alpha 0.05");
        assertEquals(0.05, Settings.parseFraction("--time-threshold", "5%"), 1e-15);
        assertEquals(0.05, Settings.parseFraction("--time-threshold", "0.05"), 1e-15);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Settings.parseFraction("--time-threshold", "five"))
                .getMessage().startsWith("--time-threshold must be"));
        assertThrows(IllegalArgumentException.class, () -> new Settings(0, 0.05, false));
    }

    @Test
    void aRunSharingNothingWithItsBaselineCannotBeCompared() {
        List<Double> s = normal(20, 10.0, 0.1, 17);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> compare(timed("dense", 256, s, BYTES), timed("window", 512, s, BYTES)));
        assertTrue(e.getMessage().startsWith("no measurement of this run is in the baseline"), e.getMessage());
    }

    @Test
    void peerRowsAreNotJudged() {
        ResultRow b = timed("dense", 256, normal(200, 10.0, 0.3, 18), BYTES);
        ResultRow peerBase = b.toBuilder().set(Column.BACKEND, "torch-cpu").set(Column.IMPLEMENTATION_OF, "dense").build();
        ResultRow peerNow = timed("dense", 256, normal(200, 20.0, 0.3, 19), BYTES).toBuilder().set(Column.BACKEND, "torch-cpu")
                .set(Column.IMPLEMENTATION_OF, "dense").build();
        Verdict v = Comparison.compare(List.of(b, peerBase), List.of(b, peerNow), Settings.defaults());
        assertEquals(Verdict.CLEAN, v.exitStatus());
        assertTrue(v.findings().stream().noneMatch(f -> f.configuration().contains("torch")));
    }

    @Test
    void whenTheRoofMovesTooTheVerdictWarnsThatTheMachineChanged() {
        List<Double> attention = normal(200, 10.0, 0.3, 20);
        Verdict steady = Comparison.compare(List.of(SyntheticRows.gemm(normal(200, 80.0, 1, 21)), timed("dense", 256, attention, BYTES)),
                List.of(SyntheticRows.gemm(normal(200, 80.0, 1, 22)), timed("dense", 256, normal(200, 13.0, 0.3, 23), BYTES)), Settings.defaults());
        assertEquals(List.of(), steady.warnings(), "the roof held: the regression is the code's");
        Verdict moved = Comparison.compare(List.of(SyntheticRows.gemm(normal(200, 80.0, 1, 21)), timed("dense", 256, attention, BYTES)),
                List.of(SyntheticRows.gemm(normal(200, 120.0, 1, 24)), timed("dense", 256, normal(200, 13.0, 0.3, 23), BYTES)), Settings.defaults());
        assertEquals(1, moved.warnings().size(), moved.warnings().toString());
        assertTrue(moved.warnings().get(0).startsWith("the backend's roof sgemm-1024 (float32 cpu) moved too (time +"), moved.warnings().get(0));
        assertTrue(moved.markdown("t", List.of()).contains("**Warning:** the backend's roof"));
    }
}
