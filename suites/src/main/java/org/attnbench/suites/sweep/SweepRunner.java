package org.attnbench.suites.sweep;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.attnbench.api.Backend;
import org.attnbench.api.BackendProvider;
import org.attnbench.api.Backends;
import org.attnbench.api.Cost;
import org.attnbench.api.DType;
import org.attnbench.api.Mode;
import org.attnbench.api.Problem;
import org.attnbench.api.UnsupportedProblemException;
import org.attnbench.api.UnknownNameException;
import org.attnbench.api.Variant;
import org.attnbench.api.Variants;
import org.attnbench.results.AttentionFlops;
import org.attnbench.results.Environment;
import org.attnbench.results.ResultRow;
import org.attnbench.results.ResultStore;
import org.attnbench.suites.timing.AttentionBenchmark;
import org.attnbench.suites.timing.GemmBenchmark;
import org.attnbench.suites.timing.OpOverheadBenchmark;
import org.attnbench.suites.timing.Pass;

/**
 * Runs a suite: every measurement in forked JMH runs, one result row each, written the moment it is measured.
 * A measurement that cannot run becomes a row with its status (unsupported, oom, error) and the sweep goes on.
 * Rows already in the output folder are not measured again, so an interrupted sweep resumes where it stopped.
 */
public final class SweepRunner {
    private static final int OVERHEAD_SIZE = 8;
    /** A forked JVM's start-up with ND4J, used for the time estimate until real durations are known. */
    private static final double FORK_SECONDS = 4.0;

    private final SuiteDefinition suite;
    private final Path outDir;
    private final Path home;
    private final String command;
    private final PrintStream progress;

    public SweepRunner(SuiteDefinition suite, Path outDir, Path home, String command, PrintStream progress) {
        this.suite = suite;
        this.outDir = outDir;
        this.home = home;
        this.command = command;
        this.progress = progress;
    }

    /** What the sweep will measure, in order: the backend's roofs first, then every variant configuration. */
    public List<Measurement> plan() {
        List<Measurement> plan = new ArrayList<>();
        Problem roof = new Problem(1, 1, 1, 1, Mode.BIDIRECTIONAL);
        for (String dt : suite.dtypes) {
            DType dtype = DType.parse(dt);
            for (int size : suite.gemmSizes) {
                plan.add(new Measurement("gemm", "sgemm-" + size, roof.withLength(size), dtype, Pass.FORWARD));
            }
        }
        if (suite.opOverhead) {
            for (String op : List.of("add", "exp", "matmul")) {
                for (String impl : List.of("attnbench", "nd4j")) {
                    plan.add(new Measurement("op-overhead", op + ":" + impl, roof.withLength(OVERHEAD_SIZE), DType.FLOAT32, Pass.FORWARD));
                }
            }
        }
        for (String variant : variants()) {
            for (String dt : suite.dtypes) {
                for (String mode : suite.modes) {
                    for (String pass : suite.passes) {
                        for (int n : suite.lengths) {
                            plan.add(new Measurement("attention", variant,
                                    new Problem(suite.batch, n, suite.heads, suite.headDim, Mode.parse(mode)),
                                    DType.parse(dt), Pass.parse(pass)));
                        }
                    }
                }
            }
        }
        return plan;
    }

    /**
     * The suite's variants by their canonical names (options at their defaults dropped, so "window(w=64)" and
     * "window" are one curve); "all" stands for every registered variant at its defaults.
     */
    List<String> variants() {
        List<Variant> known = Variants.all();
        List<String> out = new ArrayList<>();
        for (String v : suite.variants) {
            if (v.equals("all")) {
                known.forEach(k -> out.add(Variants.displayName(k)));
            } else {
                out.add(Variants.displayName(Variants.get(v, known)));
            }
        }
        return out.stream().distinct().toList();
    }

    /** Checks the names of a suite without opening its backend: variants, dtypes, peers. */
    public void validateNames() {
        variants();
        for (String dt : suite.dtypes) DType.parse(dt);
    }

