package org.attnbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

class ResultRowTest {

    private static void refused(String expected, Supplier<?> action) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::get);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void aBuiltRowCarriesTheSchemaAndItsValues() {
        ResultRow r = Rows.ok("dense", 1024);
        assertEquals(ResultRow.SCHEMA, r.text(Column.SCHEMA));
        assertEquals(1024L, r.length());
        assertEquals(2.5, r.timeMedianMs());
        assertEquals(List.of(2.0, 2.5, 3.0), r.samplesMs());
        assertEquals(3L, r.integer(Column.TIME_SAMPLES));
        assertEquals(-7L, r.integer(Column.SEED), "a seed may be negative");
        assertTrue(r.ok());
        assertEquals("", r.message());
        assertNull(r.processPeakBytes(), "a number never set is absent, not 0");
        assertEquals(r, r.toBuilder().build());
    }

    @Test
    void anUnsupportedRowHasNoFigures() {
        ResultRow r = Rows.unsupported("bigbird", 1000);
        assertNull(r.timeMedianMs());
        assertNull(r.gflopsPerS());
        assertEquals(List.of(), r.samplesMs());
        refused("cannot have time_median_ms", () -> r.toBuilder().set(Column.TIME_MEDIAN_MS, 1.0).build());
        refused("needs a message", () -> r.toBuilder().set(Column.MESSAGE, null).build());
    }

    @Test
    void unknownChoicesAreRefused() {
        refused("unknown status 'fine' (known: error, ok, oom, unsupported)",
                () -> Rows.attention("dense", 1).set(Column.STATUS, "fine").build());
        refused("unknown mode 'sideways'", () -> Rows.ok("dense", 1).toBuilder().set(Column.MODE, "sideways").build());
        refused("unknown pass 'backward'", () -> Rows.ok("dense", 1).toBuilder().set(Column.PASS, "backward").build());
        refused("unknown device 'tpu'", () -> Rows.ok("dense", 1).toBuilder().set(Column.DEVICE, "tpu").build());
        refused("mode is missing", () -> Rows.ok("dense", 1).toBuilder().set(Column.MODE, null).build());
        assertEquals("", Rows.gemm(64).mode(), "only attention rows need a mode");
        refused("status is missing", () -> Rows.attention("dense", 1).build());
        refused("variant is missing", () -> Rows.ok("dense", 1).toBuilder().set(Column.VARIANT, "").build());
    }

    @Test
    void countsMayNotBeNegativeAndNumbersMustBeFinite() {
        refused("length must not be negative", () -> Rows.ok("dense", -1));
        refused("peak_live_bytes must not be negative", () -> Rows.ok("dense", 1).toBuilder().set(Column.PEAK_LIVE_BYTES, -1L).build());
        refused("gflops_per_s must be finite", () -> Rows.attention("dense", 1).set(Column.GFLOPS_PER_S, Double.NaN));
        refused("samples_ms must hold non-negative finite doubles", () -> Rows.attention("dense", 1).set(Column.SAMPLES_MS, List.of(1.0, -1.0)));
        refused("length takes an integer, got Double 2.5", () -> Rows.attention("dense", 1).set(Column.LENGTH, 2.5));
        refused("variant takes text", () -> Rows.attention("dense", 1).set(Column.VARIANT, 3));
    }

    @Test
    void okRowsNeedTheirTiming() {
        refused("an ok row needs time_median_ms", () -> Rows.attention("dense", 1).set(Column.STATUS, "ok").build());
        refused("an ok row has no message", () -> Rows.ok("dense", 1).toBuilder().set(Column.MESSAGE, "fine").build());
        refused("does not hold the median", () -> Rows.ok("dense", 1).toBuilder().set(Column.TIME_CI_LOW_MS, 2.6).build());
        refused("time_samples is 4 but samples_ms holds 3", () -> Rows.ok("dense", 1).toBuilder().set(Column.TIME_SAMPLES, 4).build());
    }

    @Test
    void textIsOneLineAndTimesAreUtc() {
        refused("message must be one line", () -> Rows.attention("dense", 1).set(Column.MESSAGE, "two\nlines"));
        refused("not an ISO-8601 UTC instant", () -> Rows.ok("dense", 1).toBuilder().set(Column.MEASURED_AT, "2026-11-22T12:00:00+01:00").build());
        refused("not an ISO-8601 UTC instant", () -> Rows.ok("dense", 1).toBuilder().set(Column.MEASURED_AT, "yesterday").build());
        refused("schema is always", () -> Rows.attention("dense", 1).set(Column.SCHEMA, "attnbench.results/1"));
    }

    @Test
    void theKeyNamesTheMeasurementNotItsOutcome() {
        ResultRow ok = Rows.ok("dense", 256);
        assertEquals(ok.key(), Rows.unsupported("dense", 256).key());
        assertNotEquals(ok.key(), Rows.ok("dense", 512).key());
        assertNotEquals(ok.key(), ok.toBuilder().set(Column.PASS, "forward+backward").build().key());
        assertEquals(ok.key(), ResultRow.key("attention", "dense", "cpu", "float32", 1L, 256L, 8L, 64L, "causal", "forward", "", -7L));
        ResultRow gemm = Rows.gemm(64);
        assertEquals(gemm.key(), ResultRow.key("gemm", "sgemm-64", "cpu", "float32", null, 64L, null, null, "", "forward", "", null));
        // Repeated seeds and different tasks of one configuration are separate measurements.
        ResultRow acc = Rows.accuracy("dense", 64, "mqar", 0.97);
        assertNotEquals(acc.key(), acc.toBuilder().set(Column.SEED, 2L).build().key());
        assertNotEquals(acc.key(), acc.toBuilder().set(Column.TASK, "selective-copy").build().key());
    }

    @Test
    void accuracyAndFidelityRowsCarryTheirOwnFigures() {
        ResultRow acc = Rows.accuracy("aft-simple", 128, "mqar", 0.25);
        assertEquals(0.25, acc.testAccuracy());
        assertEquals("mqar", acc.task());
        refused("needs its task", () -> acc.toBuilder().set(Column.TASK, null).build());
        refused("needs test_accuracy or test_bits_per_char", () -> acc.toBuilder().set(Column.TEST_ACCURACY, null).build());
        refused("needs train_steps", () -> acc.toBuilder().set(Column.TRAIN_STEPS, null).build());
        refused("a fraction of 1", () -> acc.toBuilder().set(Column.TEST_ACCURACY, 97.0).build());
        refused("mode is missing", () -> acc.toBuilder().set(Column.MODE, null).build());
        // A failed training has no test figures.
        refused("cannot have test_accuracy", () -> acc.toBuilder().set(Column.STATUS, "error").set(Column.MESSAGE, "diverged")
                .set(Column.SAMPLES_MS, null).set(Column.TIME_MEDIAN_MS, null).set(Column.TIME_CI_LOW_MS, null)
                .set(Column.TIME_CI_HIGH_MS, null).set(Column.TIME_SAMPLES, null).build());
        ResultRow lm = acc.toBuilder().set(Column.TEST_ACCURACY, null).set(Column.TEST_BITS_PER_CHAR, 2.1).build();
        assertEquals(2.1, lm.testBitsPerChar());

        ResultRow fid = Rows.fidelity("bigbird", 1024, 0.031);
        assertEquals(0.031, fid.fidelityRelError());
        refused("needs fidelity_rel_error", () -> fid.toBuilder().set(Column.FIDELITY_REL_ERROR, null).build());
        refused("unknown benchmark 'speed'", () -> fid.toBuilder().set(Column.BENCHMARK, "speed").build());
    }

    @Test
    void everyMeasuredFigureSaysWhichWayIsBetter() {
        assertEquals(Column.Direction.LOWER, Column.TIME_MEDIAN_MS.direction());
        assertEquals(Column.Direction.HIGHER, Column.GFLOPS_PER_S.direction());
        assertEquals(Column.Direction.HIGHER, Column.TEST_ACCURACY.direction());
        assertEquals(Column.Direction.LOWER, Column.TEST_BITS_PER_CHAR.direction());
        assertEquals(Column.Direction.LOWER, Column.PEAK_LIVE_BYTES.direction());
        assertEquals(Column.Direction.NONE, Column.LENGTH.direction());
        for (Column c : Column.values()) {
            boolean unitSaysBetter = c.id().endsWith("_per_s") || c.id().equals("test_accuracy");
            if (unitSaysBetter) assertEquals(Column.Direction.HIGHER, c.direction(), c.id());
        }
    }
}
