package org.attnbench.results;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One measurement, immutable; schema {@value #SCHEMA}. Rows are made with {@link #builder()}, which checks each
 * value's type as it is set and the row as a whole when it is built. A column's name carries its unit, so a reader
 * knows which direction is better: lower for {@code _ms} and {@code _bytes}, higher for {@code _per_s}. A value
 * that does not apply (the time of an unsupported row, the heads of a gemm row) is absent: an empty CSV cell, a
 * JSON null, null from the accessors; never 0 or NaN. Text that does not apply is the empty string.
 *
 * <table>
 * <caption>Columns, in file order</caption>
 * <tr><th>column</th><th>type, unit</th><th>meaning</th></tr>
 * <tr><td>schema</td><td>text</td><td>always {@value #SCHEMA}; readers refuse any other</td></tr>
 * <tr><td>run_id</td><td>text</td><td>one id per sweep; rows added when a sweep resumes keep it</td></tr>
 * <tr><td>suite</td><td>text</td><td>the suite that produced the row</td></tr>
 * <tr><td>measured_at</td><td>text, ISO-8601 UTC instant</td><td>when the row was made, e.g.
 *     2026-11-22T12:00:00.123Z</td></tr>
 * <tr><td>benchmark</td><td>text</td><td>what was measured: attention (time and memory of one call); gemm (the
 *     backend's plain matrix product, the practical roof); op-overhead (one small tensor operation); accuracy (a
 *     small model with the variant as token mixer, trained on a task and tested); fidelity (the error of the
 *     variant's output against exact dense attention on the same input and parameters)</td></tr>
 * <tr><td>variant</td><td>text</td><td>the variant's registered name (dense, dense:fused); for other benchmarks a
 *     label: sgemm-4096 for gemm, OP:IMPL for op-overhead</td></tr>
 * <tr><td>family</td><td>text</td><td>the variant's family; empty for rows that are not attention</td></tr>
 * <tr><td>implementation_of</td><td>text</td><td>for a peer framework's row, which of our variants it mirrors;
 *     else empty</td></tr>
 * <tr><td>backend</td><td>text</td><td>cpu, reference, cuda, or a peer such as torch-cpu or torch-gpu</td></tr>
 * <tr><td>device</td><td>text</td><td>cpu or gpu</td></tr>
 * <tr><td>dtype</td><td>text</td><td>element type: float32, float64, bfloat16, ...</td></tr>
 * <tr><td>batch</td><td>integer, count</td><td>batch size B; absent for gemm and op-overhead</td></tr>
 * <tr><td>length</td><td>integer, tokens</td><td>sequence length n; for gemm and op-overhead the matrix
 *     size</td></tr>
 * <tr><td>heads</td><td>integer, count</td><td>attention heads H; absent for gemm and op-overhead</td></tr>
 * <tr><td>head_dim</td><td>integer, elements</td><td>width of one head d_h; absent for gemm and
 *     op-overhead</td></tr>
 * <tr><td>mode</td><td>text</td><td>causal or bidirectional; empty for gemm and op-overhead (required for
 *     attention, accuracy and fidelity)</td></tr>
 * <tr><td>pass</td><td>text</td><td>forward, or forward+backward (a training step: the forward and the gradients
 *     of inputs and parameters); required for attention</td></tr>
 * <tr><td>status</td><td>text</td><td>ok, oom, unsupported or error</td></tr>
 * <tr><td>message</td><td>text, one line</td><td>empty when ok; otherwise why not</td></tr>
 * <tr><td>task</td><td>text</td><td>for accuracy and fidelity rows, the task or input (mqar, selective-copy,
 *     listops, ...); else empty</td></tr>
 * <tr><td>setup</td><td>text, one line</td><td>the task's and model's settings that are not columns of their own,
 *     as key=value pairs (vocab=64 pairs=8 layers=2 ...); else empty</td></tr>
 * <tr><td>time_median_ms</td><td>number, milliseconds</td><td>median time of one call (on a GPU including the
 *     device synchronise); required when ok, absent otherwise</td></tr>
 * <tr><td>time_ci_low_ms</td><td>number, milliseconds</td><td>lower end of the distribution-free 95% confidence
 *     interval of the median ({@link SampleStats}); with fewer than 6 samples the smallest sample</td></tr>
 * <tr><td>time_ci_high_ms</td><td>number, milliseconds</td><td>upper end of that interval; with fewer than 6
 *     samples the largest sample</td></tr>
 * <tr><td>time_samples</td><td>integer, count</td><td>number of samples behind the median</td></tr>
 * <tr><td>samples_ms</td><td>list of numbers, milliseconds</td><td>the raw samples, each the time of one call
 *     (for op-overhead the mean call time of one JMH iteration)</td></tr>
 * <tr><td>fork_medians_ms</td><td>list of numbers, milliseconds</td><td>the median of each JMH fork's samples, one
 *     per fork (a fresh JVM): the independent replicates a comparison tests, since the samples of one fork share its
 *     JIT and memory layout; absent for one fork (its samples' median is that fork's)</td></tr>
 * <tr><td>flops</td><td>integer, floating-point operations</td><td>per call, as counted by the operation layer
 *     (a multiply-add is 2)</td></tr>
 * <tr><td>gflops_per_s</td><td>number, GFLOP/s</td><td>achieved throughput: flops / time_median_ms /
 *     1e6</td></tr>
 * <tr><td>peak_live_bytes</td><td>integer, bytes</td><td>exact peak of live tensor bytes during one call, from
 *     the operation layer's accounting (inputs and parameters excluded)</td></tr>
 * <tr><td>param_bytes</td><td>integer, bytes</td><td>size of the variant's parameters</td></tr>
 * <tr><td>process_peak_bytes</td><td>integer, bytes</td><td>peak resident set (VmHWM) of the measuring
 *     process</td></tr>
 * <tr><td>device_live_peak_bytes</td><td>integer, bytes</td><td>GPU rows: the most device memory in live tensors at
 *     once in the measuring process, from the backend allocator's exact accounting (a call scope keeps a call's
 *     tensors until the call ends, so this is at least one call's allocations plus parameters and input)</td></tr>
 * <tr><td>device_peak_bytes</td><td>integer, bytes</td><td>GPU rows: the most device memory the allocator held
 *     from the driver at once (live tensors plus its cache, and the cuBLAS workspace); what the process needed of
 *     the device, less the CUDA context and libraries' own memory</td></tr>
 * <tr><td>train_steps</td><td>integer, count</td><td>optimiser steps taken (accuracy rows)</td></tr>
 * <tr><td>train_time_ms</td><td>number, milliseconds</td><td>wall time of the whole training (accuracy rows);
 *     the time columns then describe one training step</td></tr>
 * <tr><td>final_loss_nats</td><td>number, nats per predicted token</td><td>training loss at the last step
 *     (accuracy rows)</td></tr>
 * <tr><td>test_accuracy</td><td>number, fraction of 1</td><td>accuracy on the held-out test set (accuracy rows of
 *     classification and recall tasks)</td></tr>
 * <tr><td>test_bits_per_char</td><td>number, bits per character</td><td>held-out cross-entropy in bits (accuracy
 *     rows of language modelling)</td></tr>
 * <tr><td>fidelity_rel_error</td><td>number, ratio</td><td>||y - y_dense|| / ||y_dense|| (Frobenius) of the
 *     variant against exact dense attention on the same input and parameters (fidelity rows)</td></tr>
 * <tr><td>declared_time_exponent</td><td>number, exponent of n</td><td>k in the variant's declared time
 *     complexity O(n^k)</td></tr>
 * <tr><td>declared_memory_exponent</td><td>number, exponent of n</td><td>k in the variant's declared memory
 *     complexity O(n^k)</td></tr>
 * <tr><td>warmup_iterations</td><td>integer, count</td><td>JMH warm-up iterations per fork</td></tr>
 * <tr><td>measurement_iterations</td><td>integer, count</td><td>JMH measurement iterations per fork</td></tr>
 * <tr><td>iteration_ms</td><td>integer, milliseconds</td><td>length of one JMH iteration</td></tr>
 * <tr><td>forks</td><td>integer, count</td><td>JMH forks (fresh JVMs)</td></tr>
 * <tr><td>seed</td><td>integer</td><td>seed of parameters, inputs and data (the one integer that may be
 *     negative); part of a row's key, so repeated seeds of one configuration are separate rows</td></tr>
 * <tr><td>machine</td><td>text</td><td>host name</td></tr>
 * <tr><td>cpu_model</td><td>text</td><td>CPU model name, or the architecture where the OS does not say</td></tr>
 * <tr><td>cores</td><td>integer, count</td><td>logical processors available to the JVM</td></tr>
 * <tr><td>memory_bytes</td><td>integer, bytes</td><td>physical memory of the machine</td></tr>
 * <tr><td>os</td><td>text</td><td>operating system name and version</td></tr>
 * <tr><td>jdk</td><td>text</td><td>JVM vendor and runtime version</td></tr>
 * <tr><td>backend_description</td><td>text</td><td>the backend's libraries, BLAS and threads</td></tr>
 * <tr><td>git_revision</td><td>text</td><td>commit of the code that measured, with -dirty if the checkout had
 *     changes; unknown where git could not tell</td></tr>
 * <tr><td>command</td><td>text</td><td>the command that produced the row</td></tr>
 * </table>
 */
public final class ResultRow {
    /** The schema name and version every row carries; readers refuse anything else. */
    public static final String SCHEMA = "attnbench.results/4";
    public static final Set<String> STATUSES = Set.of("ok", "oom", "unsupported", "error");
    public static final Set<String> MODES = Set.of("causal", "bidirectional");
    public static final Set<String> PASSES = Set.of("forward", "forward+backward");
    public static final Set<String> DEVICES = Set.of("cpu", "gpu");
    /** What a row measures: see the benchmark column. */
    public static final Set<String> BENCHMARKS = Set.of("attention", "gemm", "op-overhead", "accuracy", "fidelity");

    private static final List<Column> REQUIRED = List.of(Column.RUN_ID, Column.SUITE, Column.MEASURED_AT,
            Column.BENCHMARK, Column.VARIANT, Column.BACKEND, Column.DEVICE, Column.DTYPE, Column.STATUS);
    private static final List<Column> TIMING = List.of(Column.TIME_MEDIAN_MS, Column.TIME_CI_LOW_MS,
            Column.TIME_CI_HIGH_MS, Column.TIME_SAMPLES);
    /** Figures a row that did not run cannot have. */
    private static final List<Column> MEASURED = List.of(Column.TIME_MEDIAN_MS, Column.TIME_CI_LOW_MS,
            Column.TIME_CI_HIGH_MS, Column.TIME_SAMPLES, Column.SAMPLES_MS, Column.FORK_MEDIANS_MS, Column.GFLOPS_PER_S, Column.TEST_ACCURACY, Column.TEST_BITS_PER_CHAR,
            Column.FIDELITY_REL_ERROR);
    /** A seed is an identifier, not a quantity; every other number counts or measures something. */
    private static final Set<Column> MAY_BE_NEGATIVE = EnumSet.of(Column.SEED);

    private final Map<Column, Object> values;

    private ResultRow(Map<Column, Object> values) {
        this.values = Collections.unmodifiableMap(new EnumMap<>(values));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this row's values, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.values.putAll(values);
        return b;
    }

    /** The value of a column: String, Long, Double or List&lt;Double&gt; by the column's type; null when absent. */
    public Object get(Column c) {
        return values.get(c);
    }

    /** A text column's value; the empty string when absent. */
    public String text(Column c) {
        Object v = values.get(c);
        return v == null ? "" : (String) v;
    }

    public Long integer(Column c) {
        return (Long) values.get(c);
    }

    public Double number(Column c) {
        return (Double) values.get(c);
    }

    /** The raw samples in milliseconds; empty when absent. */
    @SuppressWarnings("unchecked")
    public List<Double> samplesMs() {
        Object v = values.get(Column.SAMPLES_MS);
        return v == null ? List.of() : (List<Double>) v;
    }

    /**
     * The median of each fork's samples: the fork_medians_ms column, or for a row of one fork its samples' median;
     * empty when neither is known (a row of several forks written before that column existed).
     */
    @SuppressWarnings("unchecked")
    public List<Double> forkMediansMs() {
        Object v = values.get(Column.FORK_MEDIANS_MS);
        if (v != null) return (List<Double>) v;
        Long forks = integer(Column.FORKS);
        List<Double> samples = samplesMs();
        return forks != null && forks == 1 && !samples.isEmpty() ? List.of(SampleStats.of(samples).median()) : List.of();
    }

    public String runId() { return text(Column.RUN_ID); }
    public String suite() { return text(Column.SUITE); }
    public String benchmark() { return text(Column.BENCHMARK); }
    public String variant() { return text(Column.VARIANT); }
    public String family() { return text(Column.FAMILY); }
    public String implementationOf() { return text(Column.IMPLEMENTATION_OF); }
    public String backend() { return text(Column.BACKEND); }
    public String device() { return text(Column.DEVICE); }
    public String dtype() { return text(Column.DTYPE); }
    public String mode() { return text(Column.MODE); }
    public String pass() { return text(Column.PASS); }
    public String status() { return text(Column.STATUS); }
    public String message() { return text(Column.MESSAGE); }
    public String task() { return text(Column.TASK); }
    public String setup() { return text(Column.SETUP); }
    public Long batch() { return integer(Column.BATCH); }
    public Long length() { return integer(Column.LENGTH); }
    public Long heads() { return integer(Column.HEADS); }
    public Long headDim() { return integer(Column.HEAD_DIM); }
    public Double timeMedianMs() { return number(Column.TIME_MEDIAN_MS); }
    public Double timeCiLowMs() { return number(Column.TIME_CI_LOW_MS); }
    public Double timeCiHighMs() { return number(Column.TIME_CI_HIGH_MS); }
    public Double gflopsPerS() { return number(Column.GFLOPS_PER_S); }
    public Long flops() { return integer(Column.FLOPS); }
    public Long peakLiveBytes() { return integer(Column.PEAK_LIVE_BYTES); }
    public Long processPeakBytes() { return integer(Column.PROCESS_PEAK_BYTES); }
    public Long deviceLivePeakBytes() { return integer(Column.DEVICE_LIVE_PEAK_BYTES); }
    public Long devicePeakBytes() { return integer(Column.DEVICE_PEAK_BYTES); }
    public Long trainSteps() { return integer(Column.TRAIN_STEPS); }
    public Double trainTimeMs() { return number(Column.TRAIN_TIME_MS); }
    public Double finalLossNats() { return number(Column.FINAL_LOSS_NATS); }
    public Double testAccuracy() { return number(Column.TEST_ACCURACY); }
    public Double testBitsPerChar() { return number(Column.TEST_BITS_PER_CHAR); }
    public Double fidelityRelError() { return number(Column.FIDELITY_REL_ERROR); }

    public boolean ok() {
        return status().equals("ok");
    }

    /**
     * What was measured, without how it came out: two rows with equal keys measure the same thing, so a resumed
     * sweep skips a measurement whose key is already stored. The key is opaque; compare it, do not parse it.
     */
    public String key() {
        return key(benchmark(), variant(), backend(), dtype(), batch(), length(), heads(), headDim(), mode(), pass(),
                task(), integer(Column.SEED));
    }

    /** The key a row with these values would have; absent numbers are null, absent text is empty. */
    public static String key(String benchmark, String variant, String backend, String dtype, Long batch, Long length,
                             Long heads, Long headDim, String mode, String pass, String task, Long seed) {
        // Values are single lines, so a line break cannot occur inside one and the joined key is unambiguous.
        return String.join("\n", benchmark, variant, backend, dtype, String.valueOf(batch), String.valueOf(length),
                String.valueOf(heads), String.valueOf(headDim), mode, pass, task, String.valueOf(seed));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResultRow r && r.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "ResultRow" + values;
    }

    /** Collects values; {@link #build()} checks the row. */
    public static final class Builder {
        private final Map<Column, Object> values = new EnumMap<>(Column.class);

        private Builder() {}

        /**
         * Sets a column; null (and empty text) removes it. Text must be one line; integers accept Long, Integer or Short; numbers
         * any finite Number; samples a list of finite non-negative Doubles. {@link Column#SCHEMA} is set by
         * {@link #build()} and only accepts {@value ResultRow#SCHEMA}.
         */
        public Builder set(Column c, Object value) {
            // Empty text is absent text, as a CSV cell cannot tell them apart: a row reads back equal from CSV and JSON.
            if (value == null || "".equals(value)) {
                values.remove(c);
                return this;
            }
            if (c == Column.SCHEMA && !SCHEMA.equals(value)) {
                throw new IllegalArgumentException("schema is always " + SCHEMA + ", got " + value);
            }
            Object v = switch (c.type()) {
                case TEXT -> {
                    if (!(value instanceof String s)) throw wrongType(c, value);
                    if (s.contains("\n") || s.contains("\r")) {
                        throw new IllegalArgumentException(c.id() + " must be one line: " + s.lines().findFirst().orElse(""));
                    }
                    yield s;
                }
                case INTEGER -> {
                    if (!(value instanceof Long || value instanceof Integer || value instanceof Short)) throw wrongType(c, value);
                    yield ((Number) value).longValue();
                }
                case NUMBER -> {
                    if (!(value instanceof Number n)) throw wrongType(c, value);
                    double d = n.doubleValue();
                    if (!Double.isFinite(d)) throw new IllegalArgumentException(c.id() + " must be finite, got " + d);
                    yield d;
                }
                case SAMPLES -> {
                    if (!(value instanceof List<?> list)) throw wrongType(c, value);
                    for (Object o : list) {
                        if (!(o instanceof Double d) || !Double.isFinite(d) || d < 0) {
                            throw new IllegalArgumentException(c.id() + " must hold non-negative finite doubles, got " + o);
                        }
                    }
                    yield List.copyOf(list);
                }
            };
            values.put(c, v);
            return this;
        }

        /**
         * Sets the raw samples and the figures derived from them: median, its 95% interval ({@link SampleStats})
         * and the sample count.
         */
        public Builder timesMs(List<Double> samplesMs) {
            SampleStats s = SampleStats.of(samplesMs);
            return set(Column.SAMPLES_MS, samplesMs).set(Column.TIME_MEDIAN_MS, s.median())
                    .set(Column.TIME_CI_LOW_MS, s.low()).set(Column.TIME_CI_HIGH_MS, s.high())
                    .set(Column.TIME_SAMPLES, s.count());
        }

        private static IllegalArgumentException wrongType(Column c, Object value) {
            return new IllegalArgumentException(c.id() + " takes " + article(c.type()) + ", got "
                    + value.getClass().getSimpleName() + " " + value);
        }

        static String article(Column.Type t) {
            return switch (t) {
                case TEXT -> "text";
                case INTEGER -> "an integer";
                case NUMBER -> "a number";
                case SAMPLES -> "a list of numbers";
            };
        }

        /**
         * Checks the row and returns it. A row needs run_id, suite, measured_at (an ISO-8601 UTC instant ending in
         * Z), benchmark, variant, backend, device (cpu or gpu), dtype and a known status; mode and pass, when
         * present (always for attention), must be known values; numbers other than seed must not be negative. An
         * ok row has the median, its interval (low &lt;= median &lt;= high) and the sample count, which agrees
         * with samples_ms when both are there, and no message. Any other row has a message and no time or
         * throughput figures.
         */
        public ResultRow build() {
            values.put(Column.SCHEMA, SCHEMA);
            for (Column c : REQUIRED) {
                if (text(c).isEmpty()) throw new IllegalArgumentException(c.id() + " is missing");
            }
            String status = text(Column.STATUS);
            if (!STATUSES.contains(status)) throw unknown("status", status, STATUSES);
            if (!DEVICES.contains(text(Column.DEVICE))) throw unknown("device", text(Column.DEVICE), DEVICES);
            checkInstant(text(Column.MEASURED_AT));
            String benchmark = text(Column.BENCHMARK);
            if (!BENCHMARKS.contains(benchmark)) throw unknown("benchmark", benchmark, BENCHMARKS);
            boolean attention = benchmark.equals("attention");
            boolean learned = benchmark.equals("accuracy") || benchmark.equals("fidelity");
            checkChoice(Column.MODE, MODES, attention || learned);
            checkChoice(Column.PASS, PASSES, attention);
            if (benchmark.equals("accuracy") && text(Column.TASK).isEmpty()) throw new IllegalArgumentException("an accuracy row needs its task");
            Object accuracy = values.get(Column.TEST_ACCURACY);
            if (accuracy != null && (Double) accuracy > 1) {
                throw new IllegalArgumentException("test_accuracy is a fraction of 1, got " + accuracy);
            }
            for (Map.Entry<Column, Object> e : values.entrySet()) {
                if (e.getValue() instanceof Number n && n.doubleValue() < 0 && !MAY_BE_NEGATIVE.contains(e.getKey())) {
                    throw new IllegalArgumentException(e.getKey().id() + " must not be negative, got " + n);
                }
            }
            if (status.equals("ok")) {
                switch (benchmark) {
                    case "accuracy" -> {
                        require(Column.TRAIN_STEPS, "an ok accuracy row");
                        require(Column.FINAL_LOSS_NATS, "an ok accuracy row");
                        if (!values.containsKey(Column.TEST_ACCURACY) && !values.containsKey(Column.TEST_BITS_PER_CHAR)) {
                            throw new IllegalArgumentException("an ok accuracy row needs test_accuracy or test_bits_per_char");
                        }
                        if (values.containsKey(Column.TIME_MEDIAN_MS)) checkTiming(); // the training step times
                        else checkNoMessage();
                    }
                    case "fidelity" -> {
                        require(Column.FIDELITY_REL_ERROR, "an ok fidelity row");
                        checkNoMessage();
                    }
                    default -> checkTiming();
                }
            } else {
                if (text(Column.MESSAGE).isEmpty()) {
                    throw new IllegalArgumentException("a row with status " + status + " needs a message saying why");
                }
                for (Column c : MEASURED) {
                    if (values.containsKey(c)) throw new IllegalArgumentException("a row with status " + status + " cannot have " + c.id());
                }
            }
            return new ResultRow(values);
        }

        private void require(Column c, String what) {
            if (!values.containsKey(c)) throw new IllegalArgumentException(what + " needs " + c.id());
        }

        private void checkNoMessage() {
            if (!text(Column.MESSAGE).isEmpty()) {
                throw new IllegalArgumentException("an ok row has no message, got '" + text(Column.MESSAGE) + "'");
            }
        }

        private void checkTiming() {
            for (Column c : TIMING) {
                if (!values.containsKey(c)) throw new IllegalArgumentException("an ok row needs " + c.id());
            }
            checkNoMessage();
            double median = (Double) values.get(Column.TIME_MEDIAN_MS);
            double low = (Double) values.get(Column.TIME_CI_LOW_MS);
            double high = (Double) values.get(Column.TIME_CI_HIGH_MS);
            if (!(low <= median && median <= high)) {
                throw new IllegalArgumentException("time interval [" + low + ", " + high + "] does not hold the median " + median);
            }
            long count = (Long) values.get(Column.TIME_SAMPLES);
            if (values.get(Column.SAMPLES_MS) instanceof List<?> samples && samples.size() != count) {
                throw new IllegalArgumentException("time_samples is " + count + " but samples_ms holds " + samples.size());
            }
            if (values.get(Column.FORK_MEDIANS_MS) instanceof List<?> medians && values.get(Column.FORKS) instanceof Long forks
                    && medians.size() != forks) {
                throw new IllegalArgumentException("forks is " + forks + " but fork_medians_ms holds " + medians.size());
            }
        }

        private String text(Column c) {
            Object v = values.get(c);
            return v == null ? "" : (String) v;
        }

        private void checkChoice(Column c, Set<String> known, boolean required) {
            String v = text(c);
            if (v.isEmpty() ? required : !known.contains(v)) throw unknown(c.id(), v, known);
        }

        private static void checkInstant(String text) {
            try {
                Instant.parse(text);
                if (!text.endsWith("Z")) throw new DateTimeParseException("not UTC", text, text.length());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("measured_at '" + text + "' is not an ISO-8601 UTC instant such as 2026-11-22T12:00:00Z");
            }
        }

        private static IllegalArgumentException unknown(String what, String value, Set<String> known) {
            return new IllegalArgumentException((value.isEmpty() ? what + " is missing" : "unknown " + what + " '" + value + "'")
                    + " (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
        }
    }
}
