package org.attnbench.suites.timing;

import java.util.concurrent.TimeUnit;

import org.attnbench.api.Backends;
import org.attnbench.api.DType;
import org.attnbench.api.Ops;
import org.attnbench.api.Rng;
import org.attnbench.api.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the operation layer costs per call: the same operation on tiny tensors through {@link Ops} and as ND4J's
 * own call on the very arrays our tensors hold. The difference is our overhead (shape checks, cost counting hooks,
 * tape checks, the backend's dispatch). Average-time mode: a call takes about a microsecond, below what
 * per-call sampling resolves well, so each sample is one iteration's mean.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OpOverheadBenchmark {
    /** Which operation: add, exp or matmul. */
    @Param({"add", "exp", "matmul"}) public String op;
    @Param("8") public int size;

    private Ops ops;
    private Tensor a;
    private Tensor b;
    private INDArray rawA;
    private INDArray rawB;

    @Setup
    public void setUp() {
        ops = Ops.on(Backends.open("cpu"), DType.FLOAT32);
        Rng rng = new Rng(1);
        a = ops.constant(rng.normal(size * size, 1.0), size, size);
        b = ops.constant(rng.normal(size * size, 1.0), size, size);
        rawA = (INDArray) a.handle();
        rawB = (INDArray) b.handle();
    }

    @Benchmark
    public Object attnbench() {
        return switch (op) {
            case "add" -> ops.add(a, b);
            case "exp" -> ops.exp(a);
            case "matmul" -> ops.matmul(a, b);
            default -> throw new IllegalArgumentException("unknown op " + op);
        };
    }

    @Benchmark
    public Object nd4j() {
        return switch (op) {
            case "add" -> rawA.add(rawB);
            case "exp" -> Transforms.exp(rawA, true);
            case "matmul" -> rawA.mmul(rawB);
            default -> throw new IllegalArgumentException("unknown op " + op);
        };
    }
}
