package org.attnbench.variants.persistent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.attnbench.api.Mode;
import org.attnbench.api.Problem;
import org.attnbench.api.Variants;
import org.attnbench.tck.DenseOracle;
import org.attnbench.tck.Numerics;
import org.attnbench.tck.VariantConformance;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Persistent memory: the kit, N = 0 is dense, and dense over [K; Kp] and [V; Vp] with causality on the context only. */
class PersistentMemoryTest {

    @TestFactory
    Stream<DynamicNode> kit() {
        return Stream.of("persistent-memory", "persistent-memory(memory=3)", "persistent-memory(memory=0)")
                .map(s -> VariantConformance.tests(Variants.get(s)));
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String backend : DenseOracle.backends()) {
            for (Mode mode : Mode.values()) {
                out.add(Arguments.of(backend, new Problem(2, 7, 3, 4, mode)));
                out.add(Arguments.of(backend, new Problem(1, 33, 2, 8, mode)));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void withoutMemoryItIsDenseAttention(String backend, Problem p) {
        DenseOracle.Run none = DenseOracle.forward(Variants.get("persistent-memory(memory=0)"), backend, p, 71, 72);
        DenseOracle.Run dense = DenseOracle.forward(Variants.get("dense"), backend, p, none.params(), 72);
        Numerics.assertClose(backend + " " + p, none.output(), dense.output(), 1e-12);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void isDenseAttentionOverTheJoinedKeysWithCausalityOnTheContextOnly(String backend, Problem p) {
        int memory = 5, dh = p.headDim();
        DenseOracle.Run run = DenseOracle.forward(Variants.get("persistent-memory(memory=" + memory + ")"), backend, p, 73, 74);
        double[] keys = run.params().get("memory-keys"), values = run.params().get("memory-values");
        // The forward uses the stored vectors rescaled by sqrt(dh) (keys) and sqrt(N) (values), as the authors' code.
        double[] expected = DenseOracle.withMemory(p, run.input(), run.params(), (i, j) -> !p.causal() || j <= i,
                perHead(keys, p.heads(), memory, dh, Math.sqrt(dh)), perHead(values, p.heads(), memory, dh, Math.sqrt(memory)));
        Numerics.assertClose(backend + " " + p, run.output(), expected, 1e-10);
        // Without the rescaling it is a different function, so the check above can tell.
        double[] unscaled = DenseOracle.withMemory(p, run.input(), run.params(), (i, j) -> !p.causal() || j <= i,
                perHead(keys, p.heads(), memory, dh, 1), perHead(values, p.heads(), memory, dh, 1));
        assertTrue(Numerics.scaledError(run.output(), unscaled) > 1e-3, "the rescaling must show in the output");
    }

    /** [heads, N, dh] flattened, as [head][m][c], times scale. */
    private static double[][][] perHead(double[] flat, int heads, int memory, int dh, double scale) {
        double[][][] out = new double[heads][memory][dh];
        for (int h = 0; h < heads; h++) {
            for (int m = 0; m < memory; m++) {
                for (int c = 0; c < dh; c++) out[h][m][c] = scale * flat[(h * memory + m) * dh + c];
            }
        }
        return out;
    }
}
