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
import java.util.Set;

import org.attnbench.api.AttentionLayer;
import org.attnbench.api.Backend;
import org.attnbench.api.Backends;
import org.attnbench.api.DType;
import org.attnbench.api.Mode;
import org.attnbench.api.Ops;
import org.attnbench.api.ParameterSpec;
import org.attnbench.api.Parameters;
import org.attnbench.api.Problem;
import org.attnbench.api.Rng;
import org.attnbench.api.Tensor;
import org.attnbench.api.Variant;
import org.attnbench.api.Variants;
import org.attnbench.results.Column;
import org.attnbench.results.Environment;
import org.attnbench.results.ResultRow;
import org.attnbench.results.ResultStore;
import org.attnbench.suites.sweep.SweepRunner;

/**
 * How far an approximating variant's output is from exact dense attention on the same input and the same
 * projections Wq, Wk, Wv, Wo (so the same Q, K and V): norm(y - y_dense) / norm(y_dense), Frobenius norms, versus n.
 * Inputs are unit normal, parameters Xavier-uniform, both from the seed. Both outputs are computed on one backend
 * in one dtype; float32's own error (about 1e-7 relative) is far below the approximations'.
 */
public final class FidelityRunner {
    /** The families whose variants approximate softmax attention: the sparse patterns, BigBird, Combiner. */
    public static final Set<String> APPROXIMATING_FAMILIES = Set.of("sparse", "combiner");
    /** The input distribution, recorded in the task column. */
    static final String INPUT = "gaussian";

    private final List<String> variants;
    private final List<Integer> lengths;
    private final List<Mode> modes;
    private final int heads, headDim;
    private final List<Long> seeds;
    private final String backendName;
    private final DType dtype;
    private final Path outDir, home;
    private final String command;
    private final PrintStream progress;

    /** @param modes the modes to measure; empty for every mode each variant has */
    public FidelityRunner(List<String> variants, List<Integer> lengths, List<Mode> modes, int heads, int headDim, List<Long> seeds,
                          String backendName, DType dtype, Path outDir, Path home, String command, PrintStream progress) {
        this.variants = List.copyOf(variants);
        this.lengths = List.copyOf(lengths);
        this.modes = List.copyOf(modes);
        this.heads = heads;
        this.headDim = headDim;
        this.seeds = List.copyOf(seeds);
        this.backendName = backendName;
        this.dtype = dtype;
        this.outDir = outDir;
        this.home = home;
        this.command = command;
        this.progress = progress;
    }

    /** "all" (or nothing given) is every approximating variant in its reference implementation. */
    public static List<String> variantNames(List<String> specs) {
        if (specs.isEmpty() || specs.equals(List.of("all"))) {
            return AccuracyRunner.variantNames(List.of("all")).stream()
                    .filter(v -> APPROXIMATING_FAMILIES.contains(Variants.get(v).info().family())).toList();
        }
        return AccuracyRunner.variantNames(specs);
    }

    record Point(String variant, int length, Mode mode, long seed) {}

    public List<Point> plan() {
        if (variants.isEmpty() || lengths.isEmpty() || seeds.isEmpty()) throw new IllegalArgumentException("nothing to measure: variants, lengths and seeds are needed");
        Variant dense = Variants.get("dense");
        Problem probe = new Problem(1, 1, heads, headDim, Mode.BIDIRECTIONAL);
        ParameterSpec denseSpec = new ParameterSpec();
        dense.declare(probe, denseSpec);
        List<Point> plan = new ArrayList<>();
        for (String name : variants) {
            Variant v = Variants.get(name);
            ParameterSpec own = new ParameterSpec();
            v.declare(probe.withLength(Math.max(1, lengths.get(0))).withMode(v.info().modes()[0]), own);
            for (ParameterSpec.Entry e : denseSpec.entries()) {
                if (own.entries().stream().noneMatch(o -> o.name().equals(e.name()) && Arrays.equals(o.shape(), e.shape()))) {
                    throw new IllegalArgumentException("fidelity: " + name + " does not use dense attention's projection " + e.name()
                            + ", so its output cannot be compared on the same Q, K and V");
                }
            }
            List<Mode> own_modes = modes.isEmpty() ? Arrays.asList(v.info().modes()) : modes;
            for (Mode m : own_modes) {
                for (int n : lengths) {
                    if (n < 1) throw new IllegalArgumentException("length must be at least 1, got " + n);
                    for (long s : seeds) plan.add(new Point(name, n, m, s));
                }
            }
        }
        return plan;
    }

