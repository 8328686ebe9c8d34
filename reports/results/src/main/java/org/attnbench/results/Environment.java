package org.attnbench.results;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where a measurement ran, recorded in every row so a figure always says which machine and code made it. Nothing
 * here throws: a fact that cannot be found is "unknown" (text) or null (numbers).
 *
 * @param machine     host name
 * @param cpuModel    "model name" from /proc/cpuinfo, or os.arch where there is none
 * @param cores       logical processors available to the JVM
 * @param memoryBytes physical memory: MemTotal from /proc/meminfo, else the OS MXBean; null if neither says
 * @param os          OS name and version
 * @param jdk         java.vm.vendor and java.runtime.version
 * @param gitRevision see {@link #gitRevision(Path)}
 */
public record Environment(String machine, String cpuModel, long cores, Long memoryBytes, String os, String jdk,
                          String gitRevision) {
    private static final String UNKNOWN = "unknown";

    /** The environment of this process, with the git revision of the given checkout. */
    public static Environment capture(Path checkout) {
        return new Environment(hostName(), readCpuModel(), Runtime.getRuntime().availableProcessors(), readMemoryBytes(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"),
                gitRevision(checkout));
    }

    /** Sets the environment columns of a row. */
    public ResultRow.Builder applyTo(ResultRow.Builder b) {
        return b.set(Column.MACHINE, machine).set(Column.CPU_MODEL, cpuModel).set(Column.CORES, cores)
                .set(Column.MEMORY_BYTES, memoryBytes).set(Column.OS, os).set(Column.JDK, jdk)
                .set(Column.GIT_REVISION, gitRevision);
    }

    /** The host name, without a network lookup where the system can say (a lookup may hang on an isolated host). */
    static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) return env.strip();
        for (String line : lines(Path.of("/proc/sys/kernel/hostname"))) {
            if (!line.isBlank()) return line.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return UNKNOWN;
        }
    }

    static String readCpuModel() {
        for (String line : lines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).strip();
        }
        return System.getProperty("os.arch");
    }

    static Long readMemoryBytes() {
        for (String line : lines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) return kibibytes(line);
        }
        try {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                return os.getTotalMemorySize();
            }
        } catch (LinkageError e) {
            // A trimmed runtime may lack java.management or jdk.management; memory then stays unknown.
        }
        return null;
    }

    /** Peak resident set of this process in bytes (VmHWM in /proc/self/status), or null where that is not there. */
    public static Long processPeakResidentBytes() {
        for (String line : lines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) return kibibytes(line);
        }
        return null;
    }

    /** "Key:   1234 kB" as bytes; /proc's kB are KiB. */
    private static Long kibibytes(String line) {
        String[] parts = line.strip().split("\\s+");
        try {
            return parts.length >= 2 ? Long.parseLong(parts[1]) * 1024 : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p, StandardCharsets.UTF_8);
        } catch (IOException | SecurityException e) {
            return List.of();
        }
    }

    /**
     * HEAD of the checkout holding the directory (git rev-parse HEAD), with "-dirty" appended when
     * {@code git status --porcelain} lists anything (changed, staged or untracked files not ignored); "unknown"
     * when git is missing or the directory is not in a checkout.
     */
    public static String gitRevision(Path dir) {
        // A package for a host without the checkout (scripts/package-gpu) carries the revision it was built from.
        Path packaged = dir.resolve("REVISION");
        if (Files.isRegularFile(packaged) && !Files.isDirectory(dir.resolve(".git"))) {
            List<String> lines = lines(packaged);
            if (!lines.isEmpty() && !lines.get(0).isBlank()) return lines.get(0).strip();
        }
        String head = git(dir, "rev-parse", "HEAD");
        if (head == null || head.isEmpty()) return UNKNOWN;
        String status = git(dir, "status", "--porcelain");
        if (status == null) return UNKNOWN;
        return status.isEmpty() ? head : head + "-dirty";
    }

    /** Standard output of a git command, or null if git is missing, fails or takes more than 10 s. */
    private static String git(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        Path out = null;
        try {
            // Output goes to a file rather than a pipe, so waiting can time out even if git hangs (a stale NFS
            // mount) and a long listing cannot fill a pipe nobody reads yet.
            out = Files.createTempFile("attnbench-git", ".out");
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            // Otherwise git status may take the index lock to refresh it and get in the way of a git command
            // someone runs in the same checkout meanwhile.
            pb.environment().put("GIT_OPTIONAL_LOCKS", "0");
            Process p = pb.start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? Files.readString(out, StandardCharsets.UTF_8).strip() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException e) {
                    // a leftover empty file in the temporary folder is harmless
                }
            }
        }
    }
}
