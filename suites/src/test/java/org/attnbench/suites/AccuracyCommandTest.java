package org.attnbench.suites;

import static org.attnbench.suites.CommandLineTest.assertOneLineError;
import static org.attnbench.suites.CommandLineTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccuracyCommandTest {
    @TempDir Path dir;

    @Test
    void aSmallRunWritesRowsATableAndTheReport() {
        CommandLineTest.Outcome o = run("accuracy", "--tasks", "majority", "--lengths", "16", "--variants", "dense,aft-simple",
                "--tier", "smoke", "--steps", "10", "--out", dir.toString());
        assertEquals(0, o.status(), o.out() + o.err());
        assertTrue(o.out().contains("test accuracy (mean over seeds):"), o.out());
        assertTrue(o.out().lines().anyMatch(l -> l.startsWith("aft-simple (bidirectional)") && l.contains("%")), o.out());
        assertTrue(Files.exists(dir.resolve("results.csv")) && Files.exists(dir.resolve("report/report.md")), o.out());
    }

    @Test
    void fidelityWritesRows() {
        CommandLineTest.Outcome o = run("fidelity", "--variants", "window(w=4)", "--lengths", "32", "--modes", "causal", "--heads", "2",
                "--head-dim", "16", "--out", dir.toString());
        assertEquals(0, o.status(), o.out() + o.err());
        assertTrue(o.out().contains("[1/1] window(w=4) n=32 causal seed 1 ... ok relative error "), o.out());
    }

    @Test
    void badInputIsOneLine() throws IOException {
        assertOneLineError(run("accuracy", "--tasks", "nonesuch", "--out", dir.toString()), 2, "unknown task 'nonesuch' (known: ");
        assertOneLineError(run("accuracy", "--tasks", "mqar(pairs=8)", "--lengths", "8", "--out", dir.toString()), 2, "mqar");
        assertOneLineError(run("accuracy", "--tasks", "char-lm(path=" + dir.resolve("none.txt") + ")", "--lengths", "16", "--out",
                dir.toString()), 2, "none.txt");
        Path empty = Files.createFile(dir.resolve("empty.txt"));
        assertOneLineError(run("accuracy", "--tasks", "char-lm(path=" + empty + ")", "--lengths", "16", "--out", dir.toString()), 2, "empty");
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes.resolve("a"));
        Files.createDirectories(classes.resolve("b"));
        Files.write(classes.resolve("a/1.bin"), new byte[] {1, 2});
        Files.write(classes.resolve("a/2.bin"), new byte[] {1, 2});
        assertOneLineError(run("accuracy", "--tasks", "byte-classification(path=" + classes + ")", "--lengths", "16", "--out",
                dir.toString()), 2, "b");
        assertOneLineError(run("accuracy", "--tasks", "majority", "--variants", "nonesuch", "--out", dir.toString()), 2,
                "unknown variant 'nonesuch' (known: ");
        assertOneLineError(run("accuracy", "--tasks", "majority", "--tier", "huge", "--out", dir.toString()), 2, "unknown tier 'huge'");
        assertOneLineError(run("accuracy", "--tasks", "majority", "--device", "gpu", "--out", dir.toString()), 2, "--device gpu: ");
        assertOneLineError(run("fidelity", "--variants", "gmlp-sgu", "--out", dir.toString()), 2,
                "fidelity: gmlp-sgu does not use dense attention's projection");
    }
}
