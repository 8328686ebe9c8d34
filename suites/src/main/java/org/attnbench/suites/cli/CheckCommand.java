package org.attnbench.suites.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import org.attnbench.api.Mode;
import org.attnbench.api.Option;
import org.attnbench.api.Plugins;
import org.attnbench.api.Variant;
import org.attnbench.api.VariantInfo;
import org.attnbench.api.Variants;
import org.attnbench.results.Column;
import org.attnbench.results.ResultRow;
import org.attnbench.suites.check.ConformanceRun;
import org.attnbench.suites.check.SmokeAccuracy;
import org.attnbench.suites.sweep.SuiteDefinition;
import org.attnbench.suites.sweep.Summary;
import org.attnbench.suites.sweep.SweepRunner;
import org.attnbench.suites.sweep.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What a contributor runs before submitting a variant: its metadata, the conformance kit, a smoke timing and a
 * smoke accuracy run, and the rows these would add to a report. Writes into no shared results folder: the rows go to
 * a temporary folder, removed at the end, unless --out names one. Exit status 0 when everything passed, 1 when the
 * variant failed a contract or a measurement, 2 for bad input.
 */
@Command(name = "check", description = {
        "Check one variant as a submission must show it: the conformance kit (through the JUnit Platform), a smoke",
        "timing (the sweep machinery at small n) and a smoke accuracy run, then print the rows it would add to a report.",
        "Variants in an external jar are found with --classpath JAR."})
