package org.attnbench.suites.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.attnbench.report.ChartRenderer;
import org.attnbench.report.Report;
import org.attnbench.results.ResultReader;
import org.attnbench.results.ResultStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** A paper-style report from result files; reads results, never measures. `run` ends with the same report. */
@Command(name = "report", description = {
        "Write a paper-style report (Markdown, HTML, LaTeX tables, charts) from result files.",
        "Writes report.md, a self-contained report.html, tables.tex (booktabs) and charts/*.png and *.svg. Several",
        "files or folders are merged (a CPU run, a GPU run, an accuracy run); where two rows measure the same thing",
        "the later one wins. Reads results, never measures."})
final class ReportCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "RESULTS", arity = "1..*", description = "results folders or results files (.csv or .json)")
    List<Path> inputs;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "where report.md, report.html, tables.tex and charts/ go")
    Path out;
    @Option(names = "--from", paramLabel = "N", description = "smallest n of the scaling-exponent fit (default: ${DEFAULT-VALUE})", defaultValue = "1024")
    long from;
    @Option(names = "--to", paramLabel = "N", description = "largest n of the scaling-exponent fit (default: ${DEFAULT-VALUE})", defaultValue = "8192")
    long to;

    @Override
    public Integer call() throws IOException {
        List<Report.Source> sources = new ArrayList<>();
        for (Path p : inputs) sources.add(read(p));
        write(sources, out, new Report.Options(from, to, "attnbench " + String.join(" ", spec.commandLine().getParseResult().originalArgs())),
                System.out);
        return 0;
    }

    /** The rows of a results file or folder; a folder without results and a missing file are one-line errors. */
    static Report.Source read(Path p) throws IOException {
        if (Files.isDirectory(p) && !Files.exists(p.resolve(ResultStore.JSON))) {
            throw new NoSuchFileException(p + ": no results here (a results folder holds " + ResultStore.JSON + ")");
        }
        if (!Files.exists(p)) throw new NoSuchFileException(p + ": no such results file or folder");
        return new Report.Source(p.toString(), ResultReader.read(p));
    }

    /** Writes the report with the chart renderer on the class path, if any, and says where it went. */
    static void write(List<Report.Source> sources, Path out, Report.Options options, PrintStream said) throws IOException {
        Report.Written w = Report.write(sources, options, ChartRenderer.find(), out);
        said.println("report: " + w.markdown() + ", " + w.html() + " and " + w.latex()
                + (w.notDrawn() == null ? ", " + w.charts().size() + " charts (PNG and SVG) in " + out.resolve(Report.CHARTS)
                        : "; charts not drawn: " + w.notDrawn()));
    }
}
