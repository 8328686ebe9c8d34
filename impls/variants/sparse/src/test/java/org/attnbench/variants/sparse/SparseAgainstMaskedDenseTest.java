package org.attnbench.variants.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.attnbench.api.Mode;
import org.attnbench.api.Problem;
import org.attnbench.api.UnsupportedProblemException;
import org.attnbench.api.Variant;
import org.attnbench.api.Variants;
import org.attnbench.tck.DenseOracle;
import org.attnbench.tck.Numerics;
import org.attnbench.tck.VariantKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each pattern, computed block-sparsely on every backend, against dense attention masked with the same pattern in
 * float64; and the identities: a window of w >= n and an N-gram of N >= n are dense attention.
 */
class SparseAgainstMaskedDenseTest {

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        String[] specs = {"window(w=3)", "window(w=40)", "window:fused(w=3)", "window:fused(w=40)", "ngram(size=5)", "strided(stride=3)", "strided", "fixed(stride=5,summary=2)",
            "fixed", "random(r=3,seed=5)", "random(r=60)", "bigbird(block=4,random=2)", "bigbird(block=4,random=0)",
            "bigbird(block=16,random=1)"};
        for (String backend : DenseOracle.backends()) {
            for (String spec : specs) {
                for (Mode mode : Variants.get(spec).info().modes()) {
                    // 48 = 12 blocks of 4, more than BigBird's (5 + 2r) blocks; 37 is ragged for the padded patterns.
                    int n = spec.startsWith("bigbird") ? 48 : 37;
                    out.add(Arguments.of(backend, spec, new Problem(2, n, 2, 3, mode)));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void equalsDenseAttentionUnderTheSameMask(String backend, String spec, Problem p) {
        SparseAttention v = (SparseAttention) Variants.get(spec);
        DenseOracle.Run run = DenseOracle.forward(v, backend, p, 11, 12);
        double[] expected = DenseOracle.maskedDense(p, run.input(), run.params(),
                (i, j) -> (!p.causal() || j <= i) && v.allowed(p, i, j));
        Numerics.assertClose(backend + " " + spec + " " + p, run.output(), expected, 1e-10);
    }

    static Stream<Arguments> denseCases() {
        List<Arguments> out = new ArrayList<>();
        for (String backend : DenseOracle.backends()) {
            out.add(Arguments.of(backend, "window(w=20)", new Problem(2, 20, 2, 3, Mode.BIDIRECTIONAL)));
            out.add(Arguments.of(backend, "window(w=100)", new Problem(2, 33, 2, 3, Mode.CAUSAL)));
            out.add(Arguments.of(backend, "window(w=19)", new Problem(1, 20, 2, 3, Mode.BIDIRECTIONAL)));
            out.add(Arguments.of(backend, "ngram(size=33)", new Problem(2, 33, 2, 3, Mode.CAUSAL)));
            out.add(Arguments.of(backend, "ngram(size=50)", new Problem(1, 33, 2, 3, Mode.CAUSAL)));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("denseCases")
    void wideEnoughIsDenseAttention(String backend, String spec, Problem p) {
        DenseOracle.Run sparse = DenseOracle.forward(Variants.get(spec), backend, p, 21, 22);
        DenseOracle.Run dense = DenseOracle.forward(Variants.get("dense"), backend, p, sparse.params(), 22);
        Numerics.assertClose(backend + " " + spec + " against dense " + p, sparse.output(), dense.output(), 1e-12);
    }

    @Test
    void aNarrowWindowIsNotDense() {
        Problem p = new Problem(1, 20, 2, 3, Mode.BIDIRECTIONAL);
        String backend = DenseOracle.backends().get(0);
        DenseOracle.Run sparse = DenseOracle.forward(Variants.get("window(w=18)"), backend, p, 21, 22);
        DenseOracle.Run dense = DenseOracle.forward(Variants.get("dense"), backend, p, sparse.params(), 22);
        assertTrue(Numerics.scaledError(sparse.output(), dense.output()) > 1e-6, "w = n - 2 must differ from dense");
    }

    @Test
    void bigBirdRefusesALengthThatIsNotAMultipleOfItsBlock() {
        Variant v = Variants.get("bigbird(block=64)");
        UnsupportedProblemException e = assertThrows(UnsupportedProblemException.class,
                () -> Variants.check(v, new Problem(1, 1000, 1, 8, Mode.BIDIRECTIONAL)));
        assertEquals("bigbird: length 1000 is not a multiple of the block size 64 (option block)", e.getMessage());
    }

    @Test
    void bigBirdPatternHasTheBlocksOfThePaper() {
        BigBirdAttention v = (BigBirdAttention) Variants.get("bigbird(block=4,random=2)");
        Problem p = new Problem(1, 64, 1, 4, Mode.BIDIRECTIONAL);
        var sets = v.keyBlocks(p);
        for (int qb = 1; qb < 15; qb++) {
            assertTrue(sets.get(qb).containsAll(List.of(0, 15, qb - 1, qb, qb + 1)), "window and global blocks of " + qb);
            assertEquals(qb == 1 || qb == 14 ? 6 : 7, sets.get(qb).size(), "3 window + 2 global + 2 random for block " + qb);
        }
        for (int j = 0; j < 64; j++) assertTrue(v.allowed(p, 0, j) && v.allowed(p, 63, j) && v.allowed(p, j, 0), "global");
    }

    /** The figure the issue sets: BigBird's exact peak live memory at n = 8192 is at most a quarter of dense's. */
    @Test
    void bigBirdPeakMemoryAt8192IsAtMostAQuarterOfDense() {
        for (Mode mode : Mode.values()) {
            long dense = VariantKit.countedCost(Variants.get("dense"), mode, 8192).peakLiveBytes();
            long bigbird = VariantKit.countedCost(Variants.get("bigbird"), mode, 8192).peakLiveBytes();
            assertTrue(4 * bigbird <= dense, mode.id() + ": bigbird " + bigbird + " bytes vs dense " + dense);
        }
    }

    @Test
    void optionsAreValidated() {
        var e = assertThrows(IllegalArgumentException.class, () -> Variants.get("window(w=-1)"));
        assertEquals("window: option w must be an integer >= 0, got '-1'", e.getMessage());
        var u = assertThrows(IllegalArgumentException.class, () -> Variants.get("window(width=3)"));
        assertEquals("window: unknown option 'width' (known: w)", u.getMessage());
        assertEquals("window(w=3)", Variants.displayName(Variants.get("window( w=3 )")));
        assertEquals("window", Variants.displayName(Variants.get("window(w=64)")));
    }
}