final class CheckCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "the variant, e.g. my-attention or window(w=32)")
    String name;
    @picocli.CommandLine.Option(names = "--lengths", split = ",", paramLabel = "N", description = "smoke timing lengths (default: suites/check.yaml)")
    List<Integer> lengths;
    @picocli.CommandLine.Option(names = "--modes", split = ",", paramLabel = "MODE", description = "modes to time (default: those of check.yaml the variant supports)")
    List<String> modes;
    @picocli.CommandLine.Option(names = "--passes", split = ",", paramLabel = "PASS", description = "forward, forward+backward")
    List<String> passes;
    @picocli.CommandLine.Option(names = "--backend", description = "backend of the smoke timing (default: cpu)")
    String backend;
    @picocli.CommandLine.Option(names = "--no-timing", description = "skip the smoke timing")
    boolean noTiming;
    @picocli.CommandLine.Option(names = "--out", description = "keep the rows in this results folder (default: a temporary folder, removed)")
    Path out;

    @Override
    public Integer call() throws IOException {
        Variant v = Variants.get(name);
        String display = Variants.displayName(v);
        boolean ok = describe(v);

        System.out.println();
        System.out.println("conformance kit on " + display + " (every backend on the class path) ...");
        ConformanceRun.Result kit = ConformanceRun.run(name, System.out);
        System.out.println("conformance: " + kit.summary());
        kit.failed().forEach(f -> System.out.println("  failed: " + f.contract() + ": " + f.why()));
        ok &= kit.ok();

        Path dir = out != null ? out : Files.createTempDirectory("attnbench-check-");
        List<ResultRow> rows = new ArrayList<>();
        try {
            if (!noTiming) {
                System.out.println();
                SuiteDefinition suite = smokeSuite(v);
                System.out.println("smoke timing: " + display + " at n = " + suite.lengths + ", " + String.join(", ", suite.modes)
                        + ", " + String.join(", ", suite.passes) + " (suite check, backend " + suite.backendName() + ")");
                Summary timing = new SweepRunner(suite, dir.resolve("timing"), Main.home(),
                        "attnbench " + String.join(" ", spec.commandLine().getParseResult().originalArgs()), System.out).run();
                rows.addAll(timing.rows());
                ok &= timing.allOk();
            }
            System.out.println();
            List<SmokeAccuracy> accuracy = ServiceLoader.load(SmokeAccuracy.class, Plugins.loader()).stream().map(ServiceLoader.Provider::get).toList();
            if (accuracy.isEmpty()) {
                System.out.println("accuracy: not available in this build (no smoke accuracy run is installed: the accuracy suite provides one"
                        + " through " + SmokeAccuracy.class.getName() + "); no accuracy figure is reported, and this does not fail the check");
            } else {
                List<ResultRow> acc = accuracy.get(0).run(name, dir.resolve("accuracy"), System.out);
                rows.addAll(acc);
                List<String> shortfalls = accuracy.get(0).shortfalls(acc);
                shortfalls.forEach(f -> System.out.println("  failed: accuracy: " + f));
                ok &= acc.stream().allMatch(ResultRow::ok) && shortfalls.isEmpty();
            }

            System.out.println();
            System.out.println("rows this would add to a report (" + rows.size() + ")" + (out != null ? ", kept in " + out : "") + ":");
            printRows(rows);
        } finally {
            if (out == null) deleteTree(dir);
        }
        System.out.println();
        System.out.println("check " + display + ": " + (ok ? "passed" : "FAILED") + " (conformance " + kit.summary()
                + (noTiming ? "" : ", timing " + rows.stream().filter(r -> r.benchmark().equals("attention") && r.ok()).count() + " ok of "
                        + rows.stream().filter(r -> r.benchmark().equals("attention")).count()) + ")");
        return ok ? 0 : 1;
    }

    /** Prints the metadata a submission carries; false when a field is still the scaffold's placeholder. */
    private static boolean describe(Variant v) {
        VariantInfo i = v.info();
        var where = v.getClass().getProtectionDomain().getCodeSource();
        List<String[]> t = new ArrayList<>();
        t.add(new String[] {"field", "value"});
        t.add(new String[] {"variant", Variants.displayName(v) + " (" + v.getClass().getName() + (where == null ? "" : ", from " + where.getLocation()) + ")"});
        t.add(new String[] {"family", i.family()});
        t.add(new String[] {"paper", i.paper()});
        t.add(new String[] {"summary", i.summary()});
        t.add(new String[] {"modes", String.join(", ", Arrays.stream(i.modes()).map(Mode::id).toList())});
        t.add(new String[] {"time", ListCommand.cost(i.time())});
        t.add(new String[] {"memory", ListCommand.cost(i.memory())});
        t.add(new String[] {"options", String.join(", ", Arrays.stream(i.options()).map(o -> o.name() + "=" + o.defaultValue()).toList())});
        Table.print(System.out, t);
        List<String> todo = new ArrayList<>();
        if (i.paper().contains("TODO")) todo.add("paper");
        if (i.summary().contains("TODO")) todo.add("summary");
        if (i.time().formula().contains("TODO")) todo.add("time");
        if (i.memory().formula().contains("TODO")) todo.add("memory");
        for (Option o : i.options()) if (o.summary().contains("TODO")) todo.add("option " + o.name());
        if (!todo.isEmpty()) System.out.println("submission incomplete: still TODO in " + String.join(", ", todo));
        System.out.println("identities: the family's exact identities are checked by the variant module's own tests"
                + " (scripts/test -pl impls/variants/NAME); check runs the kit, which every variant must pass");
        return todo.isEmpty();
    }

    private SuiteDefinition smokeSuite(Variant v) {
        SuiteDefinition s = SuiteDefinition.load("check", Main.home().resolve("suites"));
        s.variants = List.of(name);
        if (lengths != null) s.lengths = lengths;
        if (passes != null) s.passes = passes;
        List<String> supported = Arrays.stream(v.info().modes()).map(Mode::id).toList();
        s.modes = modes != null ? modes : s.modes.stream().filter(supported::contains).toList();
        if (backend != null) s.backend = backend;
        s.validate("check's smoke timing");
        return s;
    }

    private static void printRows(List<ResultRow> rows) {
        List<String[]> t = new ArrayList<>();
        t.add(new String[] {"benchmark", "variant", "backend", "mode", "pass", "task", "n", "seed", "status", "median ms", "95% CI ms",
                "GFLOP/s", "peak live bytes", "test accuracy"});
        for (ResultRow r : rows) {
            t.add(new String[] {r.benchmark(), r.variant(), r.backend(), r.mode(), r.pass(), r.task(), String.valueOf(r.length()),
                    String.valueOf(r.integer(Column.SEED)), r.ok() ? "ok" : r.status() + ": " + r.message(),
                    r.timeMedianMs() == null ? "" : fmt("%.4g", r.timeMedianMs()),
                    r.timeCiLowMs() == null ? "" : fmt("%.4g-%.4g", r.timeCiLowMs(), r.timeCiHighMs()),
                    r.gflopsPerS() == null ? "" : fmt("%.2f", r.gflopsPerS()),
                    r.peakLiveBytes() == null ? "" : String.valueOf(r.peakLiveBytes()),
                    r.testAccuracy() == null ? "" : fmt("%.4f", r.testAccuracy())});
        }
        Table.print(System.out, t);
    }

    private static String fmt(String f, Object... a) {
        return String.format(Locale.ROOT, f, a);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
