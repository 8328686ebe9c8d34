package org.attnbench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.attnbench.results.ResultRow;

/**
 * A paper-style report drawn from result files; it never measures anything. Rows are shown per device and dtype:
 * accuracy per task with the average, speed and memory relative to dense attention at 1K, 2K and 4K, time and memory
 * against n with measured and declared scaling exponents, fidelity to dense attention, and charts of each. Written as
 * report.md, a self-contained report.html (charts embedded), tables.tex (booktabs) and charts/NAME.png and .svg.
 * The same inputs give the same files, byte for byte.
 */
public final class Report {
    static final String DENSE = "dense";
    public static final String MARKDOWN = "report.md";
    public static final String HTML = "report.html";
    public static final String LATEX = "tables.tex";
    public static final String CHARTS = "charts";
    /** The benchmarks a report shows; gemm rows add the roof to a set's description, op-overhead rows are left out. */
    private static final Set<String> SHOWN = Set.of("attention", "accuracy", "fidelity");

    private Report() {}

    /** Rows read from one results file or folder, with the name it was given by. */
    public record Source(String label, List<ResultRow> rows) {}

    /**
     * How to report: the span of lengths the scaling exponents are fitted over, and the command that makes the
     * report (printed at its top).
     */
    public record Options(long fitFrom, long fitTo, String command) {
        public Options {
            if (fitFrom < 1 || fitTo <= fitFrom) {
                throw new IllegalArgumentException("the fit range must start at 1 or more and end above its start, got "
                        + fitFrom + ".." + fitTo);
            }
        }
    }

    /** What was written; notDrawn says why there are no charts (null when they were drawn). */
    public record Written(Path markdown, Path html, Path latex, List<Path> charts, String notDrawn) {}

    /**
     * Writes the report into out (created if needed); charts are drawn by the renderer when there is one. Bad input
     * (no rows a report can show) is an IllegalArgumentException naming the sources.
     */
    public static Written write(List<Source> sources, Options options, Optional<ChartRenderer> renderer, Path out) throws IOException {
        List<Block> blocks = build(sources, options);
        Path charts = out.resolve(CHARTS);
        Files.createDirectories(charts);
        Map<String, Path> drawn = new LinkedHashMap<>();
        String notDrawn = null;
        if (renderer.isPresent()) {
            for (Block b : blocks) {
                if (b instanceof Block.Figure f) drawn.put(f.chart().name(), renderer.get().render(f.chart(), charts));
            }
        } else {
            notDrawn = "no chart renderer is on the class path (attnbench-charts, which needs java.desktop; a GPU host's package"
                    + " leaves it out); draw them from the same result files with `attnbench report RESULTS --out DIR`";
            blocks.add(2, new Block.Paragraph("Charts were not drawn: " + notDrawn + "."));
        }
        removeStaleCharts(charts, drawn.keySet());
        Path md = out.resolve(MARKDOWN), html = out.resolve(HTML), tex = out.resolve(LATEX);
        writeAtomically(md, MarkdownWriter.write(blocks, drawn, charts.getFileName().toString()).getBytes(StandardCharsets.UTF_8));
        writeAtomically(html, HtmlWriter.write(blocks, drawn).getBytes(StandardCharsets.UTF_8));
        writeAtomically(tex, LatexWriter.write(blocks, options.command()).getBytes(StandardCharsets.UTF_8));
        return new Written(md, html, tex, List.copyOf(drawn.values()), notDrawn);
    }

