package org.attnbench.suites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.attnbench.results.Column;
import org.attnbench.results.ResultRow;
import org.attnbench.results.ResultStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `attnbench scaling` reads result files and writes the table and the charts; bad input is one line. */
class ScalingCommandTest {

    private static ResultRow row(String variant, long n, double ms) {
        return ResultRow.builder().set(Column.RUN_ID, "r").set(Column.SUITE, "t")
                .set(Column.MEASURED_AT, "2026-11-22T12:00:00Z").set(Column.BENCHMARK, "attention")
                .set(Column.VARIANT, variant).set(Column.FAMILY, "x").set(Column.BACKEND, "cpu").set(Column.DEVICE, "cpu")
                .set(Column.DTYPE, "float32").set(Column.BATCH, 1).set(Column.LENGTH, n).set(Column.HEADS, 8)
                .set(Column.HEAD_DIM, 64).set(Column.MODE, "bidirectional").set(Column.PASS, "forward")
                .set(Column.STATUS, "ok").timesMs(List.of(ms, ms * 1.01, ms * 0.99))
                .set(Column.DECLARED_TIME_EXPONENT, 2.0).set(Column.MACHINE, "host").set(Column.COMMAND, "attnbench run")
                .build();
    }

    @Test
    void writesTheTableAndAChart(@TempDir Path dir) throws Exception {
        ResultStore store = ResultStore.open(dir);
        for (long n = 1024; n <= 8192; n *= 2) {
            store.append(row("dense", n, 1e-5 * n * n));
            store.append(row("window", n, 0.01 * n));
        }
        CommandLineTest.Outcome o = CommandLineTest.run("scaling", dir.toString());
        assertEquals(0, o.status(), o.err());
        String md = Files.readString(dir.resolve("scaling.md"));
        assertTrue(md.contains("| dense | bidirectional | forward | 10.5 | 41.9 | 168 | 671 | 2 | 2.00 |"), md);
        assertTrue(md.contains("| window | bidirectional | forward | 10.2 | 20.5 | 41.0 | 81.9 | 2 | 1.00 |"), md);
        assertTrue(Files.size(dir.resolve("time-cpu-float32-bidirectional-forward.png")) > 5000);
    }

    @Test
    void aMissingResultsFolderIsOneLine(@TempDir Path dir) {
        CommandLineTest.assertOneLineError(CommandLineTest.run("scaling", dir.resolve("nothing").toString()), 2,
                "no results there");
    }
}
