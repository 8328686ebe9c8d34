package org.attnbench.results;

import java.util.List;

/** Small rows for tests: an ok attention row, an unsupported one, an ok gemm row without raw samples. */
final class Rows {
    private Rows() {}

    static ResultRow.Builder attention(String variant, long n) {
        return ResultRow.builder().set(Column.RUN_ID, "run-1").set(Column.SUITE, "test")
                .set(Column.MEASURED_AT, "2026-11-22T12:00:00.125Z").set(Column.BENCHMARK, "attention")
                .set(Column.VARIANT, variant).set(Column.FAMILY, "dense").set(Column.BACKEND, "cpu")
                .set(Column.DEVICE, "cpu").set(Column.DTYPE, "float32").set(Column.BATCH, 1).set(Column.LENGTH, n)
                .set(Column.HEADS, 8).set(Column.HEAD_DIM, 64).set(Column.MODE, "causal").set(Column.PASS, "forward")
                .set(Column.SEED, -7L).set(Column.MACHINE, "host").set(Column.GIT_REVISION, "abc123-dirty")
                // quotes, commas and semicolons must survive the CSV cell
                .set(Column.COMMAND, "attnbench run --suite \"smoke, small\"; echo done");
    }

    static ResultRow ok(String variant, long n) {
        return attention(variant, n).set(Column.STATUS, "ok").timesMs(List.of(2.0, 2.5, 3.0))
                .set(Column.FLOPS, 123_456_789_012L).set(Column.GFLOPS_PER_S, 49.38271560480001)
                .set(Column.PEAK_LIVE_BYTES, 1L << 33).set(Column.DECLARED_TIME_EXPONENT, 2.0).build();
    }

    static ResultRow unsupported(String variant, long n) {
        return attention(variant, n).set(Column.STATUS, "unsupported").set(Column.MESSAGE, "n must be a multiple of 64").build();
    }

    /** An ok accuracy row of a recall task; the time columns describe one training step. */
    static ResultRow accuracy(String variant, long n, String task, double accuracy) {
        return ResultRow.builder().set(Column.RUN_ID, "run-2").set(Column.SUITE, "accuracy")
                .set(Column.MEASURED_AT, "2026-11-22T12:00:02Z").set(Column.BENCHMARK, "accuracy")
                .set(Column.VARIANT, variant).set(Column.BACKEND, "cpu").set(Column.DEVICE, "cpu")
                .set(Column.DTYPE, "float32").set(Column.BATCH, 32).set(Column.LENGTH, n).set(Column.HEADS, 2)
                .set(Column.HEAD_DIM, 32).set(Column.MODE, "causal").set(Column.TASK, task)
                .set(Column.SETUP, "vocab=64 pairs=8 layers=2").set(Column.STATUS, "ok").timesMs(List.of(10.0, 11.0, 12.5))
                .set(Column.TRAIN_STEPS, 400).set(Column.TRAIN_TIME_MS, 4400.0).set(Column.FINAL_LOSS_NATS, 0.12)
                .set(Column.TEST_ACCURACY, accuracy).set(Column.SEED, 1L).build();
    }

    /** An ok fidelity row: no times. */
    static ResultRow fidelity(String variant, long n, double error) {
        return ResultRow.builder().set(Column.RUN_ID, "run-3").set(Column.SUITE, "fidelity")
                .set(Column.MEASURED_AT, "2026-11-22T12:00:03Z").set(Column.BENCHMARK, "fidelity")
                .set(Column.VARIANT, variant).set(Column.BACKEND, "cpu").set(Column.DEVICE, "cpu")
                .set(Column.DTYPE, "float64").set(Column.BATCH, 1).set(Column.LENGTH, n).set(Column.HEADS, 8)
                .set(Column.HEAD_DIM, 64).set(Column.MODE, "bidirectional").set(Column.TASK, "gaussian")
                .set(Column.STATUS, "ok").set(Column.FIDELITY_REL_ERROR, error).set(Column.SEED, 1L).build();
    }

    /** A gemm row: no batch, heads, head_dim or mode; a median and interval but no raw samples. */
    static ResultRow gemm(long n) {
        return ResultRow.builder().set(Column.RUN_ID, "run-1").set(Column.SUITE, "test")
                .set(Column.MEASURED_AT, "2026-11-22T12:00:01Z").set(Column.BENCHMARK, "gemm")
                .set(Column.VARIANT, "sgemm-" + n).set(Column.BACKEND, "cpu").set(Column.DEVICE, "cpu")
                .set(Column.DTYPE, "float32").set(Column.LENGTH, n).set(Column.PASS, "forward").set(Column.STATUS, "ok")
                .set(Column.TIME_MEDIAN_MS, 1e-5).set(Column.TIME_CI_LOW_MS, 0.0).set(Column.TIME_CI_HIGH_MS, 1.5e300)
                .set(Column.TIME_SAMPLES, 40).build();
    }
}
