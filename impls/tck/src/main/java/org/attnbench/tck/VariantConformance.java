package org.attnbench.tck;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.attnbench.api.Backend;
import org.attnbench.api.BackendProvider;
import org.attnbench.api.Backends;
import org.attnbench.api.NoKernelException;
import org.attnbench.api.Variant;
import org.attnbench.api.Variants;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The conformance kit for one variant, as one abstract test: a variant's test is a subclass that names it.
 * Every rule of {@link VariantKit} runs on every backend on the class path; a backend that cannot run here (no
 * GPU), or that has no kernel the variant needs (a fused attention kernel), shows as skipped tests carrying the reason.
 */
public abstract class VariantConformance {

    /** The variant under test, e.g. Variants.get("dense"). */
    protected abstract Variant variant();

    @TestFactory
    Stream<DynamicNode> conformance() {
        return Stream.of(tests(variant()));
    }

    /** All the kit's checks for a variant, grouped by backend. */
    public static DynamicContainer tests(Variant v) {
        List<DynamicNode> nodes = new ArrayList<>();
        nodes.add(DynamicTest.dynamicTest("declared complexity matches the counted cost", () -> {
            // The exponents on @VariantInfo describe the default options; a fixed block where the default scales
            // with n (a stride of 3 instead of sqrt(n)) legitimately changes them.
            Assumptions.assumeTrue(v.options().isDefault(), "declared complexity is for the default options");
            VariantKit.declaredComplexity(v);
        }));
        for (BackendProvider provider : Backends.all()) {
            nodes.add(onBackend(v, provider));
        }
        return DynamicContainer.dynamicContainer(Variants.displayName(v), nodes);
    }

    private interface Check {
        void run(Variant v, Backend b, Backend reference);
    }

    private static DynamicContainer onBackend(Variant v, BackendProvider provider) {
        List<DynamicTest> tests = new ArrayList<>();
        String why = provider.unavailableReason();
        add(tests, provider, why, "shapes and dtypes", (var, b, r) -> VariantKit.shapesAndDtypes(var, b), v);
        add(tests, provider, why, "deterministic for a seed", (var, b, r) -> VariantKit.deterministic(var, b), v);
        add(tests, provider, why, "batch items independent", (var, b, r) -> VariantKit.batchItemsIndependent(var, b), v);
        add(tests, provider, why, "causal outputs ignore later tokens", (var, b, r) -> VariantKit.causal(var, b), v);
        add(tests, provider, why, "gradients match finite differences", (var, b, r) -> VariantKit.gradients(var, b), v);
        add(tests, provider, why, "float32 agrees with float64", (var, b, r) -> VariantKit.float32AgreesWithFloat64(var, b), v);
        if (!provider.name().equals("reference")) {
            add(tests, provider, why, "agrees with the reference backend", VariantKit::agreesWithReference, v);
        }
        return DynamicContainer.dynamicContainer("on backend " + provider.name(), tests);
    }

    private static void add(List<DynamicTest> tests, BackendProvider provider, String unavailable, String name, Check check, Variant v) {
        tests.add(DynamicTest.dynamicTest(name, () -> {
            Assumptions.assumeTrue(unavailable == null, () -> "backend " + provider.name() + " cannot run here: " + unavailable);
            skippingMissingKernels(() -> check.run(v, SharedBackends.get(provider.name()), SharedBackends.get("reference")));
        }));
    }

    /**
     * Runs a check; a backend without a kernel the variant needs (a fused attention kernel) makes it a skipped test
     * carrying the reason, not a failure. Any other refusal, an UnsupportedProblemException from the variant itself
     * included, still fails.
     */
    static void skippingMissingKernels(Runnable check) {
        try {
            check.run();
        } catch (NoKernelException e) {
            Assumptions.abort(e.getMessage());
        }
    }
}