    public List<ResultRow> run() throws IOException {
        List<Point> plan = plan();
        Files.createDirectories(outDir);
        ResultStore store = ResultStore.open(outDir);
        try (Backend backend = Backends.open(backendName)) {
            Ops ops = Ops.on(backend, dtype);
            Environment env = Environment.capture(home);
            String runId = store.runId();
            progress.printf(Locale.ROOT, "attnbench: fidelity to dense attention, %d measurements on backend %s (%s)%n", plan.size(),
                    backend.name(), backend.description());
            long start = System.nanoTime();
            int index = 0;
            for (Point p : plan) {
                index++;
                if (store.contains(key(p, backend))) continue;
                progress.printf(Locale.ROOT, "[%d/%d] %s n=%d %s seed %d ... ", index, plan.size(), p.variant(), p.length(), p.mode().id(), p.seed());
                ResultRow row = measure(p, ops, backend, env, runId);
                store.append(row);
                progress.printf(Locale.ROOT, "%s  (%s elapsed)%n", row.ok()
                        ? String.format(Locale.ROOT, "ok relative error %.3g", row.fidelityRelError())
                        : row.status() + ": " + row.message(), SweepRunner.clock((System.nanoTime() - start) / 1_000_000_000L));
            }
        }
        return store.rows();
    }

    private String key(Point p, Backend backend) {
        return ResultRow.key("fidelity", p.variant(), backend.name(), dtype.id(), 1L, (long) p.length(), (long) heads, (long) headDim,
                p.mode().id(), "", INPUT, p.seed());
    }

    private ResultRow measure(Point p, Ops ops, Backend backend, Environment env, String runId) {
        Variant v = Variants.get(p.variant());
        ResultRow.Builder b = env.applyTo(ResultRow.builder())
                .set(Column.RUN_ID, runId).set(Column.SUITE, "fidelity").set(Column.BENCHMARK, "fidelity")
                .set(Column.VARIANT, p.variant()).set(Column.FAMILY, v.info().family())
                .set(Column.BACKEND, backend.name()).set(Column.DEVICE, backend.device()).set(Column.DTYPE, dtype.id())
                .set(Column.BATCH, 1L).set(Column.LENGTH, (long) p.length()).set(Column.HEADS, (long) heads)
                .set(Column.HEAD_DIM, (long) headDim).set(Column.MODE, p.mode().id()).set(Column.TASK, INPUT)
                .set(Column.SEED, p.seed()).set(Column.BACKEND_DESCRIPTION, backend.description()).set(Column.COMMAND, command);
        try {
            b.set(Column.STATUS, "ok").set(Column.FIDELITY_REL_ERROR, relativeError(ops, v, new Problem(1, p.length(), heads, headDim, p.mode()), p.seed()));
        } catch (RuntimeException | OutOfMemoryError e) {
            AccuracyRunner.failed(b, e);
        }
        return b.set(Column.MEASURED_AT, Instant.now().truncatedTo(ChronoUnit.MILLIS).toString()).build();
    }

    /** norm(y - y_dense) / norm(y_dense) with the variant given dense attention's projections. */
    static double relativeError(Ops ops, Variant v, Problem problem, long seed) {
        Rng rng = new Rng(seed);
        AttentionLayer dense = AttentionLayer.create(Variants.get("dense"), problem, ops, rng.child("parameters"), false);
        AttentionLayer own = AttentionLayer.create(v, problem, ops, rng.child("parameters"), false);
        Map<String, Tensor> shared = new LinkedHashMap<>(own.parameters().all());
        shared.putAll(dense.parameters().all());
        Set<String> constants = new java.util.HashSet<>();
        for (String name : own.parameters().all().keySet()) if (own.parameters().isConstant(name)) constants.add(name);
        AttentionLayer same = AttentionLayer.withParameters(v, problem, ops, new Parameters(shared, constants));
        Tensor x = dense.randomInput(rng.child("input"));
        double[] yd = ops.toArray(dense.forward(x)), yv = ops.toArray(same.forward(x));
        double diff = 0, ref = 0;
        for (int i = 0; i < yd.length; i++) {
            diff += (yv[i] - yd[i]) * (yv[i] - yd[i]);
            ref += yd[i] * yd[i];
        }
        return Math.sqrt(diff / ref);
    }
}
