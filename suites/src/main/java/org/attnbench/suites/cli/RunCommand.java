package org.attnbench.suites.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;

import org.attnbench.api.Backend;
import org.attnbench.api.Backends;
import org.attnbench.suites.sweep.Measurement;
import org.attnbench.report.Report;
import org.attnbench.suites.sweep.SuiteDefinition;
import org.attnbench.suites.sweep.Summary;
import org.attnbench.suites.sweep.SweepRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Runs a suite (the default one unless --suite names another), with single fields overridden by options. */
@Command(name = "run", description = {
        "Measure time and memory versus sequence length: one JMH run per configuration, one result row each,",
        "written to CSV and JSON as soon as it is measured. Re-running the same command resumes. Ends with the",
        "report of the results folder (as attnbench report makes it) in its report/ folder."})
final class RunCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--suite", description = "suite name under suites/ or a YAML file (default: ${DEFAULT-VALUE})", defaultValue = "default")
    String suiteName;
    @Option(names = "--variants", split = ",(?![^(]*\\))", paramLabel = "NAME", description = "variants to measure, e.g. dense,window(w=32),bigbird(block=32,random=2)")
    List<String> variants;
    @Option(names = "--lengths", split = ",", paramLabel = "N", description = "sequence lengths, e.g. 256,512,1024")
    List<Integer> lengths;
    @Option(names = "--device", description = "cpu or gpu") String device;
    @Option(names = "--backend", description = "a backend by name (see attnbench list)") String backend;
    @Option(names = "--dtype", split = ",", paramLabel = "TYPE", description = "float32, float64, ...") List<String> dtypes;
    @Option(names = "--modes", split = ",", paramLabel = "MODE", description = "causal, bidirectional") List<String> modes;
    @Option(names = "--passes", split = ",", paramLabel = "PASS", description = "forward, forward+backward") List<String> passes;
    @Option(names = "--batch") Integer batch;
    @Option(names = "--heads") Integer heads;
    @Option(names = "--head-dim") Integer headDim;
    @Option(names = "--seed") Long seed;
    @Option(names = "--warmup", paramLabel = "ITERATIONS", description = "JMH warm-up iterations") Integer warmup;
    @Option(names = "--iterations", description = "JMH measurement iterations") Integer iterations;
    @Option(names = "--iteration-ms", description = "length of one JMH iteration") Integer iterationMs;
    @Option(names = "--gemm", split = ",", paramLabel = "SIZE", description = "plain matmul sizes to time as the roof (0 for none)") List<Integer> gemm;
    @Option(names = "--no-peers", description = "do not time the PyTorch peer") boolean noPeers;
    @Option(names = "--no-op-overhead", description = "do not time the per-operation overhead") boolean noOverhead;
    @Option(names = "--memory-limit", description = "off-heap limit per measuring process, e.g. 16g") String memoryLimit;
    @Option(names = "--out", description = "results folder (default: results/SUITE)") Path out;
    @Option(names = "--fresh", description = "move earlier results in the folder aside and start over") boolean fresh;
    @Option(names = "--dry-run", description = "check everything and print the plan, measure nothing") boolean dryRun;

    @Override
    public Integer call() throws IOException {
        Path home = Main.home();
        SuiteDefinition suite = SuiteDefinition.load(suiteName, home.resolve("suites"));
        applyOverrides(suite);
        suite.validate("the command line");
        Path dir = out != null ? out : home.resolve("results").resolve(suite.name);
        SweepRunner runner = new SweepRunner(suite, dir, home, "attnbench " + String.join(" ", spec.commandLine().getParseResult().originalArgs()), System.out);
        if (dryRun) {
            try (Backend backend = Backends.open(runner.validate().name())) {
                for (Measurement m : runner.plan()) {
                    String counted = runner.counted(m, backend);
                    System.out.println(m.describe() + (counted.isEmpty() ? "" : ": " + counted));
                }
            }
            System.out.println(runner.plan().size() + " measurements; nothing was run (--dry-run; costs counted on the shape-only backend)");
            return 0;
        }
        if (fresh) moveAside(dir);
        Summary summary = runner.run();
        summary.print(System.out);
        // The report beside the results is exactly what `attnbench report DIR --out DIR/report` makes from them.
        Path reportDir = dir.resolve("report");
        ReportCommand.write(List.of(new Report.Source(dir.toString(), summary.rows())), reportDir,
                new Report.Options(1024, 8192, "attnbench report " + dir + " --out " + reportDir), System.out);
        return summary.allOk() ? 0 : Main.INCOMPLETE;
    }

    /** --fresh: earlier results in dir are moved beside it, never deleted. */
    static void moveAside(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        Path aside = dir.resolveSibling(dir.getFileName() + ".replaced-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.move(dir, aside);
        System.out.println("attnbench: earlier results moved to " + aside);
    }

    private void applyOverrides(SuiteDefinition s) {
        if (variants != null) s.variants = variants;
        if (lengths != null) s.lengths = lengths;
        if (device != null) s.device = device;
        if (backend != null) s.backend = backend;
        if (dtypes != null) s.dtypes = dtypes;
        if (modes != null) s.modes = modes;
        if (passes != null) s.passes = passes;
        if (batch != null) s.batch = batch;
        if (heads != null) s.heads = heads;
        if (headDim != null) s.headDim = headDim;
        if (seed != null) s.seed = seed;
        if (warmup != null) s.jmh.warmupIterations = warmup;
        if (iterations != null) s.jmh.measurementIterations = iterations;
        if (iterationMs != null) s.jmh.iterationMs = iterationMs;
        if (gemm != null) s.gemmSizes = gemm.equals(List.of(0)) ? List.of() : gemm;
        if (noPeers) s.peers = List.of();
        if (noOverhead) s.opOverhead = false;
        if (memoryLimit != null) s.memoryLimit = memoryLimit;
        // Naming a device without a backend means that device's own backend.
        if (device != null && backend == null) s.backend = null;
        if (!s.backendName().equals("cpu") && s.opOverhead) {
            System.out.println("attnbench: note: the operation overhead is timed against ND4J's own call, so only on the cpu backend; not timed on "
                    + s.backendName());
            s.opOverhead = false;
        }
    }
}
