package org.attnbench.results;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsTest {
    @TempDir Path dir;

    static ResultRow.Builder base(String variant, long n) {
        return ResultRow.builder().set(Column.RUN_ID, "run-1").set(Column.SUITE, "test").set(Column.MEASURED_AT, "2026-11-22T12:00:00Z")
                .set(Column.BENCHMARK, "attention").set(Column.VARIANT, variant).set(Column.FAMILY, "dense")
                .set(Column.BACKEND, "cpu").set(Column.DEVICE, "cpu").set(Column.DTYPE, "float32")
                .set(Column.BATCH, 1).set(Column.LENGTH, n).set(Column.HEADS, 8).set(Column.HEAD_DIM, 64)
                .set(Column.MODE, "causal").set(Column.PASS, "forward").set(Column.COMMAND, "attnbench run, with \"quotes\"");
    }

    static ResultRow ok(String variant, long n) {
        return base(variant, n).set(Column.STATUS, "ok").set(Column.TIME_MEDIAN_MS, 2.5).set(Column.TIME_CI_LOW_MS, 2.0)
                .set(Column.TIME_CI_HIGH_MS, 3.0).set(Column.TIME_SAMPLES, 3).set(Column.SAMPLES_MS, List.of(2.0, 2.5, 3.0))
                .set(Column.FLOPS, 123456789012L).set(Column.GFLOPS_PER_S, 49.4).build();
    }

    static ResultRow unsupported(String variant, long n) {
        return base(variant, n).set(Column.STATUS, "unsupported").set(Column.MESSAGE, "n must be a multiple of 64").build();
    }

    @Test
    void rowsRoundTripThroughCsvAndJsonWithAbsentNumbersKeptAbsent() throws IOException {
        ResultStore store = ResultStore.open(dir);
        ResultRow a = ok("dense", 1024), b = unsupported("bigbird", 1000);
        store.append(a);
        store.append(b);
        for (String file : List.of(ResultStore.CSV, ResultStore.JSON)) {
            List<ResultRow> back = ResultReader.read(dir.resolve(file));
            assertEquals(List.of(a, b), back, file);
            assertNull(back.get(1).timeMedianMs(), file);
            assertEquals(List.of(2.0, 2.5, 3.0), back.get(0).samplesMs(), file);
        }
        assertEquals(List.of(a, b), ResultReader.read(dir));
    }

    @Test
    void writesLeaveNoTemporaryFilesAndReopeningResumes() throws IOException {
        ResultStore store = ResultStore.open(dir);
        store.append(ok("dense", 256));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(ResultStore.CSV, ResultStore.JSON), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        ResultStore again = ResultStore.open(dir);
        assertTrue(again.contains(ok("dense", 256).key()));
        assertFalse(again.contains(ok("dense", 512).key()));
        again.append(ok("dense", 512));
        assertEquals(2, ResultReader.read(dir.resolve(ResultStore.CSV)).size());
    }

    @Test
    void theBuilderRefusesIncompleteOrInconsistentRows() {
        assertThrows(IllegalArgumentException.class, () -> base("dense", 1).set(Column.STATUS, "fine").build());
        assertThrows(IllegalArgumentException.class, () -> base("dense", 1).set(Column.STATUS, "ok").build());
        assertThrows(IllegalArgumentException.class, () -> base("dense", 1).set(Column.STATUS, "oom").build());
        assertThrows(IllegalArgumentException.class, () -> base("dense", 1).set(Column.LENGTH, 2.5));
        assertThrows(IllegalArgumentException.class, () -> base("dense", -1).set(Column.STATUS, "error").set(Column.MESSAGE, "x").build());
        assertThrows(IllegalArgumentException.class, () -> base("dense", 1).set(Column.MESSAGE, "two\nlines"));
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static String csvOf(ResultRow... rows) throws IOException {
        var w = new java.io.StringWriter();
        ResultCodec.writeCsv(List.of(rows), w);
        return w.toString();
    }

    @Test
    void aForeignCsvIsRefusedNamingTheFile() throws IOException {
        Path p = write("other.csv", "name,score\nx,1\n");
        ResultFormatException e = assertThrows(ResultFormatException.class, () -> ResultReader.read(p));
        assertTrue(e.getMessage().startsWith(p + ":1: not an attnbench results file"), e.getMessage());
    }

    @Test
    void aBadNumberIsRefusedWithItsLine() throws IOException {
        String csv = csvOf(ok("dense", 256), ok("dense", 512)).replace(",512,", ",5x2,");
        Path p = write("bad.csv", csv);
        ResultFormatException e = assertThrows(ResultFormatException.class, () -> ResultReader.read(p));
        assertEquals(p + ":3: length: '5x2' is not a integer", e.getMessage());
    }

    @Test
    void aMissingColumnIsNamed() throws IOException {
        String csv = csvOf(ok("dense", 256));
        String[] lines = csv.split("\n");
        // drop the last column (command) from the header and the row
        String header = lines[0].substring(0, lines[0].lastIndexOf(','));
        String row = lines[1].substring(0, lines[1].lastIndexOf(",\"attnbench"));
        Path p = write("short.csv", header + "\n" + row + "\n");
        ResultFormatException e = assertThrows(ResultFormatException.class, () -> ResultReader.read(p));
        assertTrue(e.getMessage().contains("missing: command"), e.getMessage());
    }

    @Test
    void anotherSchemaVersionIsRefused() throws IOException {
        ResultStore.open(dir).append(ok("dense", 256));
        String json = Files.readString(dir.resolve(ResultStore.JSON)).replaceFirst("attnbench.results/1", "attnbench.results/9");
        Path p = write("v9.json", json);
        ResultFormatException e = assertThrows(ResultFormatException.class, () -> ResultReader.read(p));
        assertEquals(p + ":2: schema 'attnbench.results/9' is not attnbench.results/1", e.getMessage());
    }

    @Test
    void aMalformedJsonRowNamesItsLine() throws IOException {
        ResultStore.open(dir).append(ok("dense", 256));
        String json = Files.readString(dir.resolve(ResultStore.JSON)).replace("\"status\" : \"ok\"", "\"status\" : 7");
        Path p = write("bad.json", json);
        ResultFormatException e = assertThrows(ResultFormatException.class, () -> ResultReader.read(p));
        assertTrue(e.getMessage().startsWith(p + ":3: status must be text"), e.getMessage());
    }

    @Test
    void theMedianAndItsIntervalComeFromOrderStatistics() {
        SampleStats nine = SampleStats.of(List.of(9.0, 1.0, 8.0, 2.0, 7.0, 3.0, 6.0, 4.0, 5.0));
        assertEquals(5.0, nine.median());
        // Binomial(9, 1/2): P(B <= 1) = 10/512 = 0.0195 <= 0.025 < P(B <= 2), so [x(2), x(8)].
        assertEquals(2.0, nine.low());
        assertEquals(8.0, nine.high());
        assertEquals(1 - 2 * 10.0 / 512, nine.confidence(), 1e-12);
        List<Double> twenty = new java.util.ArrayList<>();
        for (int i = 1; i <= 20; i++) twenty.add((double) i);
        SampleStats t = SampleStats.of(twenty);
        assertEquals(10.5, t.median());
        // Binomial(20, 1/2): P(B <= 5) = 0.0207 <= 0.025 < P(B <= 6) = 0.0577, so [x(6), x(15)].
        assertEquals(6.0, t.low());
        assertEquals(15.0, t.high());
        SampleStats three = SampleStats.of(List.of(3.0, 1.0, 2.0));
        assertEquals(1.0, three.low());
        assertEquals(3.0, three.high());
        assertEquals(0.75, three.confidence(), 1e-12);
    }

    @Test
    void npyFilesHaveTheStandardHeaderAndRoundTrip() throws IOException {
        Path p = dir.resolve("x.npy");
        double[] values = {1, -2.5, 3.25, 4, 5, 6};
        Npy.write(p, values, new int[] {2, 3}, false);
        byte[] bytes = Files.readAllBytes(p);
        int headerLength = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
        assertEquals(0, (10 + headerLength) % 64, "data must start at a multiple of 64 bytes");
        assertEquals(10 + headerLength + 6 * 4, bytes.length);
        String header = new String(bytes, 10, headerLength, java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", header.strip());
        assertEquals('\n', header.charAt(header.length() - 1));
        Npy.Array back = Npy.read(p);
        assertArrayEquals(new int[] {2, 3}, back.shape());
        assertArrayEquals(values, back.values(), 0.0);
        Npy.write(p, new double[] {Math.PI}, new int[] {1}, true);
        assertEquals(Math.PI, Npy.read(p).values()[0], 0.0);
        assertEquals("<f8", Npy.read(p).descr());
    }

    @Test
    void theEnvironmentIsCapturedWithoutFailing() {
        Environment env = Environment.capture(dir);
        assertFalse(env.cpuModel().isEmpty());
        assertTrue(env.cores() >= 1);
        assertEquals("unknown", env.gitRevision(), "a folder that is not a checkout has no revision");
        Long peak = Environment.processPeakResidentBytes();
        if (Files.exists(Path.of("/proc/self/status"))) assertTrue(peak != null && peak > 1 << 20);
    }
}
