package org.attnbench.suites.timing;

import java.util.concurrent.TimeUnit;

import org.attnbench.api.DType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Times one variant on one problem. The sweep runner sets every parameter; the defaults only make the class
 * runnable on its own. Sample-time mode keeps every call's time, which the results keep as raw samples.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class AttentionBenchmark {
    @Param("dense") public String variant;
    @Param("cpu") public String backend;
    @Param("float32") public String dtype;
    @Param("1") public int batch;
    @Param("256") public int length;
    @Param("8") public int heads;
    @Param("64") public int headDim;
    @Param("bidirectional") public String mode;
    @Param("forward") public String pass;
    @Param("42") public long seed;

    private TimedCall call;

    @Setup
    public void setUp() {
        call = TimedCall.prepare(backend, DType.parse(dtype), variant,
                TimedCall.problem(batch, length, heads, headDim, mode), Pass.parse(pass), seed);
    }

    @Benchmark
    public void run(Blackhole bh) {
        bh.consume(call.call());
    }
}
