package org.attnbench.suites.accuracy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.attnbench.results.ResultRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The smoke tier, as CI runs it: every registered variant learns the trivial task well above chance. */
class SmokeAccuracyTest {
    @TempDir Path dir;

    @Test
    void everyVariantLearnsTheTrivialTaskWellAboveChance() throws IOException {
        SmokeAccuracyRun smoke = new SmokeAccuracyRun();
        List<String> failures = new ArrayList<>();
        for (String v : AccuracyRunner.variantNames(List.of("all"))) {
            List<ResultRow> rows = smoke.run(v, dir.resolve(v), new PrintStream(OutputStream.nullOutputStream()));
            for (ResultRow r : rows) if (!r.ok()) failures.add(v + ": " + r.status() + ": " + r.message());
            failures.addAll(smoke.shortfalls(rows));
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void theShortfallCheckCanFail() {
        ResultRow weak = ResultRow.builder().set(org.attnbench.results.Column.RUN_ID, "r").set(org.attnbench.results.Column.SUITE, "s")
                .set(org.attnbench.results.Column.MEASURED_AT, "2026-12-02T00:00:00Z").set(org.attnbench.results.Column.BENCHMARK, "accuracy")
                .set(org.attnbench.results.Column.VARIANT, "dense").set(org.attnbench.results.Column.BACKEND, "cpu")
                .set(org.attnbench.results.Column.DEVICE, "cpu").set(org.attnbench.results.Column.DTYPE, "float32")
                .set(org.attnbench.results.Column.MODE, "bidirectional").set(org.attnbench.results.Column.TASK, SmokeAccuracyRun.TASK)
                .set(org.attnbench.results.Column.LENGTH, (long) SmokeAccuracyRun.LENGTH).set(org.attnbench.results.Column.SEED, 1L)
                .set(org.attnbench.results.Column.STATUS, "ok").set(org.attnbench.results.Column.TRAIN_STEPS, 10L)
                .set(org.attnbench.results.Column.FINAL_LOSS_NATS, 1.3).set(org.attnbench.results.Column.TEST_ACCURACY, 0.3).build();
        List<String> why = new SmokeAccuracyRun().shortfalls(List.of(weak));
        assertTrue(why.size() == 1 && why.get(0).contains("30.0% only (chance 25.0%"), why.toString());
    }
}
