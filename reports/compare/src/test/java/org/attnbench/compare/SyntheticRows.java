package org.attnbench.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.attnbench.results.Column;
import org.attnbench.results.ResultRow;

/** Result rows made up for the comparison's tests: one attention configuration, with samples drawn as asked. */
final class SyntheticRows {
    private SyntheticRows() {}

    /** n samples from a normal distribution (clipped at 0), seeded. */
    static List<Double> normal(int n, double mean, double sd, long seed) {
        Random r = new Random(seed);
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(Math.max(0, mean + sd * r.nextGaussian()));
        return out;
    }

    static ResultRow.Builder base(String variant, long length) {
        return ResultRow.builder().set(Column.RUN_ID, "run").set(Column.SUITE, "nightly").set(Column.MEASURED_AT, "2026-01-01T00:00:00Z")
                .set(Column.BENCHMARK, "attention").set(Column.VARIANT, variant).set(Column.BACKEND, "cpu").set(Column.DEVICE, "cpu")
                .set(Column.DTYPE, "float32").set(Column.BATCH, 1L).set(Column.LENGTH, length).set(Column.HEADS, 8L)
                .set(Column.HEAD_DIM, 64L).set(Column.MODE, "causal").set(Column.PASS, "forward").set(Column.SEED, 42L)
                .set(Column.MACHINE, "host-a").set(Column.CPU_MODEL, "Test CPU").set(Column.CORES, 2L).set(Column.JDK, "Test 25")
                .set(Column.BACKEND_DESCRIPTION, "test backend, 2 threads");
    }

    /** An ok attention row with these samples, a fixed FLOP count (so throughput follows time) and peak bytes. */
    static ResultRow timed(String variant, long length, List<Double> samplesMs, long peakBytes) {
        ResultRow.Builder b = base(variant, length).set(Column.STATUS, "ok").timesMs(samplesMs).set(Column.FLOPS, 1_000_000_000L)
                .set(Column.PEAK_LIVE_BYTES, peakBytes);
        double median = org.attnbench.results.SampleStats.of(samplesMs).median();
        return b.set(Column.GFLOPS_PER_S, 1_000_000_000L / (median * 1e6)).build();
    }

    static ResultRow failed(String variant, long length, String status, String message) {
        return base(variant, length).set(Column.STATUS, status).set(Column.MESSAGE, message).build();
    }

    /** An ok accuracy row of one seed. */
    static ResultRow accuracy(String variant, long seed, double accuracy) {
        return base(variant, 64).set(Column.BENCHMARK, "accuracy").set(Column.PASS, null).set(Column.TASK, "mqar")
                .set(Column.SEED, seed).set(Column.STATUS, "ok").set(Column.TRAIN_STEPS, 100L).set(Column.FINAL_LOSS_NATS, 0.5)
                .set(Column.TEST_ACCURACY, accuracy).build();
    }

    static ResultRow with(ResultRow r, Column c, Object value) {
        return r.toBuilder().set(c, value).build();
    }

    /** An ok row of the backend's plain matrix product (the roof). */
    static ResultRow gemm(List<Double> samplesMs) {
        return timed("sgemm-1024", 1024, samplesMs, 0).toBuilder().set(Column.BENCHMARK, "gemm").set(Column.BATCH, null)
                .set(Column.HEADS, null).set(Column.HEAD_DIM, null).set(Column.MODE, null).set(Column.PASS, null)
                .set(Column.PEAK_LIVE_BYTES, null).build();
    }
}
