package org.attnbench.suites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.attnbench.suites.sweep.SuiteDefinition;
import org.attnbench.suites.sweep.SweepRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuiteDefinitionTest {
    static final Path SUITES = Path.of("..", "suites").toAbsolutePath().normalize();
    @TempDir Path dir;

    @Test
    void everySuiteInTheRepositoryLoadsAndNamesOnlyKnownThings() {
        assertFalse(SuiteDefinition.known(SUITES).isEmpty());
        for (String name : SuiteDefinition.known(SUITES)) {
            SuiteDefinition s = SuiteDefinition.load(name, SUITES);
            assertEquals(name, s.name, "a suite file's name field matches its file name");
            SweepRunner runner = new SweepRunner(s, dir, dir, "test", System.out);
            // A GPU suite's backend cannot be opened on a machine without one: its names are checked all the same.
            if (org.attnbench.api.Backends.provider(s.backendName()).unavailableReason() == null) runner.validate();
            else runner.validateNames();
            assertFalse(runner.plan().isEmpty(), name);
        }
    }

    @Test
    void aMisspelledFieldIsNamedWithItsLine() throws IOException {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "name: bad\nvariants: [dense]\nlenghts: [64]\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SuiteDefinition.load(f.toString(), SUITES));
        assertTrue(e.getMessage().startsWith(f + ":3: "), e.getMessage());
        assertTrue(e.getMessage().contains("lenghts"), e.getMessage());
    }

    @Test
    void aCopyWithOtherForksKeepsTheRestOfThePlan() {
        Path copy = dir.resolve("rounds").resolve("suite.yaml");
        SuiteDefinition.writeWithForks(SUITES.resolve("nightly.yaml"), copy, 1);
        SuiteDefinition original = SuiteDefinition.load("nightly", SUITES), one = SuiteDefinition.load(copy.toString(), SUITES);
        assertEquals(5, original.jmh.forks, "the nightly tier runs 5 forks, the fewest the fork test needs at p < 0.01");
        assertEquals(1, one.jmh.forks);
        assertEquals(original.jmh.iterationMs, one.jmh.iterationMs);
        assertEquals(original.variants, one.variants);
        assertEquals(original.lengths, one.lengths);
        assertEquals(original.gemmSizes, one.gemmSizes);
    }

    @Test
    void impossibleValuesAreRefused() throws IOException {
        Path f = dir.resolve("zero.yaml");
        Files.writeString(f, "name: zero\nvariants: [dense]\nlengths: [64, 0]\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SuiteDefinition.load(f.toString(), SUITES));
        assertEquals(f + ": lengths must be positive, got 0", e.getMessage());
    }
}
