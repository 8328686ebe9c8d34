package org.attnbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.attnbench.results.Column;
import org.attnbench.results.ResultRow;
import org.junit.jupiter.api.Test;

class ScalingTest {

    static ResultRow.Builder row(String variant, long n, String status) {
        return ResultRow.builder().set(Column.RUN_ID, "r").set(Column.SUITE, "t")
                .set(Column.MEASURED_AT, "2026-11-22T12:00:00Z").set(Column.BENCHMARK, "attention")
                .set(Column.VARIANT, variant).set(Column.FAMILY, "x").set(Column.BACKEND, "cpu").set(Column.DEVICE, "cpu")
                .set(Column.DTYPE, "float32").set(Column.BATCH, 1).set(Column.LENGTH, n).set(Column.HEADS, 8)
                .set(Column.HEAD_DIM, 64).set(Column.MODE, "causal").set(Column.PASS, "forward").set(Column.STATUS, status);
    }

    static ResultRow ok(String variant, long n, double ms, double declared) {
        return row(variant, n, "ok").timesMs(List.of(ms, ms, ms)).set(Column.DECLARED_TIME_EXPONENT, declared)
                .set(Column.PEAK_LIVE_BYTES, Math.round(1e6 * ms)).set(Column.DECLARED_MEMORY_EXPONENT, declared).build();
    }

    @Test
    void slopeOfAPowerLawIsItsExponentAndOnlyTheRangeCounts() {
        List<ResultRow> rows = new ArrayList<>();
        for (long n = 256; n <= 8192; n *= 2) {
            rows.add(ok("quadratic", n, 1e-6 * n * n + (n < 1024 ? 50 : 0), 2)); // the offset lies outside the range
            rows.add(ok("linear", n, 0.01 * n, 1));
        }
        rows.add(row("linear", 16384, "oom").set(Column.MESSAGE, "needs 20 GB").build());
        for (Scaling.Metric metric : Scaling.Metric.values()) {
            List<Scaling.Curve> curves = Scaling.curves(rows, metric, 1024, 8192);
            assertEquals(2, curves.size());
            Scaling.Curve linear = curves.get(0), quadratic = curves.get(1);
            assertEquals("linear", linear.line().variant());
            assertEquals(2.0, quadratic.slope(), 1e-6, metric.name());
            assertEquals(1.0, linear.slope(), 1e-6, metric.name());
            assertEquals(1024L, linear.fitFrom());
            assertEquals(8192L, linear.fitTo());
            assertEquals("oom", linear.notMeasured().get(16384L));
            assertEquals(metric == Scaling.Metric.TIME ? 2.56 : 2.56e6, linear.values().get(256L), 1e-9);
        }
    }

    @Test
    void aLaterRowForTheSameLengthSupersedesAnEarlierOne() {
        List<ResultRow> rows = List.of(ok("v", 1024, 10, 1), row("v", 2048, "error").set(Column.MESSAGE, "crashed").build(), ok("v", 2048, 20, 1));
        Scaling.Curve c = Scaling.curves(rows, Scaling.Metric.TIME, 1024, 8192).get(0);
        assertEquals(1.0, c.slope(), 1e-9);
        assertTrue(c.notMeasured().isEmpty());
    }

    @Test
    void aTimeWithAWideIntervalIsNoisy() {
        ResultRow steady = ok("v", 1024, 10, 1);
        ResultRow wide = row("v", 2048, "ok").timesMs(List.of(5.0, 10.0, 20.0)).build(); // interval 5..20 around 10
        assertTrue(!Scaling.noisy(steady));
        assertTrue(Scaling.noisy(wide));
        Scaling.Curve c = Scaling.curves(List.of(steady, wide), Scaling.Metric.TIME, 1024, 8192).get(0);
        assertEquals(java.util.Set.of(2048L), c.noisy());
        assertTrue(Scaling.curves(List.of(steady, wide), Scaling.Metric.MEMORY, 1024, 8192).get(0).noisy().isEmpty(), "memory is exact");
    }

    @Test
    void oneLengthHasNoSlope() {
        Scaling.Curve c = Scaling.curves(List.of(ok("v", 1024, 10, 1)), Scaling.Metric.TIME, 1024, 8192).get(0);
        assertNull(c.slope());
        assertNull(c.fitFrom());
    }

    @Test
    void aPeerIsALineOfItsOwnNamedByWhatItMirrors() {
        ResultRow peer = row("dense", 1024, "ok").set(Column.BACKEND, "torch-cpu").set(Column.IMPLEMENTATION_OF, "dense")
                .timesMs(List.of(5.0, 5.0, 5.0)).build();
        List<Scaling.Curve> curves = Scaling.curves(List.of(peer, ok("dense", 1024, 4, 2)), Scaling.Metric.MEMORY, 1024, 8192);
        assertEquals(List.of(new Line("dense", "cpu", false), new Line("dense", "torch-cpu", true)),
                curves.stream().map(Scaling.Curve::line).toList(), "ours first");
        assertTrue(!curves.get(1).hasValues(), "a peer's rows count no memory");
        assertEquals("dense (torch-cpu)", curves.get(1).line().label("cpu"));
    }
}
