package org.attnbench.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.attnbench.results.Column;
import org.attnbench.results.ResultRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScalingTest {

    private static ResultRow.Builder row(String variant, long n, String status) {
        return ResultRow.builder().set(Column.RUN_ID, "r").set(Column.SUITE, "t")
                .set(Column.MEASURED_AT, "2026-11-22T12:00:00Z").set(Column.BENCHMARK, "attention")
                .set(Column.VARIANT, variant).set(Column.FAMILY, "x").set(Column.BACKEND, "cpu").set(Column.DEVICE, "cpu")
                .set(Column.DTYPE, "float32").set(Column.BATCH, 1).set(Column.LENGTH, n).set(Column.HEADS, 8)
                .set(Column.HEAD_DIM, 64).set(Column.MODE, "causal").set(Column.PASS, "forward").set(Column.STATUS, status);
    }

    private static ResultRow ok(String variant, long n, double ms, double declared) {
        return row(variant, n, "ok").timesMs(List.of(ms, ms, ms)).set(Column.DECLARED_TIME_EXPONENT, declared).build();
    }

    @Test
    void slopeOfAPowerLawIsItsExponentAndOnlyTheRangeCounts() {
        List<ResultRow> rows = new ArrayList<>();
        for (long n = 256; n <= 8192; n *= 2) {
            rows.add(ok("quadratic", n, 1e-6 * n * n + (n < 1024 ? 50 : 0), 2)); // the offset lies outside the range
            rows.add(ok("linear", n, 0.01 * n, 1));
        }
        rows.add(row("linear", 16384, "oom").set(Column.MESSAGE, "needs 20 GB").build());
        List<Scaling.Curve> curves = Scaling.curves(rows, 1024, 8192);
        assertEquals(2, curves.size());
        Scaling.Curve linear = curves.get(0), quadratic = curves.get(1);
        assertEquals(2.0, quadratic.slope(), 1e-9);
        assertEquals(1.0, linear.slope(), 1e-9);
        assertEquals(4, linear.slopePoints());
        assertEquals("oom", linear.notMeasured().get(16384L));
        String table = Scaling.markdown(curves, 1024, 8192);
        assertTrue(table.contains("| linear | causal | forward | 2.56 |"), table);
        assertTrue(table.contains("| oom | 1 | 1.00 |"), table);
    }

    @Test
    void aLaterRowForTheSameLengthSupersedesAnEarlierOne() {
        List<ResultRow> rows = List.of(ok("v", 1024, 10, 1), row("v", 2048, "error").set(Column.MESSAGE, "crashed").build(), ok("v", 2048, 20, 1));
        Scaling.Curve c = Scaling.curves(rows, 1024, 8192).get(0);
        assertEquals(1.0, c.slope(), 1e-9);
        assertTrue(c.notMeasured().isEmpty());
    }

    @Test
    void oneLengthHasNoSlope() {
        assertNull(Scaling.curves(List.of(ok("v", 1024, 10, 1)), 1024, 8192).get(0).slope());
    }

    @Test
    void writesAPng(@TempDir Path dir) throws Exception {
        List<ResultRow> rows = new ArrayList<>();
        for (long n = 256; n <= 2048; n *= 2) rows.add(ok("dense", n, 1e-5 * n * n, 2));
        Path png = dir.resolve("time.png");
        TimeChart.write(Scaling.curves(rows, 256, 2048), "forward", "machine, cpu", png);
        byte[] head = Files.readAllBytes(png);
        assertEquals((byte) 0x89, head[0]);
        assertEquals('P', head[1]);
        assertTrue(head.length > 5000);
        assertThrows(IllegalArgumentException.class,
                () -> TimeChart.write(Scaling.curves(List.of(ok("v", 1024, 1, 1)), 1, 9), "t", "s", dir.resolve("x.png")));
    }
}