    /** Checks names before anything runs: unknown variants and backends, unsupported dtypes, a GPU that is not there. */
    public BackendProvider validate() {
        validateNames();
        String name = suite.backendName();
        boolean gpuByDevice = suite.device.equals("gpu") && suite.backend == null;
        BackendProvider provider;
        try {
            provider = Backends.provider(name);
        } catch (UnknownNameException e) {
            if (gpuByDevice) {
                throw new IllegalArgumentException("--device gpu: this build has no GPU backend (backends: "
                        + String.join(", ", Backends.all().stream().map(BackendProvider::name).toList()) + ")");
            }
            throw e;
        }
        String why = provider.unavailableReason();
        if (why != null) {
            throw new IllegalArgumentException((gpuByDevice ? "--device gpu: " : "") + "backend '" + provider.name() + "' cannot run here: " + why);
        }
        try (Backend b = provider.open()) {
            for (String dt : suite.dtypes) {
                if (!b.dtypes().contains(DType.parse(dt))) {
                    throw new IllegalArgumentException("backend '" + provider.name() + "' has no dtype " + dt + " (it has "
                            + String.join(", ", b.dtypes().stream().map(DType::id).toList()) + ")");
                }
            }
        }
        if (suite.opOverhead && !provider.name().equals("cpu")) {
            throw new IllegalArgumentException("op_overhead compares with ND4J's own call and needs the cpu backend, not '"
                    + provider.name() + "'");
        }
        return provider;
    }

    /**
     * What a planned measurement costs, counted exactly and instantly on the shape-only backend as backend will run
     * it (flops, peak live bytes), or why it will be recorded as unsupported: the plan line of --dry-run.
     */
    public String counted(Measurement m, Backend backend) {
        try {
            Cost c = switch (m.benchmark()) {
                case "attention" -> {
                    Variants.check(Variants.get(m.variant()), m.problem());
                    yield CostProbe.count(m, backend);
                }
                case "gemm" -> GemmBenchmark.count(m.dtype(), m.problem().length());
                default -> null;
            };
            return c == null ? "" : String.format(Locale.ROOT, "%.4g GFLOP, peak live %s", c.flops() / 1e9, bytes(c.peakLiveBytes()));
        } catch (UnsupportedProblemException e) {
            return "unsupported: " + e.getMessage();
        }
    }

