package org.attnbench.results;

import java.util.HashMap;
import java.util.Map;

/**
 * The columns of a result row, in file order (the CSV header and the keys of a JSON row). What each column means
 * and its unit are documented once, in the class javadoc of {@link ResultRow}.
 */
public enum Column {
    SCHEMA("schema", Type.TEXT),
    RUN_ID("run_id", Type.TEXT),
    SUITE("suite", Type.TEXT),
    MEASURED_AT("measured_at", Type.TEXT),
    BENCHMARK("benchmark", Type.TEXT),
    VARIANT("variant", Type.TEXT),
    FAMILY("family", Type.TEXT),
    IMPLEMENTATION_OF("implementation_of", Type.TEXT),
    BACKEND("backend", Type.TEXT),
    DEVICE("device", Type.TEXT),
    DTYPE("dtype", Type.TEXT),
    BATCH("batch", Type.INTEGER),
    LENGTH("length", Type.INTEGER),
    HEADS("heads", Type.INTEGER),
    HEAD_DIM("head_dim", Type.INTEGER),
    MODE("mode", Type.TEXT),
    PASS("pass", Type.TEXT),
    STATUS("status", Type.TEXT),
    MESSAGE("message", Type.TEXT),
    TASK("task", Type.TEXT),
    SETUP("setup", Type.TEXT),
    TIME_MEDIAN_MS("time_median_ms", Type.NUMBER, Direction.LOWER),
    TIME_CI_LOW_MS("time_ci_low_ms", Type.NUMBER),
    TIME_CI_HIGH_MS("time_ci_high_ms", Type.NUMBER),
    TIME_SAMPLES("time_samples", Type.INTEGER),
    SAMPLES_MS("samples_ms", Type.SAMPLES),
    FORK_MEDIANS_MS("fork_medians_ms", Type.SAMPLES),
    FLOPS("flops", Type.INTEGER),
    GFLOPS_PER_S("gflops_per_s", Type.NUMBER, Direction.HIGHER),
    PEAK_LIVE_BYTES("peak_live_bytes", Type.INTEGER, Direction.LOWER),
    PARAM_BYTES("param_bytes", Type.INTEGER),
    PROCESS_PEAK_BYTES("process_peak_bytes", Type.INTEGER, Direction.LOWER),
    DEVICE_LIVE_PEAK_BYTES("device_live_peak_bytes", Type.INTEGER, Direction.LOWER),
    DEVICE_PEAK_BYTES("device_peak_bytes", Type.INTEGER, Direction.LOWER),
    TRAIN_STEPS("train_steps", Type.INTEGER),
    TRAIN_TIME_MS("train_time_ms", Type.NUMBER, Direction.LOWER),
    FINAL_LOSS_NATS("final_loss_nats", Type.NUMBER, Direction.LOWER),
    TEST_ACCURACY("test_accuracy", Type.NUMBER, Direction.HIGHER),
    TEST_BITS_PER_CHAR("test_bits_per_char", Type.NUMBER, Direction.LOWER),
    FIDELITY_REL_ERROR("fidelity_rel_error", Type.NUMBER, Direction.LOWER),
    DECLARED_TIME_EXPONENT("declared_time_exponent", Type.NUMBER),
    DECLARED_MEMORY_EXPONENT("declared_memory_exponent", Type.NUMBER),
    WARMUP_ITERATIONS("warmup_iterations", Type.INTEGER),
    MEASUREMENT_ITERATIONS("measurement_iterations", Type.INTEGER),
    ITERATION_MS("iteration_ms", Type.INTEGER),
    FORKS("forks", Type.INTEGER),
    SEED("seed", Type.INTEGER),
    MACHINE("machine", Type.TEXT),
    CPU_MODEL("cpu_model", Type.TEXT),
    CORES("cores", Type.INTEGER),
    MEMORY_BYTES("memory_bytes", Type.INTEGER),
    OS("os", Type.TEXT),
    JDK("jdk", Type.TEXT),
    BACKEND_DESCRIPTION("backend_description", Type.TEXT),
    GIT_REVISION("git_revision", Type.TEXT),
    COMMAND("command", Type.TEXT);

    /**
     * How a column's values are held and written: TEXT as String (one line), INTEGER as Long, NUMBER as a finite
     * Double, SAMPLES as a List&lt;Double&gt; (a JSON array; semicolon-separated in one CSV cell).
     */
    public enum Type { TEXT, INTEGER, NUMBER, SAMPLES }

    /**
     * Which way is better for a measured figure, as its unit says: lower for times, bytes, losses and errors, higher
     * for throughput and accuracy. NONE for everything that describes a row rather than measuring it.
     */
    public enum Direction { LOWER, HIGHER, NONE }

    private static final Map<String, Column> BY_ID = new HashMap<>();

    static {
        for (Column c : values()) BY_ID.put(c.id, c);
    }

    private final String id;
    private final Type type;
    private final Direction direction;

    Column(String id, Type type) {
        this(id, type, Direction.NONE);
    }

    Column(String id, Type type, Direction direction) {
        this.id = id;
        this.type = type;
        this.direction = direction;
    }

    /** The name in files (snake_case, unit last). */
    public String id() {
        return id;
    }

    public Type type() {
        return type;
    }

    /** Which way is better, for a column that measures something; NONE otherwise. */
    public Direction direction() {
        return direction;
    }

    /** The column with this file name, or null. */
    public static Column byId(String id) {
        return BY_ID.get(id);
    }
}
