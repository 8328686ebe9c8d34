package org.attnbench.suites;

import java.util.stream.Stream;

import org.attnbench.api.Variants;
import org.attnbench.tck.VariantConformance;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * The conformance kit over every variant registered on the full class path (all variant modules, all backends),
 * so a variant added anywhere is checked without anyone writing a test for it.
 */
class AllVariantsConformanceTest {
    @TestFactory
    Stream<DynamicNode> everyRegisteredVariantConforms() {
        return Variants.all().stream().map(VariantConformance::tests);
    }
}