    /** The report as blocks, before any chart is drawn. */
    static List<Block> build(List<Source> sources, Options options) {
        // A later row with the key of an earlier one supersedes it, as in a resumed sweep.
        Map<String, ResultRow> byKey = new LinkedHashMap<>();
        for (Source s : sources) {
            for (ResultRow r : s.rows()) {
                byKey.remove(r.key());
                byKey.put(r.key(), r);
            }
        }
        List<ResultRow> rows = List.copyOf(byKey.values());
        String labels = sources.stream().map(Source::label).collect(Collectors.joining(", "));
        if (rows.stream().noneMatch(r -> SHOWN.contains(r.benchmark()))) {
            throw new IllegalArgumentException("no attention, accuracy or fidelity rows to report in " + labels);
        }
        Map<Line, Integer> styles = new LinkedHashMap<>();
        rows.stream().filter(r -> SHOWN.contains(r.benchmark())).map(Line::of).collect(Collectors.toCollection(TreeSet::new))
                .forEach(l -> styles.put(l, styles.size()));

        List<Block> blocks = new ArrayList<>();
        blocks.add(new Block.Heading(1, "attnbench report"));
        blocks.add(new Block.Paragraph("Made by `" + options.command() + "` from " + sources.stream()
                .map(s -> s.label() + " (" + s.rows().size() + " rows)").collect(Collectors.joining(", "))
                + ". A report reads result files and never measures; each table and chart names the machine, backend, dtype,"
                + " dates and command of the rows it shows."));

        Map<List<String>, List<ResultRow>> sets = new TreeMap<>(Comparator.<List<String>, String>comparing(k -> k.get(0))
                .thenComparing(k -> k.get(1)));
        for (ResultRow r : rows) {
            if (SHOWN.contains(r.benchmark()) || r.benchmark().equals("gemm")) {
                sets.computeIfAbsent(List.of(r.device(), r.dtype()), k -> new ArrayList<>()).add(r);
            }
        }
        sets.forEach((key, own) -> {
            if (own.stream().noneMatch(r -> SHOWN.contains(r.benchmark()))) return;
            ResultSet set = ResultSet.of(key.get(0), key.get(1), own, styles, options.fitFrom(), options.fitTo());
            blocks.add(new Block.Heading(2, set.title()));
            blocks.add(new Block.Paragraph(describe(set)));
            AccuracySection.add(set, blocks);
            TimingSection.add(set, blocks);
            FidelitySection.add(set, blocks);
        });
        return unique(blocks);
    }

    /** Where a set's rows come from, in full: machine, each backend's libraries, dates, commands, revisions, roof. */
    private static String describe(ResultSet set) {
        Provenance p = Provenance.of(set.rows());
        StringBuilder sb = new StringBuilder();
        sb.append("Machine: ").append(String.join("; ", p.machines().isEmpty() ? List.of("unknown") : p.machines())).append(". ");
        sb.append("Backends: ").append(String.join("; ", p.backendDescriptions().isEmpty() ? p.backends() : p.backendDescriptions()))
                .append(". Measured ").append(p.dates()).append(". ");
        sb.append(p.commands().size() == 1 ? "Command " : "Commands ")
                .append(p.commands().stream().map(c -> "`" + c + "`").collect(Collectors.joining(", "))).append(". ");
        if (!p.revisions().isEmpty()) sb.append("Revision ").append(String.join(", ", p.revisions())).append(".");
        for (ResultRow r : set.benchmark("gemm")) {
            if (r.ok() && r.gflopsPerS() != null) {
                sb.append(String.format(Locale.ROOT, " Roof: %s on %s, %.1f GFLOP/s (median %s ms).", r.variant(), r.backend(),
                        r.gflopsPerS(), Fmt.sig3(r.timeMedianMs())));
            }
        }
        return sb.toString().strip();
    }

    /** Table ids and chart names made unique (a slug can collide) by a numeric suffix. */
    private static List<Block> unique(List<Block> blocks) {
        Set<String> seen = new HashSet<>();
        List<Block> out = new ArrayList<>();
        for (Block b : blocks) {
            if (b instanceof Block.Table t) {
                String id = fresh(t.id(), seen);
                out.add(new Block.Table(id, t.title(), t.caption(), t.header(), t.numeric(), t.rows(), t.notes()));
            } else if (b instanceof Block.Figure f) {
                ChartSpec c = f.chart();
                String name = fresh("chart-" + c.name(), seen).substring("chart-".length());
                out.add(new Block.Figure(new ChartSpec(name, c.kind(), c.title(), c.xAxis(), c.yAxis(), c.logX(), c.logY(),
                        c.series(), c.notes(), c.caption())));
            } else {
                out.add(b);
            }
        }
        return out;
    }

    private static String fresh(String id, Set<String> seen) {
        String candidate = id;
        for (int i = 2; !seen.add(candidate); i++) candidate = id + "-" + i;
        return candidate;
    }

    /** Lower-case letters and digits joined by dashes: "forward+backward" becomes "forward-backward". */
    static String slug(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }

    /** Charts an earlier report left in the folder that this one did not draw. */
    private static void removeStaleCharts(Path dir, Set<String> drawn) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.{png,svg}")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (!drawn.contains(name.substring(0, name.lastIndexOf('.')))) Files.delete(f);
            }
        }
    }

    /** Writes a file through a temporary sibling and an atomic rename, so a reader never sees half of it. */
    public static void writeAtomically(Path file, byte[] content) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.write(tmp, content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