    /** Runs the sweep and returns every row of the results folder (earlier ones included). */
    public Summary run() throws IOException {
        BackendProvider provider = validate();
        List<Measurement> plan = plan();
        Files.createDirectories(outDir);
        ResultStore store = ResultStore.open(outDir);
        for (ResultRow r : store.rows()) {
            if (!r.suite().equals(suite.name)) {
                throw new IllegalArgumentException(outDir + " holds results of suite '" + r.suite()
                        + "'; choose another --out or pass --fresh");
            }
        }
        Backend backend = Backends.open(provider.name());
        Environment env = Environment.capture(home);
        String runId = store.runId();
        JmhLauncher jmh = new JmhLauncher(outDir.resolve("jmh.log"), suite.jmh, List.of(
                "-Dorg.bytedeco.javacpp.maxbytes=" + suite.memoryLimit,
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=" + physicalLimit(suite.memoryLimit)), progress);
        RowFactory rows = new RowFactory(suite, runId, env, backend, command);

        // Peers are looked for before anything runs, so their absence is said at once and the estimate counts them.
        List<TorchPeer> peers = new ArrayList<>();
        List<List<Measurement>> peerPlans = new ArrayList<>();
        for (String name : suite.peers) {
            TorchPeer peer = new TorchPeer(home, name);
            if (peer.unavailableReason() != null) {
                progress.println("attnbench: peer " + name + " will not run: " + peer.unavailableReason());
                continue;
            }
            peers.add(peer);
            peerPlans.add(peerPlan(plan, store, rows, peer));
        }
        List<Measurement> peerPlan = peerPlans.stream().flatMap(List::stream).toList();
        long done = plan.stream().filter(m -> store.contains(rows.key(m))).count();
        progress.printf(Locale.ROOT, "attnbench: suite %s, %d measurements on backend %s (%s)%s%n", suite.name, plan.size(),
                backend.name(), backend.description(), peerPlan.isEmpty() ? "" : ", then " + peerPlan.size() + " in PyTorch");
        if (backend.device().equals("gpu")) {
            progress.println("attnbench: attention TFLOP/s by the FlashAttention convention (4 B h n^2 dh, halved when causal) over the whole layer's time");
        }
        progress.printf(Locale.ROOT, "attnbench: results go to %s%s%n", outDir,
                done > 0 ? String.format(Locale.ROOT, " (resuming: %d of %d already measured there)", done, plan.size()) : "");
        Instant start = Instant.now();
        int index = 0, measured = 0;
        for (Measurement m : plan) {
            index++;
            if (store.contains(rows.key(m))) continue;
            progress.printf(Locale.ROOT, "[%d/%d] %s ... ", index, plan.size(), m.describe());
            ResultRow row = measure(m, jmh, rows, backend);
            store.append(row);
            measured++;
            Duration elapsed = Duration.between(start, Instant.now());
            long remaining = peerPlan.size() + plan.subList(index, plan.size()).stream().filter(x -> !store.contains(rows.key(x))).count();
            double perMeasurement = elapsed.toMillis() / 1000.0 / measured;
            progress.printf(Locale.ROOT, "%s  (%s elapsed, about %s left)%n", describe(row), clock(elapsed.toSeconds()),
                    clock((long) (remaining * Math.max(perMeasurement, estimateSeconds()))));
        }
        for (int i = 0; i < peers.size(); i++) {
            if (!peerPlans.get(i).isEmpty()) runPeer(peers.get(i), peerPlans.get(i), store, rows, start);
        }
        return new Summary(store.rows(), outDir);
    }

    private ResultRow measure(Measurement m, JmhLauncher jmh, RowFactory rows, Backend backend) {
        try {
            return switch (m.benchmark()) {
                case "attention" -> measureAttention(m, jmh, rows, backend);
                case "gemm" -> measureGemm(m, jmh, rows);
                default -> measureOverhead(m, jmh, rows);
            };
        } catch (UnsupportedProblemException e) {
            return rows.failed(m, "unsupported", e.getMessage());
        } catch (JmhLauncher.Failure f) {
            return rows.failed(m, f.status, f.getMessage());
        } catch (OutOfMemoryError e) {
            return rows.failed(m, "oom", "out of memory while counting cost: " + e.getMessage());
        } catch (RuntimeException e) {
            return rows.failed(m, "error", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private ResultRow measureAttention(Measurement m, JmhLauncher jmh, RowFactory rows, Backend backend) throws JmhLauncher.Failure {
        Variant v = Variants.get(m.variant());
        Variants.check(v, m.problem());
        // Counted as the backend will run it: a kernel it lacks makes an 'unsupported' row here, before a fork.
        Cost cost = CostProbe.count(m, backend);
        long paramBytes = CostProbe.parameterBytes(m);
        // One call's memory is known exactly before it runs: every tensor it allocates (a call scope keeps them all
        // until the call ends), its parameters and its input. Beyond the suite's limit it is not started.
        long needed = cost.allocatedBytes() + paramBytes + m.problem().batch() * (long) m.problem().length() * m.problem().width() * m.dtype().bytes();
        if (needed > parseBytes(suite.memoryLimit)) {
            return rows.failed(m, "oom", String.format(Locale.ROOT, "not run: one call allocates %s of tensors (counted exactly), above the suite's memory_limit of %s",
                    bytes(needed), suite.memoryLimit));
        }
        Problem p = m.problem();
        List<JmhLauncher.Outcome> out = jmh.run(AttentionBenchmark.class, "run", JmhLauncher.params(
                "variant", m.variant(), "backend", suite.backendName(), "dtype", m.dtype().id(), "batch", p.batch(),
                "length", p.length(), "heads", p.heads(), "headDim", p.headDim(), "mode", p.mode().id(),
                "pass", m.pass().id(), "seed", suite.seed));
        return rows.measured(m, out.get(0), cost.flops(), cost.peakLiveBytes(), paramBytes);
    }

    private ResultRow measureGemm(Measurement m, JmhLauncher jmh, RowFactory rows) throws JmhLauncher.Failure {
        int size = m.problem().length();
        List<JmhLauncher.Outcome> out = jmh.run(GemmBenchmark.class, "run", JmhLauncher.params(
                "backend", suite.backendName(), "dtype", m.dtype().id(), "size", size));
        Cost cost = GemmBenchmark.count(m.dtype(), size);
        return rows.measured(m, out.get(0), cost.flops(), cost.peakLiveBytes(), null);
    }

    private ResultRow measureOverhead(Measurement m, JmhLauncher jmh, RowFactory rows) throws JmhLauncher.Failure {
        String[] opAndImpl = m.variant().split(":");
        List<JmhLauncher.Outcome> out = jmh.run(OpOverheadBenchmark.class, opAndImpl[1], JmhLauncher.params(
                "op", opAndImpl[0], "size", OVERHEAD_SIZE));
        return rows.measured(m, out.get(0), null, null, null);
    }

    /**
     * The peer mirrors the reference variants it has (dense; on the GPU also sigmoid): one measurement per such problem
     * not yet measured, whichever implementations of the variant (dense, dense:fused) ran.
     */
    private static List<Measurement> peerPlan(List<Measurement> plan, ResultStore store, RowFactory rows, TorchPeer peer) {
        List<Measurement> todo = new ArrayList<>();
        for (Measurement m : plan) {
            if (!m.benchmark().equals("attention")) continue;
            String family = Variants.get(m.variant()).info().name();
            if (!peer.mirrors().contains(family)) continue;
            Measurement mirrored = new Measurement(m.benchmark(), family, m.problem(), m.dtype(), m.pass());
            if (peer.dtypes().contains(m.dtype()) && !store.contains(rows.peerKey(mirrored, peer.name())) && !todo.contains(mirrored)) {
                todo.add(mirrored);
            }
        }
        return todo;
    }

    private void runPeer(TorchPeer peer, List<Measurement> todo, ResultStore store, RowFactory rows, Instant start) throws IOException {
        progress.printf(Locale.ROOT, "peer %s: timing %d configurations in PyTorch (%s)%n", peer.name(), todo.size(), peer.pythonCommand());
        int[] index = {0};
        peer.run(suite, todo, (m, result) -> {
            ResultRow row = rows.peer(m, peer, result, CostProbe.count(m).flops());
            store.append(row);
            index[0]++;
            progress.printf(Locale.ROOT, "[peer %d/%d] %s: %s  (%s elapsed)%n", index[0], todo.size(), m.describe(), describe(row),
                    clock(Duration.between(start, Instant.now()).toSeconds()));
        });
    }

    /** Seconds one measurement takes by the suite's settings (before any was timed). */
    private double estimateSeconds() {
        return FORK_SECONDS * suite.jmh.forks
                + suite.jmh.forks * (suite.jmh.warmupIterations + suite.jmh.measurementIterations) * suite.jmh.iterationMs / 1000.0;
    }

    static String describe(ResultRow r) {
        if (!r.status().equals("ok")) return r.status() + ": " + r.message();
        String unit = r.benchmark().equals("op-overhead") ? "us" : "ms";
        double scale = unit.equals("us") ? 1000.0 : 1.0;
        String s = String.format(Locale.ROOT, "ok %.4g %s [%.4g, %.4g]", r.timeMedianMs() * scale, unit, r.timeCiLowMs() * scale,
                r.timeCiHighMs() * scale, unit);
        if (r.gflopsPerS() != null) s += String.format(Locale.ROOT, "  %.1f GFLOP/s", r.gflopsPerS());
        Double core = AttentionFlops.tflopsPerS(r);
        if (core != null && r.device().equals("gpu")) s += String.format(Locale.ROOT, "  %.1f attention TFLOP/s", core);
        if (r.peakLiveBytes() != null && r.benchmark().equals("attention")) {
            s += String.format(Locale.ROOT, "  peak live %.1f MiB", r.peakLiveBytes() / 1048576.0);
        }
        if (r.devicePeakBytes() != null) s += String.format(Locale.ROOT, "  device peak %.1f MiB", r.devicePeakBytes() / 1048576.0);
        return s;
    }

    static String bytes(long b) {
        return b >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GiB", b / (double) (1L << 30)) : String.format(Locale.ROOT, "%.1f MiB", b / (double) (1L << 20));
    }

    public static String clock(long seconds) {
        return seconds >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }

    /** maxphysicalbytes must leave room for the JVM's heap beside the off-heap limit. */
    private static String physicalLimit(String limit) {
        long bytes = parseBytes(limit);
        return String.valueOf(bytes + Runtime.getRuntime().maxMemory() + (1L << 30));
    }

    static long parseBytes(String s) {
        char unit = s.charAt(s.length() - 1);
        long scale = switch (unit) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            case 't' -> 1L << 40;
            default -> 1;
        };
        return Long.parseLong(Character.isDigit(unit) ? s : s.substring(0, s.length() - 1)) * scale;
    }
}
