package org.attnbench.suites.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.attnbench.api.DType;
import org.attnbench.report.Report;
import org.attnbench.results.ResultRow;
import org.attnbench.suites.accuracy.FidelityRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** attnbench fidelity: each approximating variant's error against exact dense attention, versus n. */
@Command(name = "fidelity", mixinStandardHelpOptions = true, description = {
        "Measure how far each approximating variant (sparse patterns, BigBird, Combiner) is from exact dense attention on",
        "the same input and the same Q, K and V projections: norm(y - y_dense) / norm(y_dense), per length and mode.",
        "Rows are written as they are measured; re-running resumes. Ends with the report."})
public final class FidelityCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--variants", split = ",(?![^(]*\\))", paramLabel = "NAME", defaultValue = "all",
            description = "variants; all is every sparse and Combiner variant (default: ${DEFAULT-VALUE})")
    List<String> variants;
    @Option(names = "--lengths", split = ",", paramLabel = "N", defaultValue = "256,512,1024,2048,4096",
            description = "sequence lengths (default: ${DEFAULT-VALUE})")
    List<Integer> lengths;
    @Option(names = "--modes", split = ",", paramLabel = "MODE", description = "causal, bidirectional (default: every mode a variant has)")
    List<String> modes;
    @Option(names = "--heads", defaultValue = "8", description = "heads (default: ${DEFAULT-VALUE})") int heads;
    @Option(names = "--head-dim", defaultValue = "64", description = "head width (default: ${DEFAULT-VALUE})") int headDim;
    @Option(names = "--seeds", split = ",", paramLabel = "SEED", defaultValue = "1", description = "seeds (default: ${DEFAULT-VALUE})")
    List<Long> seeds;
    @Option(names = "--device", description = "cpu or gpu") String device;
    @Option(names = "--backend", description = "a backend by name (see attnbench list)") String backend;
    @Option(names = "--dtype", defaultValue = "float32", description = "float32, float64, ... (default: ${DEFAULT-VALUE})") String dtype;
    @Option(names = "--out", description = "results folder (default: results/fidelity)") Path out;
    @Option(names = "--fresh", description = "move earlier results in the folder aside and start over") boolean fresh;

    @Override
    public Integer call() throws IOException {
        Path home = Main.home();
        Path dir = out != null ? out : home.resolve("results").resolve("fidelity");
        FidelityRunner runner = new FidelityRunner(FidelityRunner.variantNames(variants), lengths, AccuracyCommand.parseModes(modes),
                heads, headDim, seeds, AccuracyCommand.backendName(device, backend), DType.parse(dtype), dir, home,
                AccuracyCommand.command(spec), System.out);
        runner.plan();
        if (fresh) RunCommand.moveAside(dir);
        List<ResultRow> rows = runner.run();
        Path reportDir = dir.resolve("report");
        ReportCommand.write(List.of(new Report.Source(dir.toString(), rows)), reportDir,
                new Report.Options(1024, 8192, "attnbench report " + dir + " --out " + reportDir), System.out);
        return rows.stream().allMatch(ResultRow::ok) ? 0 : Main.INCOMPLETE;
    }
}
