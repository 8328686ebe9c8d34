package org.attnbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultReaderTest {
    @TempDir Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static String csvOf(ResultRow... rows) throws IOException {
        StringWriter w = new StringWriter();
        ResultCodec.writeCsv(List.of(rows), w);
        return w.toString();
    }

    private String jsonOf(ResultRow... rows) throws IOException {
        Path d = Files.createTempDirectory(dir, "store");
        ResultStore store = ResultStore.open(d);
        for (ResultRow r : rows) store.append(r);
        return Files.readString(d.resolve(ResultStore.JSON));
    }

    private static String refusal(Path p) {
        ResultFormatException e = assertThrows(ResultFormatException.class, () -> ResultReader.read(p));
        assertTrue(e.getMessage().lines().count() == 1, "one line: " + e.getMessage());
        assertEquals(p.toString(), e.file());
        return e.getMessage();
    }

    @Test
    void aForeignCsvIsRefused() throws IOException {
        Path p = write("other.csv", "name,score\nx,1\n");
        assertEquals(p + ":1: not an attnbench results file (no 'schema' column in the header)", refusal(p));
        Path empty = write("empty.csv", "");
        assertEquals(empty + ":1: empty file, not an attnbench results file", refusal(empty));
    }

    @Test
    void aMissingColumnIsNamed() throws IOException {
        List<String> lines = csvOf(Rows.ok("dense", 256)).lines().toList();
        // drop the last column (command) from the header and the row
        String header = lines.get(0).substring(0, lines.get(0).lastIndexOf(','));
        String row = lines.get(1).substring(0, lines.get(1).lastIndexOf(",\"attnbench"));
        Path p = write("short.csv", header + "\n" + row + "\n");
        assertEquals(p + ":1: missing column(s): command", refusal(p));
        Path headerOnly = write("header-only.csv", header + "\n");
        assertEquals(headerOnly + ":1: missing column(s): command", refusal(headerOnly), "checked without any row");
    }

    @Test
    void aBadNumberIsRefusedWithItsPhysicalLine() throws IOException {
        String csv = csvOf(Rows.ok("dense", 256), Rows.ok("dense", 512));
        Path p = write("bad.csv", csv.replace(",512,", ",5x2,"));
        assertEquals(p + ":3: length: '5x2' is not an integer", refusal(p));
        // A blank line and Windows line ends shift the physical line away from the record number.
        List<String> lines = csv.lines().toList();
        Path shifted = write("shifted.csv", String.join("\r\n", lines.get(0), "", lines.get(1),
                lines.get(2).replace(",2.5,2.0,3.0,", ",2.5,2.0,3.0e,")) + "\r\n");
        assertEquals(shifted + ":4: time_ci_high_ms: '3.0e' is not a number", refusal(shifted));
        Path samples = write("samples.csv", csv.replace("2.0;2.5;3.0", "2.0;;3.0"));
        assertTrue(refusal(samples).startsWith(samples + ":2: samples_ms: '' is not a number"));
        Path nan = write("nan.csv", csv.replace(",49.38271560480001,", ",NaN,"));
        assertTrue(refusal(nan).startsWith(nan + ":2: gflops_per_s: 'NaN' is not a number"));
    }

    @Test
    void badValuesAreRefusedWithTheirLine() throws IOException {
        String csv = csvOf(Rows.ok("dense", 256), Rows.unsupported("dense", 512));
        Path p = write("status.csv", csv.replace(",unsupported,", ",skipped,"));
        assertTrue(refusal(p).startsWith(p + ":3: unknown status 'skipped'"), refusal(p));
        Path cells = write("cells.csv", csv.replace("\"attnbench run", "x,\"attnbench run"));
        assertEquals(cells + ":2: has 57 cells, the header has 56", refusal(cells));
        Path quote = write("quote.csv", csv + "\"unterminated\n");
        assertTrue(refusal(quote).startsWith(quote + ":"), refusal(quote));
    }

    @Test
    void anotherSchemaVersionIsRefused() throws IOException {
        String csv = csvOf(Rows.ok("dense", 256));
        Path c = write("v5.csv", csv.replace("\nattnbench.results/4,", "\nattnbench.results/5,").replace(",command", ",command,extra"));
        assertEquals(c + ":2: unknown schema 'attnbench.results/5' (this reader knows attnbench.results/3, attnbench.results/4)", refusal(c));
        String json = jsonOf(Rows.ok("dense", 256)).replaceFirst("attnbench.results/4", "attnbench.results/9");
        Path j = write("v9.json", json);
        assertEquals(j + ":2: unknown schema 'attnbench.results/9' (this reader knows attnbench.results/3, attnbench.results/4)", refusal(j));
        Path foreign = write("foreign.json", "{\"name\": \"x\"}");
        assertEquals(foreign + ":1: not an attnbench results file (field 'name' before any schema)", refusal(foreign));
        Path array = write("array.json", "[1, 2]");
        assertEquals(array + ":1: not an attnbench results file (not a JSON object)", refusal(array));
    }

    @Test
    void filesOfTheEarlierSchemaReadAsRowsOfThisOne() throws IOException {
        // attnbench.results/3 had every column but fork_medians_ms (baselines and other builds' rounds are such files).
        ResultRow row = Rows.ok("dense", 256);
        String csv = csvOf(row).replace(",samples_ms,fork_medians_ms,", ",samples_ms,").replace("attnbench.results/4,", "attnbench.results/3,")
                .replace(",2.0;2.5;3.0,,", ",2.0;2.5;3.0,");
        assertEquals(List.of(row), ResultReader.read(write("v3.csv", csv)));
        String json = jsonOf(row).replace("attnbench.results/4", "attnbench.results/3").replaceFirst(",\\s*\"fork_medians_ms\" : null", "");
        assertEquals(List.of(row), ResultReader.read(write("v3.json", json)));
        Path extra = write("v3-extra.json", jsonOf(row).replace("attnbench.results/4", "attnbench.results/3"));
        assertTrue(refusal(extra).endsWith("unknown column 'fork_medians_ms'"), "a /3 row cannot hold /4's column: " + refusal(extra));
    }

    /** The 1-based line where the index-th row of a pretty-printed results.json starts. */
    private static int rowLine(String json, int index) {
        List<String> lines = json.lines().toList();
        int seen = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).endsWith("{") && i > 0 && ++seen == index) return i + 1;
        }
        throw new AssertionError("no row " + index);
    }

    @Test
    void aBadJsonRowIsNamedByTheLineWhereItStarts() throws IOException {
        String json = jsonOf(Rows.ok("dense", 256), Rows.ok("dense", 512));
        int second = rowLine(json, 1);
        assertTrue(second > 10, "the second row starts further down");
        Path p = write("bad.json", json.replace("\"length\" : 512", "\"length\" : \"512\""));
        assertEquals(p + ":" + second + ": length: \"512\" is not an integer", refusal(p));
        Path missing = write("missing.json", json.replaceFirst("\"command\" :", "\"dropped\" :"));
        assertEquals(missing + ":" + rowLine(json, 0) + ": unknown column 'dropped'", refusal(missing));
        Path unset = write("unset.json", json.replaceFirst(",\\s*\"command\" : \"[^\\n]*\"", ""));
        assertEquals(unset + ":" + rowLine(json, 0) + ": missing column 'command'", refusal(unset));
        Path truncated = write("truncated.json", json.substring(0, json.length() / 2));
        assertTrue(refusal(truncated).matches(java.util.regex.Pattern.quote(truncated.toString()) + ":\\d+: malformed JSON: .*"),
                refusal(truncated));
        Path twice = write("twice.json", json.replace("\"suite\" : \"test\",", "\"suite\" : \"test\", \"suite\" : \"x\","));
        assertTrue(refusal(twice).contains("malformed JSON: Duplicate field 'suite'"), refusal(twice));
    }

    @Test
    void otherFilesAreRefusedAndSeveralAreReadIntoOneList() throws IOException {
        Path txt = write("results.txt", "hello");
        assertEquals(txt + ": not a results file (expected .csv, .json or a results folder)", refusal(txt));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> ResultReader.read(dir.resolve("absent.csv")));
        Path a = write("a.csv", csvOf(Rows.ok("dense", 1)));
        Path b = write("b.json", jsonOf(Rows.ok("dense", 2), Rows.gemm(64)));
        assertEquals(List.of(Rows.ok("dense", 1), Rows.ok("dense", 2), Rows.gemm(64)), ResultReader.readAll(List.of(a, b)));
    }
}
