package org.attnbench.suites.accuracy;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.attnbench.api.Backend;
import org.attnbench.api.Backends;
import org.attnbench.api.DType;
import org.attnbench.api.Mode;
import org.attnbench.api.Ops;
import org.attnbench.api.Problem;
import org.attnbench.api.Rng;
import org.attnbench.api.UnsupportedProblemException;
import org.attnbench.api.Variant;
import org.attnbench.api.Variants;
import org.attnbench.datasets.Task;
import org.attnbench.datasets.Tasks;
import org.attnbench.results.Column;
import org.attnbench.results.Environment;
import org.attnbench.results.ResultRow;
import org.attnbench.results.ResultStore;
import org.attnbench.suites.sweep.SweepRunner;

/**
 * Trains every (task, length, variant, seed) of a plan and writes one accuracy row for each the moment it is
 * done; a row already in the results folder is not trained again, so re-running the same command resumes. A
 * variant that cannot take a problem, runs out of memory or diverges is a recorded row (unsupported, oom, error)
 * and the run goes on.
 */
public final class AccuracyRunner {

    /** One training run of the plan. */
    record Run(String taskSpec, int length, String variant, Mode mode, long seed) {}

    private final List<String> tasks;
    private final List<Integer> lengths;
    private final List<String> variants;
    private final List<Mode> modes;
    private final Tier tier;
    private final String backendName;
    private final DType dtype;
    private final Path outDir;
    private final Path home;
    private final String command;
    private final PrintStream progress;

    /**
     * @param modes the modes to train in; empty for each task's natural one: causal for per-token tasks and
     *              bidirectional for classification, where the variant has it, else the mode it has
     */
    public AccuracyRunner(List<String> tasks, List<Integer> lengths, List<String> variants, List<Mode> modes, Tier tier,
                          String backendName, DType dtype, Path outDir, Path home, String command, PrintStream progress) {
        this.tasks = List.copyOf(tasks);
        this.lengths = List.copyOf(lengths);
        this.variants = List.copyOf(variants);
        this.modes = List.copyOf(modes);
        this.tier = tier;
        this.backendName = backendName;
        this.dtype = dtype;
        this.outDir = outDir;
        this.home = home;
        this.command = command;
        this.progress = progress;
    }

    /**
     * The variants named: "all" is every registered variant in its reference implementation (its other
     * implementations compute the same function, which the conformance kit checks, so they would train alike).
     */
    public static List<String> variantNames(List<String> specs) {
        List<Variant> known = Variants.all();
        List<String> out = new ArrayList<>();
        for (String spec : specs) {
            if (spec.equals("all")) {
                Map<String, Variant> byName = new LinkedHashMap<>();
                for (Variant v : known) {
                    Variant seen = byName.get(v.info().name());
                    if (seen == null || (!seen.info().impl().equals("reference") && v.info().impl().equals("reference"))) {
                        byName.put(v.info().name(), v);
                    }
                }
                byName.values().forEach(v -> out.add(Variants.displayName(v)));
            } else {
                out.add(Variants.displayName(Variants.get(spec, known)));
            }
        }
        return out.stream().distinct().toList();
    }

    /** Every run, after checking every name and length: bad input fails here, before anything trains. */
    public List<Run> plan() {
        if (tasks.isEmpty() || lengths.isEmpty() || variants.isEmpty()) throw new IllegalArgumentException("nothing to train: tasks, lengths and variants are needed");
        List<Run> plan = new ArrayList<>();
        for (String spec : tasks) {
            for (int n : lengths) {
                if (n < 1) throw new IllegalArgumentException("length must be at least 1, got " + n);
                Task task = Tasks.create(spec, n, tier.seeds().get(0)); // throws for an unknown task or a length it cannot make
                for (String name : variants) {
                    Variant v = Variants.get(name);
                    for (Mode mode : modesFor(task, v)) {
                        for (long seed : tier.seeds()) plan.add(new Run(spec, n, name, mode, seed));
                    }
                }
            }
        }
        return plan;
    }

    private List<Mode> modesFor(Task task, Variant v) {
        List<Mode> own = Arrays.asList(v.info().modes());
        if (!modes.isEmpty()) {
            if (task.requiresCausal() && modes.contains(Mode.BIDIRECTIONAL)) {
                throw new IllegalArgumentException(task.name() + " needs a causal mixer (its target at i is the input at i + 1): --modes bidirectional cannot train it");
            }
            return modes;
        }
        if (task.requiresCausal()) return List.of(Mode.CAUSAL);
        // Per-token tasks are trained causally, as Zoology and MAD train their models (a 2-layer causal model learns
        // multi-query recall in about a thousand steps here; bidirectional it stalled at copying any in-context value);
        // classification is trained bidirectionally, as the Long Range Arena's encoders are.
        Mode natural = task.kind() == Task.Kind.TOKENS ? Mode.CAUSAL : Mode.BIDIRECTIONAL;
        return List.of(own.contains(natural) ? natural : own.get(0));
    }

