package org.attnbench.suites.timing;

import java.util.concurrent.TimeUnit;

import org.attnbench.api.Cost;
import org.attnbench.api.CostMeter;
import org.attnbench.api.DType;
import org.attnbench.api.Ops;
import org.attnbench.api.Rng;
import org.attnbench.api.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** A plain size^3 matrix product on a backend: the practical arithmetic roof that attention GFLOP/s is read against. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class GemmBenchmark {
    @Param("cpu") public String backend;
    @Param("float32") public String dtype;
    @Param("4096") public int size;

    private Ops ops;
    private Tensor a;
    private Tensor b;

    @Setup
    public void setUp() {
        ops = Ops.on(TimedCall.open(backend), DType.parse(dtype));
        Rng rng = new Rng(1);
        a = ops.constant(rng.normal(size * size, 1.0), size, size);
        b = ops.constant(rng.normal(size * size, 1.0), size, size);
    }

    @Benchmark
    public Tensor run() {
        return ops.matmul(a, b);
    }

    /** What one call costs, counted by the operation layer like every other benchmark's. */
    public static Cost count(DType dtype, int size) {
        Ops shapes = Ops.shapeOnly(dtype);
        Tensor a = shapes.zeros(size, size), b = shapes.zeros(size, size);
        CostMeter meter = shapes.startMetering();
        return meter.stop(shapes.matmul(a, b));
    }
}
