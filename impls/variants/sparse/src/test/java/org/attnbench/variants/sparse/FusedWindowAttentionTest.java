package org.attnbench.variants.sparse;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.attnbench.api.Mode;
import org.attnbench.api.Problem;
import org.attnbench.api.Variants;
import org.attnbench.tck.DenseOracle;
import org.attnbench.tck.Implementations;
import org.attnbench.tck.VariantConformance;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * window:fused: the kit, and the same function as window on every backend for windows of 0 (a query sees itself), a
 * few keys, about a tile (48 on the cpu kernel), and wider than the sequence (dense attention).
 */
class FusedWindowAttentionTest {

    @TestFactory
    Stream<DynamicNode> kit() {
        return Stream.of("window:fused", "window:fused(w=3)", "window:fused(w=0)").map(s -> VariantConformance.tests(Variants.get(s)));
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String backend : DenseOracle.backends()) {
            for (Mode mode : Mode.values()) {
                for (int w : new int[] {0, 1, 5, 47, 48, 130, 1000}) {
                    out.add(Arguments.of(backend, w, new Problem(2, 37, 2, 8, mode)));
                    out.add(Arguments.of(backend, w, new Problem(1, 401, 2, 64, mode)));
                    out.add(Arguments.of(backend, w, new Problem(1, 800, 1, 8, mode)));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} w={1} {2}")
    @MethodSource("cases")
    void isTheSameFunctionAsWindow(String backend, int w, Problem p) {
        Implementations.assertSameFunction(Variants.get("window:fused(w=" + w + ")"), Variants.get("window(w=" + w + ")"), backend, p, 71);
    }

    /** With w >= n - 1 every query sees every key (causal: every earlier key): dense attention. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("denseCases")
    void aWindowAsWideAsTheSequenceIsDense(String backend, Problem p) {
        Implementations.assertSameFunction(Variants.get("window:fused(w=" + (p.length() - 1) + ")"), Variants.get("dense"), backend, p, 72);
    }

    static Stream<Arguments> denseCases() {
        List<Arguments> out = new ArrayList<>();
        for (String backend : DenseOracle.backends()) {
            for (Mode mode : Mode.values()) out.add(Arguments.of(backend, new Problem(1, 150, 2, 16, mode)));
        }
        return out.stream();
    }
}
