package org.attnbench.variants.sparse;

import java.util.List;
import java.util.stream.Stream;

import org.attnbench.api.Variants;
import org.attnbench.tck.VariantConformance;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/** The conformance kit for every sparse pattern, at its defaults and with small settings that make it truly sparse. */
class SparseConformanceTest {
    static final List<String> SPECS = List.of("window", "window(w=3)", "ngram", "ngram(size=4)", "strided",
            "strided(stride=3)", "fixed", "fixed(stride=4,summary=2)", "random", "random(r=3,seed=5)", "bigbird",
            "bigbird(block=4,random=1)");

    @TestFactory
    Stream<DynamicNode> kit() {
        return SPECS.stream().map(s -> VariantConformance.tests(Variants.get(s)));
    }
}
