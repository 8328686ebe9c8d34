package org.attnbench.tck;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.attnbench.api.Backend;
import org.attnbench.api.ShapeException;
import org.attnbench.api.UnsupportedProblemException;
import org.attnbench.api.Variant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.opentest4j.TestAbortedException;

/** The kit is tested too: the correct toy passes every rule, and each broken toy fails the rule it breaks. */
class KitCatchesBrokenVariantsTest {
    private static Backend backend;

    @BeforeAll
    static void open() {
        backend = SharedBackends.get("reference");
    }

    /** The check must fail with an assertion naming the broken rule, not with some unrelated error. */
    private static void fails(Executable check, String rule) {
        AssertionError e = assertThrows(AssertionError.class, check);
        assertTrue(e.getMessage().contains(rule), () -> "failed for another reason: " + e.getMessage());
    }

    @Test
    void theCorrectToyPassesEveryRule() {
        Variant v = new ToyVariants.Toy();
        VariantKit.shapesAndDtypes(v, backend);
        VariantKit.deterministic(v, backend);
        VariantKit.batchItemsIndependent(v, backend);
        VariantKit.causal(v, backend);
        VariantKit.gradients(v, backend);
        VariantKit.float32AgreesWithFloat64(v, backend);
        VariantKit.declaredComplexity(v);
    }

    @Test
    void aVariantThatSeesTheFutureFailsCausality() {
        fails(() -> VariantKit.causal(new ToyVariants.PeeksAtFuture(), backend), "changed when only later tokens changed");
    }

    @Test
    void aNondeterministicVariantFailsDeterminism() {
        fails(() -> VariantKit.deterministic(new ToyVariants.Nondeterministic(), backend), "two runs with the same seed differ");
    }

    @Test
    void aVariantMixingBatchItemsFailsIndependence() {
        fails(() -> VariantKit.batchItemsIndependent(new ToyVariants.MixesBatch(), backend), "computed with another item beside it");
    }

    @Test
    void anUnderDeclaredCostFailsTheComplexityCheck() {
        fails(() -> VariantKit.declaredComplexity(new ToyVariants.UnderDeclared()), "but n^1.0 is declared (n d)");
    }

    @Test
    void aCutGradientFailsTheGradientCheck() {
        fails(() -> VariantKit.gradients(new ToyVariants.DetachedValues(), backend), "gradient with respect to");
    }

    @Test
    void aWrongOutputShapeFailsTheShapeCheck() {
        ShapeException e = assertThrows(ShapeException.class, () -> VariantKit.shapesAndDtypes(new ToyVariants.WrongShape(), backend));
        assertTrue(e.getMessage().contains("output shape"), e.getMessage());
    }

    @Test
    void theFusedToyPassesEveryRuleWhereTheBackendHasTheKernel() {
        Variant v = new ToyVariants.Fused();
        VariantKit.shapesAndDtypes(v, backend);
        VariantKit.deterministic(v, backend);
        VariantKit.batchItemsIndependent(v, backend);
        VariantKit.causal(v, backend);
        VariantKit.gradients(v, backend);
        VariantKit.float32AgreesWithFloat64(v, backend);
        VariantKit.declaredComplexity(v);
    }

    /** A backend without the kernel skips the check, with the backend's refusal as the reason: never a failure. */
    @Test
    void aBackendWithoutTheKernelIsSkippedWithTheReason() {
        Backend without = WithoutFusedKernels.of(backend);
        TestAbortedException e = assertThrows(TestAbortedException.class, () -> VariantConformance.skippingMissingKernels(
                () -> VariantKit.shapesAndDtypes(new ToyVariants.Fused(), without)));
        assertTrue(e.getMessage().contains("backend 'reference-without-fused-kernels' has no fused kernel for softmax"), e.getMessage());
    }

    /** A variant that refuses in its forward is broken, not skipped: only a missing kernel is a skip. */
    @Test
    void aVariantRefusingInItsForwardStillFails() {
        assertThrows(UnsupportedProblemException.class, () -> VariantConformance.skippingMissingKernels(
                () -> VariantKit.shapesAndDtypes(new ToyVariants.RefusesInForward(), backend)));
    }
}
