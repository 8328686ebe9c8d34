package org.attnbench.suites.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.attnbench.charts.Scaling;
import org.attnbench.charts.TimeChart;
import org.attnbench.results.Column;
import org.attnbench.results.ResultReader;
import org.attnbench.results.ResultRow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Time against n from result files: a Markdown table with each curve's measured scaling exponent beside the
 * declared one, and a log-log chart per mode and pass. Reads results, never measures.
 */
@Command(name = "scaling", description = "Table and log-log charts of time versus n, with measured scaling exponents, from result files.")
final class ScalingCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RESULTS", arity = "1..*", description = "results folders (holding results.csv) or CSV files")
    List<Path> inputs;

    @Option(names = "--from", description = "smallest n in the slope fit (default: ${DEFAULT-VALUE})", defaultValue = "1024") long from;
    @Option(names = "--to", description = "largest n in the slope fit (default: ${DEFAULT-VALUE})", defaultValue = "8192") long to;
    @Option(names = "--out", description = "where scaling.md and the charts go (default: the first results folder)") Path out;

    @Override
    public Integer call() throws IOException {
        if (from < 1 || to <= from) throw new IllegalArgumentException("--from must be at least 1 and below --to");
        List<Path> files = new ArrayList<>();
        for (Path p : inputs) {
            Path f = Files.isDirectory(p) ? p.resolve("results.csv") : p;
            if (!Files.exists(f)) throw new NoSuchFileException(f + " (no results there)");
            files.add(f);
        }
        List<ResultRow> rows = ResultReader.readAll(files);
        List<Scaling.Curve> curves = Scaling.curves(rows, from, to);
        if (curves.isEmpty()) throw new IllegalArgumentException("no attention results in " + inputs);
        Path dir = out != null ? out : (Files.isDirectory(inputs.get(0)) ? inputs.get(0) : inputs.get(0).toAbsolutePath().getParent());
        Files.createDirectories(dir);

        ResultRow first = rows.stream().filter(r -> "attention".equals(r.benchmark())).findFirst().orElseThrow();
        String machine = first.text(Column.CPU_MODEL) != null ? first.text(Column.CPU_MODEL) : first.text(Column.MACHINE);
        Map<String, List<Scaling.Curve>> byPanel = new LinkedHashMap<>();
        for (Scaling.Curve c : curves) {
            byPanel.computeIfAbsent(c.key().backend() + " " + c.key().dtype() + " " + c.key().mode() + " " + c.key().pass(),
                    k -> new ArrayList<>()).add(c);
        }
        StringBuilder md = new StringBuilder();
        md.append("Measured on ").append(machine).append(" (").append(first.integer(Column.CORES)).append(" cores), batch ")
                .append(first.batch()).append(", ").append(first.heads()).append(" heads of ").append(first.headDim())
                .append("; median time in ms; slope = least-squares fit of log time against log n over n = ")
                .append(from).append(" to ").append(to).append(".\n");
        md.append("Results from: `").append(first.text(Column.COMMAND)).append("` at revision ")
                .append(first.text(Column.GIT_REVISION)).append(".\n\n");
        for (var panel : byPanel.entrySet()) {
            Scaling.Curve any = panel.getValue().get(0);
            String name = "time-" + any.key().backend() + "-" + any.key().dtype() + "-" + any.key().mode() + "-"
                    + any.key().pass().replace('+', '-') + ".png";
            md.append("### ").append(panel.getKey()).append("\n\n").append(Scaling.markdown(panel.getValue(), from, to))
                    .append("\n![time versus n, ").append(panel.getKey()).append("](").append(name).append(")\n\n");
            if (panel.getValue().stream().anyMatch(c -> c.medianMs().size() >= 2)) {
                TimeChart.write(panel.getValue(), "Time versus n: " + panel.getKey(),
                        machine + ", backend " + any.key().backend() + ", batch " + first.batch() + ", " + first.heads()
                                + " heads of " + first.headDim(), dir.resolve(name));
            }
        }
        Path mdFile = dir.resolve("scaling.md");
        Path tmp = dir.resolve("scaling.md.tmp");
        Files.writeString(tmp, md.toString());
        Files.move(tmp, mdFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.print(md);
        System.out.println("wrote " + mdFile + " and " + byPanel.size() + " chart(s) in " + dir);
        return 0;
    }
}
