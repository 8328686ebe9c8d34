package org.attnbench.suites.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.attnbench.api.Backend;
import org.attnbench.api.Backends;
import org.attnbench.api.DType;
import org.attnbench.api.Mode;
import org.attnbench.api.NoKernelException;
import org.attnbench.api.Problem;
import org.attnbench.api.UnsupportedProblemException;
import org.attnbench.suites.timing.Pass;
import org.attnbench.tck.WithoutFusedKernels;
import org.junit.jupiter.api.Test;

/** The cost is counted as the sweep's backend will run the call: a kernel it lacks is refused before any fork. */
class CostProbeTest {
    private static final Measurement FUSED = new Measurement("attention", "dense:fused",
            new Problem(1, 4096, 8, 64, Mode.CAUSAL), DType.FLOAT32, Pass.FORWARD);

    @Test
    void aBackendWithTheKernelIsCountedAsTheShapeOnlyBackendCountsIt() {
        Backend reference = Backends.open("reference");
        assertEquals(CostProbe.count(FUSED), CostProbe.count(FUSED, reference));
    }

    /** The refusal is an UnsupportedProblemException, which the sweep records as an 'unsupported' row. */
    @Test
    void aBackendWithoutTheKernelRefusesNamingItself() {
        Backend without = WithoutFusedKernels.of(Backends.open("reference"));
        NoKernelException e = assertThrows(NoKernelException.class, () -> CostProbe.count(FUSED, without));
        assertTrue(e.getMessage().startsWith("backend 'reference-without-fused-kernels (shapes only)' has no fused kernel for softmax causal"),
                e.getMessage());
        assertTrue(UnsupportedProblemException.class.isInstance(e));
        // Unfused variants need no kernel: they are counted as before.
        Measurement dense = new Measurement("attention", "dense", FUSED.problem(), DType.FLOAT32, Pass.FORWARD);
        assertEquals(CostProbe.count(dense), CostProbe.count(dense, without));
    }
}
