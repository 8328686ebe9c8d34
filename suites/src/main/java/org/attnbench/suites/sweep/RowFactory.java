package org.attnbench.suites.sweep;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.attnbench.api.Backend;
import org.attnbench.api.Problem;
import org.attnbench.api.Complexity;
import org.attnbench.api.Variant;
import org.attnbench.api.VariantInfo;
import org.attnbench.api.Variants;
import org.attnbench.results.Column;
import org.attnbench.results.Environment;
import org.attnbench.results.ResultRow;
import org.attnbench.results.SampleStats;

/** Makes the result rows of one sweep: the columns every row shares, then what each kind of outcome adds. */
final class RowFactory {
    private final SuiteDefinition suite;
    private final String runId;
    private final Environment env;
    private final Backend backend;
    private final String command;

    RowFactory(SuiteDefinition suite, String runId, Environment env, Backend backend, String command) {
        this.suite = suite;
        this.runId = runId;
        this.env = env;
        this.backend = backend;
        this.command = command;
    }

    String key(Measurement m) {
        return ResultRow.key(m.benchmark(), m.variant(), backend.name(), m.dtype().id(), batch(m), (long) m.problem().length(),
                heads(m), headDim(m), mode(m), m.pass().id(), "", suite.seed);
    }

    String peerKey(Measurement m, String peer) {
        return ResultRow.key(m.benchmark(), m.variant(), peer, m.dtype().id(), batch(m), (long) m.problem().length(),
                heads(m), headDim(m), mode(m), m.pass().id(), "", suite.seed);
    }

    private static boolean attention(Measurement m) {
        return m.benchmark().equals("attention");
    }

    private static Long batch(Measurement m) {
        return attention(m) ? (long) m.problem().batch() : null;
    }

    private static Long heads(Measurement m) {
        return attention(m) ? (long) m.problem().heads() : null;
    }

    private static Long headDim(Measurement m) {
        return attention(m) ? (long) m.problem().headDim() : null;
    }

    private static String mode(Measurement m) {
        return attention(m) ? m.problem().mode().id() : "";
    }

    private ResultRow.Builder base(Measurement m, String backendName, String device, String description) {
        Problem p = m.problem();
        ResultRow.Builder b = ResultRow.builder()
                .set(Column.RUN_ID, runId).set(Column.SUITE, suite.name)
                .set(Column.MEASURED_AT, Instant.now().truncatedTo(ChronoUnit.MILLIS).toString())
                .set(Column.BENCHMARK, m.benchmark()).set(Column.VARIANT, m.variant())
                .set(Column.BACKEND, backendName).set(Column.DEVICE, device).set(Column.DTYPE, m.dtype().id())
                .set(Column.BATCH, batch(m)).set(Column.LENGTH, p.length()).set(Column.HEADS, heads(m))
                .set(Column.HEAD_DIM, headDim(m)).set(Column.MODE, mode(m)).set(Column.PASS, m.pass().id())
                .set(Column.WARMUP_ITERATIONS, suite.jmh.warmupIterations)
                .set(Column.MEASUREMENT_ITERATIONS, suite.jmh.measurementIterations)
                .set(Column.ITERATION_MS, suite.jmh.iterationMs).set(Column.FORKS, suite.jmh.forks)
                .set(Column.SEED, suite.seed).set(Column.BACKEND_DESCRIPTION, description).set(Column.COMMAND, command);
        if (attention(m)) {
            Variant v = Variants.get(m.variant());
            VariantInfo info = v.info();
            b.set(Column.FAMILY, info.family()).set(Column.DECLARED_TIME_EXPONENT, Variants.exponent(info.time(), m.problem().mode()))
                    .set(Column.DECLARED_MEMORY_EXPONENT, Variants.exponent(info.memory(), m.problem().mode()));
        }
        return env.applyTo(b);
    }

    ResultRow failed(Measurement m, String status, String message) {
        String line = message == null || message.isBlank() ? status : message.lines().findFirst().orElse(status).strip();
        return base(m, backend.name(), backend.device(), backend.description())
                .set(Column.STATUS, status).set(Column.MESSAGE, line).build();
    }

    /** A row from JMH samples; op-overhead samples come in microseconds and are stored in milliseconds. */
    ResultRow measured(Measurement m, JmhLauncher.Outcome o, Long flops, Long peakLiveBytes, Long paramBytes) {
        double toMs = m.benchmark().equals("op-overhead") ? 1e-3 : 1.0;
        List<Double> samples = o.samples().stream().map(x -> x * toMs).toList();
        ResultRow.Builder b = base(m, backend.name(), backend.device(), backend.description());
        timing(b, samples, flops);
        // One fork's median is its samples' (ResultRow.forkMediansMs), so the column is written for several only.
        if (o.forkMedians().size() > 1) b.set(Column.FORK_MEDIANS_MS, o.forkMedians().stream().map(x -> x * toMs).toList());
        return b.set(Column.PEAK_LIVE_BYTES, peakLiveBytes).set(Column.PARAM_BYTES, paramBytes)
                .set(Column.PROCESS_PEAK_BYTES, o.peakResidentBytes()).set(Column.DEVICE_LIVE_PEAK_BYTES, o.deviceLivePeakBytes())
                .set(Column.DEVICE_PEAK_BYTES, o.devicePeakBytes()).build();
    }

    ResultRow peer(Measurement m, TorchPeer peer, TorchPeer.Result r, long flops) {
        ResultRow.Builder b = base(m, peer.name(), peer.device(), peer.description()).set(Column.IMPLEMENTATION_OF, m.variant());
        if (!r.status().equals("ok")) {
            return b.set(Column.STATUS, r.status()).set(Column.MESSAGE, r.message().isBlank() ? r.status() : r.message()).build();
        }
        timing(b, r.samplesMs(), flops);
        return b.build();
    }

    private static void timing(ResultRow.Builder b, List<Double> samplesMs, Long flops) {
        b.set(Column.STATUS, "ok").timesMs(samplesMs).set(Column.FLOPS, flops);
        double median = SampleStats.of(samplesMs).median();
        if (flops != null && median > 0) b.set(Column.GFLOPS_PER_S, flops / (median * 1e6));
    }
}
