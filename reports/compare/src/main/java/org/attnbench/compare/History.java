package org.attnbench.compare;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.attnbench.charts.TrendChart;

/**
 * The nightly history: a CSV file with one line per metric of every configuration of every run, appended after
 * each comparison, from which the trend charts are drawn. The file is rewritten atomically (a temporary file
 * renamed over it), so an interrupted run leaves it whole.
 */
public final class History {
    public static final List<String> HEADER = List.of("run_at", "run", "git_revision", "baseline", "what", "metric", "unit",
            "baseline_value", "value", "change", "p_value", "verdict");
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator("\n").build();

    /** One line of the history. */
    public record Entry(Instant runAt, String run, String gitRevision, String baseline, String what, Metric metric,
                        Double baselineValue, Double value, Double change, Double pValue, Finding.Kind verdict) {}

    private History() {}

    /** The entries of a verdict, one per finding with a value now (status findings carry none and are left out). */
    public static List<Entry> entries(Verdict v, Instant runAt, String run, String gitRevision, String baseline) {
        List<Entry> out = new ArrayList<>();
        for (Finding f : v.findings()) {
            if (f.metric() == Metric.STATUS) {
                if (f.kind() == Finding.Kind.REGRESSION || f.kind() == Finding.Kind.IMPROVEMENT) {
                    out.add(new Entry(runAt, run, gitRevision, baseline, f.configuration(), f.metric(), null, null, null, null, f.kind()));
                }
                continue;
            }
            out.add(new Entry(runAt, run, gitRevision, baseline, f.configuration(), f.metric(), f.baseline(), f.current(),
                    f.change(), f.pValue(), f.kind()));
        }
        return out;
    }

    /** Appends entries to the history file (created with its header if missing). */
    public static void append(Path file, List<Entry> entries) throws IOException {
        List<Entry> all = new ArrayList<>(Files.exists(file) ? read(file) : List.of());
        all.addAll(entries);
        StringWriter out = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(out, FORMAT)) {
            p.printRecord(HEADER);
            for (Entry e : all) {
                p.printRecord(e.runAt(), e.run(), e.gitRevision(), e.baseline(), e.what(), e.metric().label(), e.metric().unit(),
                        num(e.baselineValue()), num(e.value()), num(e.change()), num(e.pValue()), e.verdict().id());
            }
        }
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, out.toString(), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Every entry of a history file; a malformed line is an error naming the file and line. */
    public static List<Entry> read(Path file) throws IOException {
        List<Entry> out = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            List<CSVRecord> records = FORMAT.parse(in).getRecords();
            if (records.isEmpty() || !records.get(0).toList().equals(HEADER)) {
                throw new IllegalArgumentException(file + ":1: not a nightly history file (expected the header " + String.join(",", HEADER) + ")");
            }
            for (CSVRecord r : records.subList(1, records.size())) {
                long line = r.getRecordNumber();
                try {
                    if (r.size() != HEADER.size()) throw new IllegalArgumentException("expected " + HEADER.size() + " fields, got " + r.size());
                    out.add(new Entry(Instant.parse(r.get(0)), r.get(1), r.get(2), r.get(3), r.get(4), Metric.byLabel(r.get(5)),
                            parse(r.get(7)), parse(r.get(8)), parse(r.get(9)), parse(r.get(10)), Finding.Kind.parse(r.get(11))));
                } catch (IllegalArgumentException | DateTimeParseException e) {
                    throw new IllegalArgumentException(file + ":" + line + ": " + e.getMessage());
                }
            }
        }
        return out;
    }

    /**
     * Draws one trend chart per metric found in the entries (trend-time.png, trend-throughput.png,
     * trend-peak-live-bytes.png, ...), a line per configuration with its regressions and improvements marked.
     * Returns the files written.
     */
    public static List<Path> drawTrends(List<Entry> entries, String subtitle, Path dir) throws IOException {
        List<Path> written = new ArrayList<>();
        for (Metric m : Metric.values()) {
            if (m == Metric.STATUS) continue;
            Map<String, List<TrendChart.Point>> byWhat = new LinkedHashMap<>();
            for (Entry e : entries) {
                if (e.metric() != m || e.value() == null) continue;
                TrendChart.Mark mark = switch (e.verdict()) {
                    case REGRESSION -> TrendChart.Mark.REGRESSION;
                    case IMPROVEMENT -> TrendChart.Mark.IMPROVEMENT;
                    default -> TrendChart.Mark.NONE;
                };
                byWhat.computeIfAbsent(e.what(), k -> new ArrayList<>()).add(new TrendChart.Point(e.runAt(), e.value(), mark));
            }
            if (byWhat.isEmpty()) continue;
            List<TrendChart.Series> series = new ArrayList<>();
            byWhat.forEach((what, points) -> series.add(new TrendChart.Series(what, points)));
            Path png = dir.resolve("trend-" + m.label().replace(' ', '-') + ".png");
            boolean log = m.test() != Metric.Test.SEEDS;
            TrendChart.write(series, "Nightly " + m.label(), subtitle, m.label() + (m.unit().isEmpty() ? "" : " (" + m.unit() + ")")
                    + (log ? ", log scale" : ""), log, png);
            written.add(png);
        }
        return written;
    }

    private static String num(Double v) {
        if (v == null) return "";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        // Integral values (bytes) exactly as integers, the rest so that they read back exactly.
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString(v.longValue());
        return Double.toString(v);
    }

    private static Double parse(String s) {
        if (s.isEmpty()) return null;
        if (s.equals("inf")) return Double.POSITIVE_INFINITY;
        if (s.equals("-inf")) return Double.NEGATIVE_INFINITY;
        return Double.parseDouble(s);
    }
}
