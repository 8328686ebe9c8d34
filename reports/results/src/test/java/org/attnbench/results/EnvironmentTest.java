package org.attnbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentTest {
    @TempDir Path dir;

    @Test
    void theEnvironmentIsCapturedWithoutFailing() {
        Environment env = Environment.capture(dir);
        assertFalse(env.machine().isBlank());
        assertFalse(env.cpuModel().isBlank());
        assertEquals(Runtime.getRuntime().availableProcessors(), env.cores());
        assertTrue(env.memoryBytes() != null && env.memoryBytes() > 1L << 26, "memory: " + env.memoryBytes());
        assertTrue(env.os().startsWith(System.getProperty("os.name") + " "), env.os());
        assertTrue(env.jdk().endsWith(System.getProperty("java.runtime.version")), env.jdk());
        assertEquals("unknown", env.gitRevision(), "a folder outside any checkout has no revision");
        ResultRow row = env.applyTo(Rows.ok("dense", 1).toBuilder()).build();
        assertEquals(env.cpuModel(), row.text(Column.CPU_MODEL));
        assertEquals(env.memoryBytes(), row.integer(Column.MEMORY_BYTES));
    }

    @Test
    void thePeakResidentSetIsReadWhereLinuxHasIt() {
        Long peak = Environment.processPeakResidentBytes();
        if (Files.exists(Path.of("/proc/self/status"))) assertTrue(peak != null && peak > 1 << 20, "peak: " + peak);
    }

    private static boolean git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString(), "-c", "user.name=test",
                "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    @Test
    void theRevisionIsHeadAndDirtyWhenTheCheckoutChanged() throws Exception {
        boolean hasGit;
        try {
            hasGit = git(dir, "--version");
        } catch (IOException e) {
            hasGit = false;
        }
        assumeTrue(hasGit, "git is not installed");
        Path repo = Files.createDirectory(dir.resolve("repo"));
        assertTrue(git(repo, "init", "-q"));
        Files.writeString(repo.resolve("a.txt"), "a");
        assertTrue(git(repo, "add", "a.txt"));
        assertTrue(git(repo, "commit", "-q", "-m", "first"));
        String clean = Environment.gitRevision(repo);
        assertTrue(clean.matches("[0-9a-f]{40}"), clean);
        Files.writeString(repo.resolve("b.txt"), "untracked code counts as a change");
        assertEquals(clean + "-dirty", Environment.gitRevision(repo));
        Path sub = Files.createDirectory(repo.resolve("sub"));
        assertEquals(clean + "-dirty", Environment.gitRevision(sub), "any folder of the checkout names its revision");
    }
}
