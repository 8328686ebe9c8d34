package org.attnbench.suites.accuracy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import org.attnbench.api.Backends;
import org.attnbench.api.DType;
import org.attnbench.api.Mode;
import org.attnbench.api.Ops;
import org.attnbench.api.Problem;
import org.attnbench.api.Variants;
import org.attnbench.results.ResultRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FidelityRunnerTest {
    private static final Ops OPS = Ops.on(Backends.open("cpu"), DType.FLOAT32);
    @TempDir Path dir;

    @Test
    void aWindowAsLongAsTheSequenceIsExactAndASmallOneIsNot() {
        Problem p = new Problem(1, 64, 2, 16, Mode.BIDIRECTIONAL);
        assertTrue(FidelityRunner.relativeError(OPS, Variants.get("window(w=64)"), p, 1) < 1e-5);
        double narrow = FidelityRunner.relativeError(OPS, Variants.get("window(w=4)"), p, 1);
        assertTrue(narrow > 0.05, "a window of 4 of 64 keys differs from dense attention: " + narrow);
        assertTrue(FidelityRunner.relativeError(OPS, Variants.get("combiner-fixed(span=1)"), p.withMode(Mode.CAUSAL), 1) < 1e-5);
    }

    @Test
    void theDefaultsAreTheApproximatingVariantsAndRowsAreWritten() throws IOException {
        List<String> names = FidelityRunner.variantNames(List.of("all"));
        assertTrue(names.containsAll(List.of("window", "bigbird", "combiner-fixed", "combiner-axial")), names.toString());
        assertTrue(names.stream().noneMatch(n -> n.startsWith("aft") || n.startsWith("fnet") || n.equals("dense")), names.toString());
        List<ResultRow> rows = new FidelityRunner(List.of("window(w=4)"), List.of(32, 64), List.of(Mode.CAUSAL), 2, 16, List.of(1L), "cpu",
                DType.FLOAT32, dir, dir, "attnbench fidelity (test)", new PrintStream(OutputStream.nullOutputStream())).run();
        assertEquals(2, rows.size());
        assertTrue(rows.stream().allMatch(r -> r.ok() && r.benchmark().equals("fidelity") && r.fidelityRelError() > 0), rows.toString());
    }

    @Test
    void aVariantWithoutDenseProjectionsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FidelityRunner(List.of("gmlp-sgu"), List.of(32),
                List.of(), 2, 16, List.of(1L), "cpu", DType.FLOAT32, dir, dir, "", System.out).plan());
        assertTrue(e.getMessage().startsWith("fidelity: gmlp-sgu does not use dense attention's projection"), e.getMessage());
    }
}
