package org.attnbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.attnbench.results.ResultReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of a committed fixture (ok, oom and unsupported timing rows, a peer, accuracy rows with two seeds, an
 * oom and a bits-per-character task, fidelity rows, a GPU set) is exactly the stored report.md and tables.tex. After
 * a deliberate change, regenerate the golden files with -Dattnbench.updateGolden=true and read the diff.
 */
class ReportGoldenTest {
    static final Path FIXTURE = Path.of("src/test/resources/fixture/results.csv");
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    static Report.Written fixtureReport(Path out, Optional<ChartRenderer> renderer) throws IOException {
        Report.Source source = new Report.Source("fixture/results.csv", ResultReader.read(FIXTURE));
        return Report.write(List.of(source), new Report.Options(1024, 8192, "attnbench report fixture/results.csv --out report"),
                renderer, out);
    }

    @Test
    void theFixtureReportMatchesTheStoredMarkdownAndLatex(@TempDir Path out) throws IOException {
        Report.Written w = fixtureReport(out, Optional.empty());
        assertGolden("report.md", Files.readString(w.markdown()));
        assertGolden("tables.tex", Files.readString(w.latex()));
        assertNotNull(w.notDrawn());
        assertTrue(w.charts().isEmpty());
    }

    @Test
    void theHtmlIsSelfContained(@TempDir Path out) throws IOException {
        String html = Files.readString(fixtureReport(out, Optional.empty()).html());
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertFalse(html.contains("src=\"http") || html.contains("href=") || html.contains("<link"), "no external assets");
        assertTrue(html.contains("<td class=\"num\">4.00x</td>"), "window's speed at 1K");
    }

    private static void assertGolden(String name, String actual) throws IOException {
        Path golden = GOLDEN.resolve(name);
        if (Boolean.getBoolean("attnbench.updateGolden")) Files.writeString(golden, actual);
        assertEquals(Files.readString(golden), actual, name + " differs from " + golden
                + " (after a deliberate change: -Dattnbench.updateGolden=true, then read the diff)");
    }
}
