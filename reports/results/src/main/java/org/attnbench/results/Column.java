package org.attnbench.results;

import java.util.HashMap;
import java.util.Map;

/**
 * The columns of a result row, schema {@value ResultRow#SCHEMA}. A column's name carries its unit (_ms, _bytes,
 * _per_s), so a reader knows which direction is better without being told: lower for time and bytes, higher for
 * throughput and accuracy. A number that does not apply is absent (an empty CSV cell, a JSON null), never 0.
 */
public enum Column {
    SCHEMA("schema", Type.TEXT, "always " + ResultRow.SCHEMA),
    RUN_ID("run_id", Type.TEXT, "one id per sweep; rows added by a resumed sweep keep it"),
    SUITE("suite", Type.TEXT, "the suite that produced the row"),
    MEASURED_AT("measured_at", Type.TEXT, "ISO-8601 UTC time the row was written"),
    BENCHMARK("benchmark", Type.TEXT, "what was timed: attention, gemm (the backend's plain matmul) or op-overhead"),
    VARIANT("variant", Type.TEXT, "variant name (dense, dense:fused); sgemm-SIZE for gemm; OP:IMPL for op-overhead"),
    FAMILY("family", Type.TEXT, "variant family, empty for non-attention rows"),
    IMPLEMENTATION_OF("implementation_of", Type.TEXT, "for a peer framework's row, which of our variants it mirrors"),
    BACKEND("backend", Type.TEXT, "backend name: cpu, reference, gpu, or a peer such as torch-cpu"),
    DEVICE("device", Type.TEXT, "cpu or gpu"),
    DTYPE("dtype", Type.TEXT, "float32, float64, bfloat16, ..."),
    BATCH("batch", Type.INTEGER, "batch size"),
    LENGTH("length", Type.INTEGER, "sequence length n (the matrix size for gemm and op-overhead)"),
    HEADS("heads", Type.INTEGER, "attention heads"),
    HEAD_DIM("head_dim", Type.INTEGER, "width of one head"),
    MODE("mode", Type.TEXT, "causal or bidirectional"),
    PASS("pass", Type.TEXT, "forward, or forward+backward (a training step)"),
    STATUS("status", Type.TEXT, "ok, oom, unsupported or error"),
    MESSAGE("message", Type.TEXT, "empty when ok, else one line saying why"),
    TIME_MEDIAN_MS("time_median_ms", Type.NUMBER, "median time of one call, milliseconds"),
    TIME_CI_LOW_MS("time_ci_low_ms", Type.NUMBER, "lower end of the 95% confidence interval of the median"),
    TIME_CI_HIGH_MS("time_ci_high_ms", Type.NUMBER, "upper end of that interval"),
    TIME_SAMPLES("time_samples", Type.INTEGER, "number of samples"),
    SAMPLES_MS("samples_ms", Type.SAMPLES, "raw samples in milliseconds: one per call, or one per JMH iteration for op-overhead"),
    FLOPS("flops", Type.INTEGER, "floating-point operations of one call as counted by the operation layer (a multiply-add is 2)"),
    GFLOPS_PER_S("gflops_per_s", Type.NUMBER, "achieved throughput: flops / median time"),
    PEAK_LIVE_BYTES("peak_live_bytes", Type.INTEGER, "exact peak of live tensor bytes in one call (inputs and parameters excluded)"),
    PARAM_BYTES("param_bytes", Type.INTEGER, "bytes of the parameters"),
    PROCESS_PEAK_BYTES("process_peak_bytes", Type.INTEGER, "peak resident set of the measuring process"),
    DECLARED_TIME_EXPONENT("declared_time_exponent", Type.NUMBER, "the variant's declared exponent of n in time"),
    DECLARED_MEMORY_EXPONENT("declared_memory_exponent", Type.NUMBER, "the variant's declared exponent of n in memory"),
    WARMUP_ITERATIONS("warmup_iterations", Type.INTEGER, "JMH warm-up iterations"),
    MEASUREMENT_ITERATIONS("measurement_iterations", Type.INTEGER, "JMH measurement iterations"),
    ITERATION_MS("iteration_ms", Type.INTEGER, "length of one JMH iteration, milliseconds"),
    FORKS("forks", Type.INTEGER, "JMH forks"),
    SEED("seed", Type.INTEGER, "seed of parameters and inputs"),
    MACHINE("machine", Type.TEXT, "host name"),
    CPU_MODEL("cpu_model", Type.TEXT, "CPU model"),
    CORES("cores", Type.INTEGER, "logical processors available"),
    MEMORY_BYTES("memory_bytes", Type.INTEGER, "physical memory"),
    OS("os", Type.TEXT, "operating system and version"),
    JDK("jdk", Type.TEXT, "JVM vendor and version"),
    BACKEND_DESCRIPTION("backend_description", Type.TEXT, "the backend's libraries, BLAS and threads"),
    GIT_REVISION("git_revision", Type.TEXT, "revision of the code that measured, -dirty if it had uncommitted changes"),
    COMMAND("command", Type.TEXT, "the command that produced the row");

    /** How a column's values are written and read. */
    public enum Type { TEXT, INTEGER, NUMBER, SAMPLES }

    private static final Map<String, Column> BY_NAME = new HashMap<>();

    static {
        for (Column c : values()) BY_NAME.put(c.id, c);
    }

    private final String id;
    private final Type type;
    private final String meaning;

    Column(String id, Type type, String meaning) {
        this.id = id;
        this.type = type;
        this.meaning = meaning;
    }

    /** The name in files. */
    public String id() {
        return id;
    }

    public Type type() {
        return type;
    }

    public String meaning() {
        return meaning;
    }

    /** The column with this file name, or null. */
    public static Column byId(String id) {
        return BY_NAME.get(id);
    }
}
