package org.attnbench.variants.sigmoid;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.attnbench.api.Mode;
import org.attnbench.api.Problem;
import org.attnbench.api.Variants;
import org.attnbench.tck.DenseOracle;
import org.attnbench.tck.Implementations;
import org.attnbench.tck.Numerics;
import org.attnbench.tck.VariantConformance;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** sigmoid:fused: the kit, the formula, and the same function as sigmoid on every backend. */
class FusedSigmoidAttentionTest {

    @TestFactory
    Stream<DynamicNode> kit() {
        return Stream.of(VariantConformance.tests(Variants.get("sigmoid:fused")));
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String backend : DenseOracle.backends()) {
            for (Mode mode : Mode.values()) {
                out.add(Arguments.of(backend, new Problem(2, 7, 3, 4, mode)));
                out.add(Arguments.of(backend, new Problem(1, 1, 1, 5, mode)));
                out.add(Arguments.of(backend, new Problem(2, 101, 2, 16, mode)));
                out.add(Arguments.of(backend, new Problem(1, 400, 2, 64, mode)));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void isTheSameFunctionAsSigmoid(String backend, Problem p) {
        Implementations.assertSameFunction(Variants.get("sigmoid:fused"), Variants.get("sigmoid"), backend, p, 51);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void equalsTheFormula(String backend, Problem p) {
        if (p.length() > 101) return; // the formula's loops are slow; the shapes above cover the tiles
        DenseOracle.Run run = DenseOracle.forward(Variants.get("sigmoid:fused"), backend, p, 61, 62);
        Numerics.assertClose(backend + " " + p, run.output(), SigmoidAttentionTest.formula(p, run.input(), run.params()), 1e-10);
    }
}
