package org.attnbench.suites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.attnbench.api.Cost;
import org.attnbench.api.CostMeter;
import org.attnbench.api.DType;
import org.attnbench.api.Mode;
import org.attnbench.api.Ops;
import org.attnbench.api.Problem;
import org.attnbench.results.ResultReader;
import org.attnbench.results.ResultRow;
import org.attnbench.suites.sweep.SuiteDefinition;
import org.attnbench.suites.sweep.Summary;
import org.attnbench.suites.sweep.SweepRunner;
import org.attnbench.suites.timing.Pass;
import org.attnbench.suites.timing.TimedCall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real sweep through forked JMH runs, small enough for every build: rows, statuses, resume. */
class SweepIntegrationTest {
    @TempDir Path dir;

    static SuiteDefinition tiny(List<String> variants, List<Integer> lengths) {
        SuiteDefinition s = new SuiteDefinition();
        s.name = "integration";
        s.variants = variants;
        s.lengths = lengths;
        s.heads = 2;
        s.headDim = 8;
        s.modes = List.of("causal");
        s.passes = List.of("forward");
        s.jmh.warmupIterations = 1;
        s.jmh.measurementIterations = 2;
        s.jmh.iterationMs = 100;
        s.memoryLimit = "2g";
        s.validate("test");
        return s;
    }

    private Summary run(SuiteDefinition s, ByteArrayOutputStream progress) throws IOException {
        return new SweepRunner(s, dir, Path.of("..").toAbsolutePath().normalize(), "test",
                new PrintStream(progress, true, StandardCharsets.UTF_8)).run();
    }

    @Test
    void aSweepWritesOneRowPerMeasurementRecordsUnsupportedLengthsAndResumes() throws IOException {
        SuiteDefinition s = tiny(List.of("dense", "block-local-test"), List.of(24, 32));
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Summary first = run(s, progress);
        List<ResultRow> rows = ResultReader.read(dir.resolve("results.csv"));
        assertEquals(4, rows.size(), progress.toString());
        assertEquals(rows, ResultReader.read(dir.resolve("results.json")));

        ResultRow unsupported = rows.stream().filter(r -> r.variant().equals("block-local-test") && r.length() == 24).findFirst().orElseThrow();
        assertEquals("unsupported", unsupported.status());
        assertTrue(unsupported.message().contains("not a multiple of the block size 16"), unsupported.message());
        assertTrue(!first.allOk());

        ResultRow dense = rows.stream().filter(r -> r.variant().equals("dense") && r.length() == 32).findFirst().orElseThrow();
        assertEquals("ok", dense.status(), dense.message());
        assertTrue(dense.samplesMs().size() >= 2);
        assertTrue(dense.timeCiLowMs() <= dense.timeMedianMs() && dense.timeMedianMs() <= dense.timeCiHighMs());
        assertNotNull(dense.processPeakBytes());
        // What the row says was counted is what the shape-only backend counts for the same call.
        Ops ops = Ops.shapeOnly(DType.FLOAT32);
        TimedCall call = TimedCall.prepare(ops, "dense", new Problem(1, 32, 2, 8, Mode.CAUSAL), Pass.FORWARD, 0);
        CostMeter meter = ops.startMetering();
        Cost cost = meter.stop(call.call());
        assertEquals(cost.flops(), dense.flops());
        assertEquals(cost.peakLiveBytes(), dense.peakLiveBytes());
        assertTrue(progress.toString().contains("[4/4]"), progress.toString());
        assertTrue(progress.toString().contains("left)"), "progress shows an estimate of time left");

        ByteArrayOutputStream again = new ByteArrayOutputStream();
        run(s, again);
        assertEquals(4, ResultReader.read(dir).size(), "a second run measures nothing again");
        assertTrue(again.toString().contains("resuming: 4 of 4 already measured"), again.toString());
    }

    @Test
    void runningOutOfMemoryIsARecordedResultAndTheSweepGoesOn() throws IOException {
        SuiteDefinition s = tiny(List.of("dense"), List.of(16, 2048));
        s.heads = 8;
        s.headDim = 64;
        // 8 heads x 2048^2 float32 scores alone are 128 MiB: more than this limit, while n = 16 fits easily.
        s.memoryLimit = "96m";
        run(s, new ByteArrayOutputStream());
        List<ResultRow> rows = ResultReader.read(dir);
        assertEquals("ok", rows.get(0).status(), rows.get(0).message());
        assertEquals("oom", rows.get(1).status(), rows.get(1).message());
        assertTrue(rows.get(1).message().contains("above the suite's memory_limit of 96m"), rows.get(1).message());
    }
}