    /** Trains what is not yet in the results folder; returns every row there. */
    public List<ResultRow> run() throws IOException {
        List<Run> plan = plan();
        Files.createDirectories(outDir);
        ResultStore store = ResultStore.open(outDir);
        try (Backend backend = Backends.open(backendName)) {
            if (!backend.dtypes().contains(dtype)) {
                throw new IllegalArgumentException("backend '" + backendName + "' has no dtype " + dtype.id());
            }
            Ops ops = Ops.on(backend, dtype);
            Environment env = Environment.capture(home);
            String runId = store.runId();
            long done = plan.stream().filter(r -> store.contains(key(r, backend))).count();
            progress.printf(Locale.ROOT, "attnbench: accuracy, %d training runs on backend %s (%s); %s%n", plan.size(), backend.name(),
                    backend.description(), tier.describe());
            progress.printf(Locale.ROOT, "attnbench: results go to %s%s%n", outDir,
                    done > 0 ? String.format(Locale.ROOT, " (resuming: %d of %d already trained there)", done, plan.size()) : "");
            // Time left is estimated from the time per unit of length so far (a run's cost grows with n).
            long start = System.nanoTime();
            double lengthDone = 0;
            int index = 0;
            for (Run r : plan) {
                index++;
                if (store.contains(key(r, backend))) continue;
                progress.printf(Locale.ROOT, "[%d/%d] %s %s n=%d %s seed %d ", index, plan.size(), r.variant(), r.taskSpec(), r.length(),
                        r.mode().id(), r.seed());
                ResultRow row = train(r, ops, backend, env, runId);
                store.append(row);
                lengthDone += r.length();
                double lengthLeft = 0;
                for (Run x : plan.subList(index, plan.size())) if (!store.contains(key(x, backend))) lengthLeft += x.length();
                double elapsed = (System.nanoTime() - start) / 1e9;
                progress.printf(Locale.ROOT, " %s  (%s elapsed, about %s left)%n", describe(row), SweepRunner.clock((long) elapsed),
                        SweepRunner.clock((long) (elapsed / lengthDone * lengthLeft)));
            }
        }
        return store.rows();
    }

    private String key(Run r, Backend backend) {
        return ResultRow.key("accuracy", r.variant(), backend.name(), dtype.id(), (long) tier.batch(), (long) r.length(),
                (long) tier.heads(), (long) tier.headDim(), r.mode().id(), "", r.taskSpec(), r.seed());
    }

    private ResultRow train(Run r, Ops ops, Backend backend, Environment env, String runId) {
        Task task = Tasks.create(r.taskSpec(), r.length(), r.seed());
        Variant variant = Variants.get(r.variant());
        ResultRow.Builder b = env.applyTo(ResultRow.builder())
                .set(Column.RUN_ID, runId).set(Column.SUITE, "accuracy-" + tier.name())
                .set(Column.BENCHMARK, "accuracy").set(Column.VARIANT, r.variant()).set(Column.FAMILY, variant.info().family())
                .set(Column.BACKEND, backend.name()).set(Column.DEVICE, backend.device()).set(Column.DTYPE, dtype.id())
                .set(Column.BATCH, (long) tier.batch()).set(Column.LENGTH, (long) r.length()).set(Column.HEADS, (long) tier.heads())
                .set(Column.HEAD_DIM, (long) tier.headDim()).set(Column.MODE, r.mode().id()).set(Column.TASK, r.taskSpec())
                .set(Column.SETUP, tier.describe()).set(Column.SEED, r.seed())
                .set(Column.BACKEND_DESCRIPTION, backend.description()).set(Column.COMMAND, command);
        try {
            Problem problem = new Problem(tier.batch(), r.length(), tier.heads(), tier.headDim(), r.mode());
            TaskModel model = new TaskModel(ops, variant, task, problem, tier.layers(), new Rng(r.seed()).child("model"));
            int[] shown = {0};
            Trainer.Outcome o = Trainer.train(ops, model, task, tier, r.seed(), (step, steps, loss) -> {
                // A dot per tenth of the training, so a long run shows it is alive.
                while (shown[0] < 10 * step / steps) {
                    shown[0]++;
                    progress.print('.');
                }
            });
            b.set(Column.STATUS, "ok").set(Column.TRAIN_STEPS, (long) o.steps()).set(Column.TRAIN_TIME_MS, o.trainTimeMs())
                    .set(Column.FINAL_LOSS_NATS, o.finalLoss()).set(Column.TEST_ACCURACY, o.testAccuracy())
                    .set(Column.TEST_BITS_PER_CHAR, o.testBitsPerChar()).set(Column.PEAK_LIVE_BYTES, o.peakLiveBytes())
                    .set(Column.PARAM_BYTES, model.parameterCount() * dtype.bytes());
            if (!o.stepMs().isEmpty()) b.timesMs(o.stepMs());
        } catch (RuntimeException | OutOfMemoryError e) {
            failed(b, e);
        }
        return b.set(Column.MEASURED_AT, Instant.now().truncatedTo(ChronoUnit.MILLIS).toString()).build();
    }

    /**
     * A measurement that could not be made, as a recorded row: unsupported (the variant refused the problem), oom or
     * error, with the first line of the exception's message. The accuracy and fidelity runners both record this way.
     */
    static void failed(ResultRow.Builder b, Throwable e) {
        String line = e.getMessage() == null ? "(no message)" : e.getMessage().lines().findFirst().orElse("(no message)").strip();
        if (e instanceof UnsupportedProblemException) b.set(Column.STATUS, "unsupported").set(Column.MESSAGE, line);
        else if (e instanceof OutOfMemoryError) b.set(Column.STATUS, "oom").set(Column.MESSAGE, "out of memory: " + line);
        else b.set(Column.STATUS, "error").set(Column.MESSAGE, e.getClass().getSimpleName() + ": " + line);
    }

    static String describe(ResultRow r) {
        if (!r.ok()) return r.status() + ": " + r.message();
        String figure = r.testAccuracy() != null ? String.format(Locale.ROOT, "test accuracy %.1f%%", 100 * r.testAccuracy())
                : String.format(Locale.ROOT, "test %.3f bits/char", r.testBitsPerChar());
        return String.format(Locale.ROOT, "ok %s, final loss %.3f, %d steps in %.1f s", figure, r.finalLossNats(), r.trainSteps(),
                r.trainTimeMs() / 1000);
    }
}
