package org.attnbench.variants.dense;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.attnbench.api.AttentionLayer;
import org.attnbench.api.Cost;
import org.attnbench.api.CostMeter;
import org.attnbench.api.DType;
import org.attnbench.api.Mode;
import org.attnbench.api.Ops;
import org.attnbench.api.Problem;
import org.attnbench.api.Rng;
import org.attnbench.api.Tensor;
import org.attnbench.api.Variants;
import org.attnbench.tck.DenseOracle;
import org.attnbench.tck.Implementations;
import org.attnbench.tck.VariantConformance;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** dense:fused: the kit, the same function as dense on every backend, and memory that grows as n. */
class FusedDenseAttentionTest {

    @TestFactory
    Stream<DynamicNode> kit() {
        return Stream.of(VariantConformance.tests(Variants.get("dense:fused")));
    }

    /** Lengths below, at and between tile sizes (the cpu kernel's are 48 queries and keys, 768 queries a task). */
    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String backend : DenseOracle.backends()) {
            for (Mode mode : Mode.values()) {
                out.add(Arguments.of(backend, new Problem(2, 7, 3, 4, mode)));
                out.add(Arguments.of(backend, new Problem(1, 1, 1, 5, mode)));
                out.add(Arguments.of(backend, new Problem(1, 48, 2, 8, mode)));
                out.add(Arguments.of(backend, new Problem(2, 101, 2, 16, mode)));
                out.add(Arguments.of(backend, new Problem(1, 400, 2, 64, mode)));
                out.add(Arguments.of(backend, new Problem(1, 800, 2, 8, mode)));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void isTheSameFunctionAsDense(String backend, Problem p) {
        Implementations.assertSameFunction(Variants.get("dense:fused"), Variants.get("dense"), backend, p, 41);
    }

    /** At n = 16384 (8 heads of 64) the scores alone are 8 GiB; the fused layer's exact peak must be under a tenth. */
    @Test
    void peakMemoryAtSixteenThousandIsUnderATenthOfDense() {
        for (Mode mode : Mode.values()) {
            Problem p = new Problem(1, 16384, 8, 64, mode);
            long fused = peak("dense:fused", p), dense = peak("dense", p);
            assertTrue(fused * 10 < dense, mode.id() + ": dense:fused peak " + fused + " bytes, dense " + dense);
        }
    }

    static long peak(String variant, Problem p) {
        Ops ops = Ops.shapeOnly(DType.FLOAT32);
        AttentionLayer layer = AttentionLayer.create(Variants.get(variant), p, ops, new Rng(1), false);
        Tensor x = ops.zeros(p.inputShape());
        CostMeter meter = ops.startMetering();
        Cost cost = meter.stop(layer.forward(x));
        return cost.peakLiveBytes();
    }
}
