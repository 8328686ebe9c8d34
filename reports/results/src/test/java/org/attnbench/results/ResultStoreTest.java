package org.attnbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultStoreTest {
    @TempDir Path dir;

    private List<String> files() throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void rowsRoundTripThroughCsvAndJsonWithAbsentValuesKeptAbsent() throws IOException {
        ResultStore store = ResultStore.open(dir);
        List<ResultRow> rows = List.of(Rows.ok("dense", 1024), Rows.unsupported("bigbird", 1000), Rows.gemm(4096));
        for (ResultRow r : rows) store.append(r);
        for (String file : List.of(ResultStore.CSV, ResultStore.JSON)) {
            List<ResultRow> back = ResultReader.read(dir.resolve(file));
            assertEquals(rows, back, file);
            assertNull(back.get(1).timeMedianMs(), file);
            assertNull(back.get(2).batch(), file);
            assertEquals(List.of(), back.get(2).samplesMs(), file);
            assertEquals(List.of(2.0, 2.5, 3.0), back.get(0).samplesMs(), file);
        }
        assertEquals(rows, ResultReader.read(dir), "a folder reads as its results.json");
    }

    @Test
    void emptyTextIsAbsentSoAFolderWithSuchRowsReopens() throws IOException {
        // The sweep sets mode "" on gemm rows; the CSV cannot tell "" from absent, so neither may the row.
        ResultRow gemm = Rows.gemm(256).toBuilder().set(Column.MODE, "").set(Column.MESSAGE, "").build();
        assertEquals(Rows.gemm(256), gemm);
        ResultStore.open(dir).append(gemm);
        assertEquals(List.of(gemm), ResultStore.open(dir).rows());
    }

    @Test
    void theFilesHaveTheDocumentedLayout() throws IOException {
        ResultStore.open(dir).append(Rows.ok("dense", 8));
        List<String> csv = Files.readAllLines(dir.resolve(ResultStore.CSV));
        assertEquals("schema,run_id,suite,measured_at,benchmark,variant,family,implementation_of,backend,device,dtype,"
                + "batch,length,heads,head_dim,mode,pass,status,message,task,setup,time_median_ms,time_ci_low_ms,time_ci_high_ms,"
                + "time_samples,samples_ms,fork_medians_ms,flops,gflops_per_s,peak_live_bytes,param_bytes,process_peak_bytes,device_live_peak_bytes,device_peak_bytes,"
                + "train_steps,train_time_ms,final_loss_nats,test_accuracy,test_bits_per_char,fidelity_rel_error,"
                + "declared_time_exponent,declared_memory_exponent,warmup_iterations,measurement_iterations,iteration_ms,"
                + "forks,seed,machine,cpu_model,cores,memory_bytes,os,jdk,backend_description,git_revision,command", csv.get(0));
        assertTrue(csv.get(1).contains(",2.5,2.0,3.0,3,2.0;2.5;3.0,,123456789012,"), csv.get(1));
        assertEquals(2, csv.size());
        String json = Files.readString(dir.resolve(ResultStore.JSON));
        assertTrue(json.startsWith("{\n  \"schema\" : \"attnbench.results/4\",\n  \"rows\" : [ {"), json);
        assertTrue(json.contains("\"samples_ms\" : [ 2.0, 2.5, 3.0 ]"), json);
        assertTrue(json.contains("\"param_bytes\" : null"), json);
    }

    @Test
    void writesLeaveNoTemporaryFilesAndKeepTheUsualPermissions() throws IOException {
        Path stale = Files.writeString(dir.resolve(".results.json.1234.tmp"), "{\"half");
        ResultStore store = ResultStore.open(dir);
        assertFalse(Files.exists(stale), "a temporary file a killed run left is removed");
        for (int n = 1; n <= 5; n++) store.append(Rows.ok("dense", n));
        assertEquals(List.of(ResultStore.CSV, ResultStore.JSON), files());
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Set<PosixFilePermission> usual = Files.getPosixFilePermissions(Files.createFile(dir.resolve("plain")));
            assertEquals(usual, Files.getPosixFilePermissions(dir.resolve(ResultStore.CSV)));
            assertEquals(usual, Files.getPosixFilePermissions(dir.resolve(ResultStore.JSON)));
        }
    }

    @Test
    void reopeningResumesAndNeverRewritesEarlierRows() throws IOException {
        ResultStore store = ResultStore.open(dir);
        store.append(Rows.ok("dense", 256));
        store.append(Rows.unsupported("bigbird", 100));
        ResultStore again = ResultStore.open(dir);
        assertEquals(store.rows(), again.rows());
        assertTrue(again.contains(Rows.ok("dense", 256).key()));
        assertTrue(again.containsKeyOf(Rows.unsupported("dense", 256)), "the key ignores the outcome");
        assertFalse(again.containsKeyOf(Rows.ok("dense", 512)));
        again.append(Rows.ok("dense", 512));
        assertTrue(again.containsKeyOf(Rows.ok("dense", 512)));
        List<ResultRow> all = ResultReader.read(dir.resolve(ResultStore.CSV));
        assertEquals(3, all.size());
        assertEquals(store.rows(), all.subList(0, 2));
        assertEquals(all, ResultReader.read(dir.resolve(ResultStore.JSON)));
    }

    @Test
    void aRunStoppedBetweenTheTwoRenamesLosesNothing() throws IOException {
        Path other = Files.createDirectory(dir.resolve("other"));
        ResultStore.open(other).append(Rows.ok("dense", 1));
        Path run = Files.createDirectory(dir.resolve("run"));
        ResultStore store = ResultStore.open(run);
        store.append(Rows.ok("dense", 1));
        store.append(Rows.ok("dense", 2));
        // As if stopped after results.csv was renamed into place and before results.json was.
        Files.copy(other.resolve(ResultStore.JSON), run.resolve(ResultStore.JSON), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        ResultStore resumed = ResultStore.open(run);
        assertEquals(store.rows(), resumed.rows());
        assertEquals(store.rows(), ResultReader.read(run.resolve(ResultStore.JSON)), "results.json is completed on opening");
    }

    @Test
    void filesThatDisagreeOrAreForeignAreRefused() throws IOException {
        Path a = Files.createDirectory(dir.resolve("a")), b = Files.createDirectory(dir.resolve("b"));
        ResultStore.open(a).append(Rows.ok("dense", 1));
        ResultStore.open(b).append(Rows.ok("dense", 2));
        Files.copy(b.resolve(ResultStore.JSON), a.resolve(ResultStore.JSON), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        ResultFormatException e = assertThrows(ResultFormatException.class, () -> ResultStore.open(a));
        assertEquals(a + ": results.csv and results.json hold different rows; this folder was edited by hand or written"
                + " by two runs at once", e.getMessage());
        Files.writeString(b.resolve(ResultStore.JSON), "{\"schema\": \"attnbench.results/9\", \"rows\": []}");
        assertThrows(ResultFormatException.class, () -> ResultStore.open(b));
    }

    @Test
    void rowsWrittenAsOneJsonFileReadBackWhole() throws IOException {
        List<ResultRow> rows = List.of(Rows.ok("dense", 1024), Rows.unsupported("bigbird", 1000));
        Path baseline = dir.resolve("baselines").resolve("dev.json");
        ResultStore.writeJson(baseline, rows);
        assertEquals(rows, ResultReader.read(baseline));
        try (var files = Files.list(baseline.getParent())) {
            assertEquals(List.of("dev.json"), files.map(p -> p.getFileName().toString()).toList(), "no temporary file is left beside it");
        }
    }
}
