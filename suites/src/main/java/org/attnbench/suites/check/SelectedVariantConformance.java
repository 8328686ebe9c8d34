package org.attnbench.suites.check;

import java.util.stream.Stream;

import org.attnbench.api.Variant;
import org.attnbench.api.Variants;
import org.attnbench.tck.VariantConformance;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The conformance kit on the one variant named by the launcher's configuration parameter {@value #VARIANT}: the
 * test class {@link ConformanceRun} hands to the JUnit Platform. It lives in main code, so surefire never picks it up.
 */
@ExtendWith(SelectedVariantConformance.SelectedVariant.class)
public class SelectedVariantConformance {
    public static final String VARIANT = "attnbench.check.variant";

    @TestFactory
    Stream<DynamicNode> conformance(Variant variant) {
        return Stream.of(VariantConformance.tests(variant));
    }

    /** Supplies the variant named by the configuration parameter. */
    static final class SelectedVariant implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
            return p.getParameter().getType() == Variant.class;
        }

        @Override
        public Object resolveParameter(ParameterContext p, ExtensionContext c) {
            String spec = c.getConfigurationParameter(VARIANT)
                    .orElseThrow(() -> new ParameterResolutionException("no variant named: set the configuration parameter " + VARIANT));
            return Variants.get(spec);
        }
    }
}
