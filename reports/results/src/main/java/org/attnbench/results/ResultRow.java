package org.attnbench.results;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One measurement, immutable. The columns and their units are listed in {@link Column}. Rows are built with
 * {@link #builder()}, which checks types as values are set and the row as a whole when it is built.
 */
public final class ResultRow {
    /** The schema name and version every row carries; readers refuse anything else. */
    public static final String SCHEMA = "attnbench.results/1";
    public static final Set<String> STATUSES = Set.of("ok", "oom", "unsupported", "error");
    public static final Set<String> MODES = Set.of("causal", "bidirectional");
    public static final Set<String> PASSES = Set.of("forward", "forward+backward");
    private static final List<Column> REQUIRED = List.of(Column.RUN_ID, Column.SUITE, Column.MEASURED_AT, Column.BENCHMARK,
            Column.VARIANT, Column.BACKEND, Column.DEVICE, Column.DTYPE, Column.STATUS);

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

    @SuppressWarnings("unchecked")
    public List<Double> samplesMs() {
        Object v = values.get(Column.SAMPLES_MS);
        return v == null ? List.of() : (List<Double>) v;
    }

    public String runId() { return text(Column.RUN_ID); }
    public String suite() { return text(Column.SUITE); }
    public String benchmark() { return text(Column.BENCHMARK); }
    public String variant() { return text(Column.VARIANT); }
    public String backend() { return text(Column.BACKEND); }
    public String device() { return text(Column.DEVICE); }
    public String dtype() { return text(Column.DTYPE); }
    public String mode() { return text(Column.MODE); }
    public String pass() { return text(Column.PASS); }
    public String status() { return text(Column.STATUS); }
    public String message() { return text(Column.MESSAGE); }
    public Long length() { return integer(Column.LENGTH); }
    public Double timeMedianMs() { return number(Column.TIME_MEDIAN_MS); }
    public Double timeCiLowMs() { return number(Column.TIME_CI_LOW_MS); }
    public Double timeCiHighMs() { return number(Column.TIME_CI_HIGH_MS); }
    public Double gflopsPerS() { return number(Column.GFLOPS_PER_S); }
    public Long flops() { return integer(Column.FLOPS); }
    public Long peakLiveBytes() { return integer(Column.PEAK_LIVE_BYTES); }
    public Long processPeakBytes() { return integer(Column.PROCESS_PEAK_BYTES); }

    public boolean ok() {
        return status().equals("ok");
    }

    /** What was measured, without how it came out: two rows with the same key measure the same thing. */
    public String key() {
        return key(benchmark(), variant(), backend(), dtype(), integer(Column.BATCH), length(), integer(Column.HEADS),
                integer(Column.HEAD_DIM), mode(), pass());
    }

    public static String key(String benchmark, String variant, String backend, String dtype, Long batch, Long length,
                             Long heads, Long headDim, String mode, String pass) {
        return String.join("|", benchmark, variant, backend, dtype, String.valueOf(batch), String.valueOf(length),
                String.valueOf(heads), String.valueOf(headDim), mode, pass);
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

        /** Sets a column; null removes it. Integers accept any integral Number, numbers any Number. */
        public Builder set(Column c, Object value) {
            if (value == null) {
                values.remove(c);
                return this;
            }
            Object v = switch (c.type()) {
                case TEXT -> {
                    if (!(value instanceof String s)) throw wrongType(c, value);
                    if (s.contains("\n") || s.contains("\r")) throw new IllegalArgumentException(c.id() + " must be one line: " + s);
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

        private static IllegalArgumentException wrongType(Column c, Object value) {
            return new IllegalArgumentException(c.id() + " takes a " + c.type().name().toLowerCase() + ", got "
                    + value.getClass().getSimpleName() + " " + value);
        }

        public ResultRow build() {
            values.put(Column.SCHEMA, SCHEMA);
            for (Column c : REQUIRED) {
                if (!values.containsKey(c) || ((String) values.get(c)).isEmpty()) throw new IllegalArgumentException(c.id() + " is missing");
            }
            String status = (String) values.get(Column.STATUS);
            if (!STATUSES.contains(status)) throw new IllegalArgumentException("unknown status '" + status + "' (known: " + STATUSES + ")");
            String mode = (String) values.getOrDefault(Column.MODE, "");
            if (!mode.isEmpty() && !MODES.contains(mode)) throw new IllegalArgumentException("unknown mode '" + mode + "'");
            String pass = (String) values.getOrDefault(Column.PASS, "");
            if (!pass.isEmpty() && !PASSES.contains(pass)) throw new IllegalArgumentException("unknown pass '" + pass + "'");
            for (Map.Entry<Column, Object> e : values.entrySet()) {
                if (e.getValue() instanceof Number n && n.doubleValue() < 0) {
                    throw new IllegalArgumentException(e.getKey().id() + " must not be negative, got " + n);
                }
            }
            if (status.equals("ok")) {
                for (Column c : List.of(Column.TIME_MEDIAN_MS, Column.TIME_CI_LOW_MS, Column.TIME_CI_HIGH_MS, Column.TIME_SAMPLES)) {
                    if (!values.containsKey(c)) throw new IllegalArgumentException("an ok row needs " + c.id());
                }
            } else if (((String) values.getOrDefault(Column.MESSAGE, "")).isEmpty()) {
                throw new IllegalArgumentException("a row with status " + status + " needs a message saying why");
            }
            return new ResultRow(values);
        }
    }
}
