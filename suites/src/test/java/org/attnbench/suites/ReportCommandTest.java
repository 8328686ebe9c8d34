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

/** `attnbench report` reads result files (merging several) and writes the report; bad input is one line and exit 2. */
class ReportCommandTest {
    @TempDir Path dir;

    private static ResultRow.Builder row(String variant, String backend, long n) {
        return ResultRow.builder().set(Column.RUN_ID, "r").set(Column.SUITE, "t")
                .set(Column.MEASURED_AT, "2026-11-22T12:00:00Z").set(Column.BENCHMARK, "attention")
                .set(Column.VARIANT, variant).set(Column.BACKEND, backend).set(Column.DEVICE, "cpu")
                .set(Column.DTYPE, "float32").set(Column.BATCH, 1).set(Column.LENGTH, n).set(Column.HEADS, 8)
                .set(Column.HEAD_DIM, 64).set(Column.MODE, "bidirectional").set(Column.PASS, "forward")
                .set(Column.MACHINE, "host").set(Column.CPU_MODEL, "Test CPU").set(Column.COMMAND, "attnbench run");
    }

    private static ResultRow ok(String variant, long n, double ms, double exponent) {
        return row(variant, "cpu", n).set(Column.FAMILY, "x").set(Column.STATUS, "ok").timesMs(List.of(ms, ms * 1.01, ms * 0.99))
                .set(Column.PEAK_LIVE_BYTES, (long) (ms * 1e6)).set(Column.DECLARED_TIME_EXPONENT, exponent)
                .set(Column.DECLARED_MEMORY_EXPONENT, exponent).build();
    }

    @Test
    void mergesResultsAndWritesEveryPartOfTheReport() throws Exception {
        ResultStore cpu = ResultStore.open(dir.resolve("cpu"));
        for (long n = 1024; n <= 4096; n *= 2) {
            cpu.append(ok("dense", n, 1e-5 * n * n, 2));
            cpu.append(ok("window", n, 0.01 * n, 1));
        }
        cpu.append(row("dense", "cpu", 8192).set(Column.FAMILY, "x").set(Column.STATUS, "oom").set(Column.MESSAGE, "not run: 3 GiB").build());
        ResultStore peer = ResultStore.open(dir.resolve("peer"));
        peer.append(row("dense", "torch-cpu", 1024).set(Column.IMPLEMENTATION_OF, "dense").set(Column.STATUS, "ok")
                .timesMs(List.of(20.0, 21.0, 22.0)).build());
        Path out = dir.resolve("report");
        CommandLineTest.Outcome o = CommandLineTest.run("report", dir.resolve("cpu").toString(),
                dir.resolve("peer").resolve("results.csv").toString(), "--out", out.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().startsWith("report: " + out.resolve("report.md")), o.out());
        assertTrue(o.out().contains("2 charts (PNG and SVG) in " + out.resolve("charts")), o.out());
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("| dense | 10.5 | 41.9 | 168 | oom | 2 | 2.00 |"), md);
        assertTrue(md.contains("| window | 10.2 | 20.5 | 41.0 | – | 1 | 1.00 |"), md);
        assertTrue(md.contains("| window | 1.02x | 2.05x | 4.10x | 0.977x | 0.488x | 0.244x |"), md);
        assertTrue(md.contains("| dense (torch-cpu) | 0.499x | – | – | – | – | – |"), "the peer from the second file: " + md);
        assertTrue(md.contains("Made by `attnbench report "), md);
        for (String f : List.of("report.html", "tables.tex", "charts/time-cpu-float32-bidirectional-forward.png",
                "charts/time-cpu-float32-bidirectional-forward.svg", "charts/memory-cpu-float32-bidirectional-forward.png")) {
            assertTrue(Files.size(out.resolve(f)) > 1000, f);
        }
    }

    @Test
    void aMissingFileIsOneLine() {
        CommandLineTest.assertOneLineError(CommandLineTest.run("report", dir.resolve("nothing.csv").toString(), "--out",
                dir.resolve("r").toString()), 2, "nothing.csv: no such results file or folder");
    }

    @Test
    void aFolderWithoutResultsIsOneLine() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        CommandLineTest.assertOneLineError(CommandLineTest.run("report", dir.resolve("empty").toString(), "--out",
                dir.resolve("r").toString()), 2, "empty: no results here (a results folder holds results.json)");
    }

    @Test
    void aMalformedFileIsRefusedWithItsNameAndLine() throws Exception {
        ResultStore store = ResultStore.open(dir.resolve("s"));
        store.append(ok("dense", 1024, 10, 2));
        store.append(ok("dense", 2048, 40, 2));
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, Files.readString(dir.resolve("s").resolve("results.csv")).replace(",2048,", ",20x8,"));
        CommandLineTest.assertOneLineError(CommandLineTest.run("report", bad.toString(), "--out", dir.resolve("r").toString()), 2,
                bad + ":3: length: '20x8' is not an integer");
    }

    @Test
    void aForeignFileIsRefusedWithItsName() throws Exception {
        Path foreign = Files.writeString(dir.resolve("scores.csv"), "name,score\nx,1\n");
        CommandLineTest.assertOneLineError(CommandLineTest.run("report", foreign.toString(), "--out", dir.resolve("r").toString()), 2,
                foreign + ":1: not an attnbench results file");
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello\n");
        CommandLineTest.assertOneLineError(CommandLineTest.run("report", text.toString(), "--out", dir.resolve("r").toString()), 2,
                text + ": not a results file");
    }

    @Test
    void resultsWithNothingToReportAreOneLine() throws Exception {
        ResultStore store = ResultStore.open(dir.resolve("gemm"));
        store.append(ResultRow.builder().set(Column.RUN_ID, "r").set(Column.SUITE, "t").set(Column.MEASURED_AT, "2026-11-22T12:00:00Z")
                .set(Column.BENCHMARK, "gemm").set(Column.VARIANT, "sgemm-256").set(Column.BACKEND, "cpu").set(Column.DEVICE, "cpu")
                .set(Column.DTYPE, "float32").set(Column.LENGTH, 256).set(Column.PASS, "forward").set(Column.STATUS, "ok")
                .timesMs(List.of(1.0, 1.0, 1.0)).build());
        CommandLineTest.assertOneLineError(CommandLineTest.run("report", dir.resolve("gemm").toString(), "--out", dir.resolve("r").toString()),
                2, "no attention, accuracy or fidelity rows to report in " + dir.resolve("gemm"));
    }

    @Test
    void theOutputFolderIsRequired() {
        CommandLineTest.assertOneLineError(CommandLineTest.run("report", dir.toString()), 2, "--out");
    }

    @Test
    void runEndsWithTheReportBesideItsResults() throws Exception {
        Path out = dir.resolve("run");
        CommandLineTest.Outcome o = CommandLineTest.run("run", "--suite", "smoke", "--lengths", "32,64", "--passes", "forward",
                "--gemm", "0", "--iterations", "2", "--iteration-ms", "100", "--out", out.toString());
        assertEquals(0, o.status(), o.out() + o.err());
        assertTrue(o.out().contains("report: " + out.resolve("report").resolve("report.md")), o.out());
        assertTrue(o.out().contains("results: " + out.resolve("results.csv")), "the summary is still printed: " + o.out());
        String md = Files.readString(out.resolve("report").resolve("report.md"));
        assertTrue(md.contains("Made by `attnbench report " + out + " --out " + out.resolve("report") + "`"), md);
        assertTrue(Files.size(out.resolve("report").resolve("charts").resolve("time-cpu-float32-causal-forward.png")) > 1000);
    }
}
