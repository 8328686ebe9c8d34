package org.attnbench.backend.cuda;

import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import org.attnbench.api.DType;
import org.attnbench.api.Ops;
import org.attnbench.api.Rng;
import org.attnbench.api.Tensor;
import org.attnbench.backend.reference.ReferenceBackend;
import org.attnbench.tck.Numerics;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The dtypes the backend kit does not cover (it checks float32 and float64): bfloat16, float16 and tf32 on matrix
 * products (plain, transposed views, broadcast batches), softmax with a mask, reductions, the FFT and casts, each
 * against float64 on the reference backend from the same rounded inputs, at the precision of the type. Skipped
 * without a GPU.
 */
class LowPrecisionGpuTest {
    private record Case(String name, int[][] shapes, BiFunction<Ops, Tensor[], Tensor> f) {}

    private static final List<Case> CASES = List.of(
            new Case("matmul [3,70,50]x[50,40]", new int[][] {{3, 70, 50}, {50, 40}}, (o, t) -> o.matmul(t[0], t[1])),
            new Case("matmul a^T b^T", new int[][] {{2, 50, 70}, {2, 40, 50}}, (o, t) -> o.matmul(t[0], true, t[1], true)),
            new Case("matmul of permuted heads", new int[][] {{2, 33, 4, 16}, {2, 33, 4, 16}},
                    (o, t) -> o.matmul(o.permute(t[0], 0, 2, 1, 3), false, o.permute(t[1], 0, 2, 1, 3), true)),
            new Case("softmax with a causal mask", new int[][] {{2, 3, 37, 37}}, (o, t) -> o.softmax(t[0], -1, o.band(37, 37, -37, 0))),
            new Case("sum and max", new int[][] {{4, 300, 7}}, (o, t) -> o.add(o.sum(t[0], 1), o.max(t[0], 1))),
            new Case("fft2 real part", new int[][] {{2, 12, 10}}, (o, t) -> o.fft2Real(t[0])),
            new Case("gelu of a slice", new int[][] {{5, 9}}, (o, t) -> o.gelu(o.slice(t[0], 1, 2, 7))),
            new Case("cast to float32 and back", new int[][] {{4, 5}}, (o, t) -> o.cast(o.cast(t[0], DType.FLOAT32), o.dtype())));

    @TestFactory
    Stream<DynamicTest> lowPrecisionTypesMatchFloat64() {
        return Stream.of(DType.BFLOAT16, DType.FLOAT16, DType.TF32).flatMap(dtype -> CASES.stream().map(c ->
                DynamicTest.dynamicTest(c.name() + " " + dtype, () -> {
                    CudaBackend gpu = GpuTests.backend();
                    Ops ops = Ops.on(gpu, dtype);
                    Ops ref = Ops.on(new ReferenceBackend(), DType.FLOAT64);
                    Rng rng = new Rng(9);
                    Tensor[] x = new Tensor[c.shapes().length], r = new Tensor[x.length];
                    for (int i = 0; i < x.length; i++) {
                        int size = 1;
                        for (int d : c.shapes()[i]) size *= d;
                        x[i] = ops.constant(rng.normal(size, 1.0), c.shapes()[i]);
                        r[i] = ref.constant(ops.toArray(x[i]), c.shapes()[i]);
                    }
                    // 16-bit results are rounded once more on the way out; tf32 products keep 10 mantissa bits of each input
                    double tol = dtype == DType.BFLOAT16 ? 2e-2 : dtype == DType.FLOAT16 ? 4e-3 : 4e-3;
                    Numerics.assertClose(c.name() + " " + dtype, ops.toArray(c.f().apply(ops, x)), ref.toArray(c.f().apply(ref, r)), tol);
                })));
    }
}
