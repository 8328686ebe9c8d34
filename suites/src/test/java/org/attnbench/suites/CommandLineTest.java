package org.attnbench.suites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.attnbench.suites.cli.Main;
import org.junit.jupiter.api.Test;

/** The command line's contract with a user: bad input is one line on stderr and a non-zero exit. */
class CommandLineTest {

    record Outcome(int status, String out, String err) {}

    static Outcome run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int status = Main.execute(args);
            return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static void assertOneLineError(Outcome o, int status, String fragment) {
        assertEquals(status, o.status(), () -> "exit status; stderr was: " + o.err());
        String[] lines = o.err().strip().split("\n");
        assertEquals(1, lines.length, () -> "expected one line on stderr, got: " + o.err());
        assertTrue(lines[0].startsWith("attnbench: "), lines[0]);
        assertTrue(lines[0].contains(fragment), () -> "'" + fragment + "' not in: " + lines[0]);
    }

    @Test
    void listShowsTheRegisteredVariantsAndBackends() {
        Outcome o = run("list");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("dense"), o.out());
        assertTrue(o.out().contains("Vaswani et al. 2017"), o.out());
        assertTrue(o.out().contains("O(n^2)"), o.out());
        assertTrue(o.out().contains("reference"), o.out());
        assertTrue(o.out().lines().anyMatch(l -> l.startsWith("cpu ")), o.out());
        assertTrue(o.out().contains("Tasks for attnbench accuracy") && o.out().contains("mqar, selective-copy"), o.out());
    }

    @Test
    void anUnknownVariantListsTheKnownOnes() {
        assertOneLineError(run("run", "--variants", "nonesuch", "--lengths", "64", "--dry-run"), 2,
                "unknown variant 'nonesuch' (known: aft-conv, aft-full, aft-local, aft-simple, bigbird, block-local-test, ");
    }

    @Test
    void variantOptionsAndAllGoThroughTheCommandLine() {
        Outcome o = run("run", "--variants", "window(w=8),bigbird(block=16,random=1),window(w=64)", "--lengths", "64",
                "--modes", "causal", "--passes", "forward", "--dry-run");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("window(w=8) n=64 causal forward"), o.out());
        assertTrue(o.out().contains("bigbird(block=16,random=1) n=64 causal forward"), o.out());
        assertTrue(o.out().contains("window n=64 causal forward"), "defaults are dropped from the name: " + o.out());
        Outcome all = run("run", "--variants", "all", "--lengths", "64", "--modes", "causal", "--passes", "forward", "--dry-run");
        assertEquals(0, all.status(), all.err());
        for (String v : new String[] {"dense", "window", "bigbird", "combiner-fixed", "combiner-axial", "strided"}) {
            assertTrue(all.out().contains(v + " n=64 causal forward"), v + " missing from: " + all.out());
        }
    }

    @Test
    void aBadVariantOptionIsOneLine() {
        assertOneLineError(run("run", "--variants", "window(w=x)", "--lengths", "64", "--dry-run"), 2,
                "window: option w must be an integer >= 0, got 'x'");
        assertOneLineError(run("run", "--variants", "window(width=3)", "--lengths", "64", "--dry-run"), 2,
                "window: unknown option 'width' (known: w)");
        assertOneLineError(run("run", "--variants", "dense(w=3)", "--lengths", "64", "--dry-run"), 2,
                "dense: unknown option 'w' (it takes none)");
    }

    @Test
    void anImpossibleLengthIsRefused() {
        assertOneLineError(run("run", "--variants", "dense", "--lengths", "0", "--dry-run"), 2, "lengths must be positive");
    }

    @Test
    void aLengthThatIsNotANumberIsRefused() {
        assertOneLineError(run("run", "--variants", "dense", "--lengths", "12x"), 2, "12x");
    }

    @Test
    void aNonsenseOptionIsRefused() {
        assertOneLineError(run("run", "--frobnicate"), 2, "--frobnicate");
    }

    @Test
    void anUnknownCommandIsRefused() {
        assertOneLineError(run("frobnicate"), 2, "frobnicate");
    }

    @Test
    void anUnknownBackendIsRefused() {
        assertOneLineError(run("run", "--backend", "abacus", "--dry-run"), 2, "unknown backend 'abacus' (known: ");
    }

    @Test
    void askingForAGpuWithoutOneIsOneLine() {
        String why = org.attnbench.api.Backends.provider("cuda").unavailableReason();
        org.junit.jupiter.api.Assumptions.assumeTrue(why != null, "this machine has a usable GPU");
        assertOneLineError(run("run", "--device", "gpu", "--dry-run"), 2, "--device gpu: backend 'cuda' cannot run here: " + why);
        assertOneLineError(run("run", "--backend", "cuda", "--dry-run"), 2, "backend 'cuda' cannot run here: " + why);
        assertOneLineError(run("run", "--suite", "gpu", "--dry-run"), 2, "--device gpu: backend 'cuda' cannot run here: " + why);
    }

    @Test
    void aDtypeTheBackendLacksIsRefused() {
        assertOneLineError(run("run", "--dtype", "bfloat16", "--dry-run"), 2, "backend 'cpu' has no dtype bfloat16 (it has float32, float64)");
    }

    @Test
    void anUnknownSuiteIsRefused() {
        assertOneLineError(run("run", "--suite", "nonesuch", "--dry-run"), 2, "no suite 'nonesuch'");
    }

    @Test
    void aMissingTraceOutputParentIsReportedNotThrown() {
        assertOneLineError(run("trace", "--variant", "nonesuch", "--n", "8", "--out", "target/trace-x"), 2, "unknown variant");
    }
}
