package org.attnbench.suites.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;

import org.attnbench.api.BackendProvider;
import org.attnbench.api.Backends;
import org.attnbench.api.DType;
import org.attnbench.api.Mode;
import org.attnbench.report.Report;
import org.attnbench.results.ResultRow;
import org.attnbench.suites.accuracy.AccuracyRunner;
import org.attnbench.suites.accuracy.Tier;
import org.attnbench.suites.sweep.SuiteDefinition;
import org.attnbench.suites.sweep.Table;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** attnbench accuracy: trains every variant on tasks at several lengths and records test accuracy. */
@Command(name = "accuracy", mixinStandardHelpOptions = true, description = {
        "Train a small model with each variant as its token mixer on tasks at several lengths, and record steps, training",
        "time, final loss and test accuracy (or bits per character) per (task, length, variant, seed). Rows are written as",
        "they are trained; re-running the same command resumes. Ends with a table and the report."})
public final class AccuracyCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--tasks", split = ",(?![^(]*\\))", paramLabel = "TASK", defaultValue = "mqar,selective-copy",
            description = "tasks, e.g. mqar,selective-copy,listops,char-lm(path=FILE) (default: ${DEFAULT-VALUE})")
    List<String> tasks;
    @Option(names = "--lengths", split = ",", paramLabel = "N", defaultValue = "64,128,256", description = "sequence lengths (default: ${DEFAULT-VALUE})")
    List<Integer> lengths;
    @Option(names = "--variants", split = ",(?![^(]*\\))", paramLabel = "NAME", defaultValue = "all",
            description = "variants; all is every variant in its reference implementation (default: ${DEFAULT-VALUE})")
    List<String> variants;
    @Option(names = "--tier", defaultValue = "default", description = "smoke, default or full (default: ${DEFAULT-VALUE})") String tier;
    @Option(names = "--steps", description = "training steps (overrides the tier)") Integer steps;
    @Option(names = "--width", description = "model width d (overrides the tier)") Integer width;
    @Option(names = "--heads", description = "heads (overrides the tier)") Integer heads;
    @Option(names = "--layers", description = "blocks (overrides the tier)") Integer layers;
    @Option(names = "--batch", description = "examples per step (overrides the tier)") Integer batch;
    @Option(names = "--lr", description = "peak learning rate (overrides the tier)") Double lr;
    @Option(names = "--seeds", split = ",", paramLabel = "SEED", description = "seeds (overrides the tier)") List<Long> seeds;
    @Option(names = "--modes", split = ",", paramLabel = "MODE",
            description = "causal, bidirectional (default: causal where the task needs it, else bidirectional where the variant has it)")
    List<String> modes;
    @Option(names = "--device", description = "cpu or gpu") String device;
    @Option(names = "--backend", description = "a backend by name (see attnbench list)") String backend;
    @Option(names = "--dtype", defaultValue = "float32", description = "float32, float64, ... (default: ${DEFAULT-VALUE})") String dtype;
    @Option(names = "--out", description = "results folder (default: results/accuracy-TIER)") Path out;
    @Option(names = "--fresh", description = "move earlier results in the folder aside and start over") boolean fresh;

    @Override
    public Integer call() throws IOException {
        Tier t = Tier.named(tier).with(width, heads, layers, batch, lr, seeds);
        if (steps != null) t = t.withSteps(steps);
        Path home = Main.home();
        Path dir = out != null ? out : home.resolve("results").resolve("accuracy-" + t.name());
        AccuracyRunner runner = new AccuracyRunner(tasks, lengths, AccuracyRunner.variantNames(variants), parseModes(modes), t,
                backendName(device, backend), DType.parse(dtype), dir, home, command(spec), System.out);
        runner.plan(); // bad input fails before anything moves or trains
        if (fresh) RunCommand.moveAside(dir);
        List<ResultRow> rows = runner.run();
        System.out.println();
        printTable(rows);
        Path reportDir = dir.resolve("report");
        ReportCommand.write(List.of(new Report.Source(dir.toString(), rows)), reportDir,
                new Report.Options(1024, 8192, "attnbench report " + dir + " --out " + reportDir), System.out);
        return rows.stream().allMatch(ResultRow::ok) ? 0 : Main.INCOMPLETE;
    }

    static String command(CommandLine.Model.CommandSpec spec) {
        return "attnbench " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    }

    static List<Mode> parseModes(List<String> modes) {
        List<Mode> out = new ArrayList<>();
        if (modes != null) for (String m : modes) out.add(Mode.parse(m));
        return out;
    }

    /**
     * --backend wins, else the device's own backend as a suite resolves it; --device gpu where the build has no usable
     * GPU backend is one clear line.
     */
    static String backendName(String device, String backend) {
        if (device != null && !device.equals("cpu") && !device.equals("gpu")) {
            throw new IllegalArgumentException("unknown device '" + device + "' (known: cpu, gpu)");
        }
        String name = SuiteDefinition.backendName(device == null ? "cpu" : device, backend);
        if (backend == null && "gpu".equals(device)) {
            BackendProvider gpu = Backends.all().stream().filter(p -> p.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--device gpu: this build has no GPU backend"));
            String why = gpu.unavailableReason();
            if (why != null) throw new IllegalArgumentException("--device gpu: backend '" + gpu.name() + "' cannot run here: " + why);
        }
        return name;
    }

    /** A column of the table: one task at one length. */
    private record TaskAtLength(String task, long length) {
        @Override
        public String toString() {
            return task + " n=" + length;
        }
    }

    /** Variants as rows, (task, n) as columns: the mean test figure over seeds, or the status. */
    static void printTable(List<ResultRow> rows) {
        List<ResultRow> acc = rows.stream().filter(r -> r.benchmark().equals("accuracy")).toList();
        if (acc.isEmpty()) return;
        TreeSet<TaskAtLength> columns = new TreeSet<>(Comparator.comparing(TaskAtLength::task).thenComparingLong(TaskAtLength::length));
        Map<String, Map<TaskAtLength, List<ResultRow>>> byVariant = new LinkedHashMap<>();
        for (ResultRow r : acc) {
            TaskAtLength col = new TaskAtLength(r.task(), r.length());
            columns.add(col);
            byVariant.computeIfAbsent(r.variant() + " (" + r.mode() + ")", k -> new LinkedHashMap<>()).computeIfAbsent(col, k -> new ArrayList<>()).add(r);
        }
        List<String[]> table = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("variant"));
        columns.forEach(c -> header.add(c.toString()));
        table.add(header.toArray(String[]::new));
        byVariant.forEach((variant, cells) -> {
            List<String> line = new ArrayList<>(List.of(variant));
            for (TaskAtLength c : columns) {
                List<ResultRow> at = cells.getOrDefault(c, List.of());
                List<ResultRow> ok = at.stream().filter(ResultRow::ok).toList();
                if (ok.isEmpty()) line.add(at.isEmpty() ? "-" : at.get(0).status());
                else if (ok.get(0).testAccuracy() != null) line.add(String.format(Locale.ROOT, "%.1f%%", 100 * ok.stream().mapToDouble(ResultRow::testAccuracy).average().orElseThrow()));
                else line.add(String.format(Locale.ROOT, "%.3f bpc", ok.stream().mapToDouble(ResultRow::testBitsPerChar).average().orElseThrow()));
            }
            table.add(line.toArray(String[]::new));
        });
        System.out.println("test accuracy (mean over seeds):");
        Table.print(System.out, table);
    }
}
