package org.attnbench.compare;

import static org.attnbench.compare.SyntheticRows.normal;
import static org.attnbench.compare.SyntheticRows.timed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryTest {
    @TempDir Path dir;

    @Test
    void entriesAppendReadBackAndDrawOneTrendChartPerMetric() throws IOException {
        Path file = dir.resolve("history.csv");
        long bytes = 1_082_130_432L; // above 2^30, where a rounded number would lose the exact byte count
        Verdict first = Comparison.compare(List.of(timed("dense", 256, normal(200, 10.0, 0.3, 1), bytes)),
                List.of(timed("dense", 256, normal(200, 10.0, 0.3, 2), bytes)), Settings.defaults());
        Verdict second = Comparison.compare(List.of(timed("dense", 256, normal(200, 10.0, 0.3, 1), bytes)),
                List.of(timed("dense", 256, normal(200, 13.0, 0.3, 3), bytes + 1)), Settings.defaults());
        History.append(file, History.entries(first, Instant.parse("2026-01-01T02:00:00Z"), "run-1", "abc", "dev"));
        History.append(file, History.entries(second, Instant.parse("2026-01-02T02:00:00Z"), "run-2", "def", "dev"));

        List<History.Entry> entries = History.read(file);
        assertEquals(6, entries.size(), "time, throughput and peak bytes of one configuration, twice");
        assertEquals(Files.readAllLines(file).size(), 7, "a header and one line per metric");
        History.Entry grew = entries.stream().filter(e -> e.run().equals("run-2") && e.metric() == Metric.PEAK_LIVE_BYTES).findFirst().orElseThrow();
        assertEquals(bytes + 1, grew.value().longValue());
        assertEquals(Finding.Kind.REGRESSION, grew.verdict());
        History.Entry time = entries.stream().filter(e -> e.run().equals("run-2") && e.metric() == Metric.TIME).findFirst().orElseThrow();
        assertEquals(second.findings().get(0).pValue(), time.pValue());

        List<Path> charts = History.drawTrends(entries, "test machine, backend cpu", dir);
        assertEquals(List.of("trend-time.png", "trend-throughput.png", "trend-peak-live-bytes.png"),
                charts.stream().map(p -> p.getFileName().toString()).toList());
        for (Path png : charts) assertTrue(ImageIO.read(png.toFile()).getWidth() > 500, png + " is an image");
    }

    @Test
    void aFileThatIsNotAHistoryIsRefusedWithItsLine() throws IOException {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, String.join(",", History.HEADER) + "\n2026-01-01T00:00:00Z,r,g,b,w,speed,ms,1,2,3,,unchanged\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> History.read(bad));
        assertTrue(e.getMessage().contains("bad.csv:2: unknown metric 'speed'"), e.getMessage());
        Files.writeString(bad, "a,b\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> History.read(bad)).getMessage().contains("not a nightly history file"));
    }

    @Test
    void theFirstNightAloneDrawsToo() throws IOException {
        Verdict v = Comparison.compare(List.of(timed("dense", 256, normal(50, 10.0, 0.3, 4), 1024)),
                List.of(timed("dense", 256, normal(50, 10.0, 0.3, 5), 1024)), Settings.defaults());
        List<Path> charts = History.drawTrends(History.entries(v, Instant.parse("2026-01-01T02:00:00Z"), "run-1", "abc", "dev"), "test", dir);
        assertEquals(3, charts.size());
        for (Path png : charts) assertTrue(ImageIO.read(png.toFile()).getHeight() > 500, png + " is an image");
    }
}
