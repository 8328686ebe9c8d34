package org.attnbench.results;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Where a measurement ran: recorded in every row, so a figure always says which machine and code made it. */
public record Environment(String machine, String cpuModel, long cores, Long memoryBytes, String os, String jdk,
                          String gitRevision) {

    /** The environment of this process, with the git revision of the given checkout. */
    public static Environment capture(Path checkout) {
        return new Environment(hostName(), readCpuModel(), Runtime.getRuntime().availableProcessors(), readMemoryBytes(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"),
                gitRevision(checkout));
    }

    /** Sets the environment columns of a row. */
    public ResultRow.Builder applyTo(ResultRow.Builder b) {
        return b.set(Column.MACHINE, machine).set(Column.CPU_MODEL, cpuModel).set(Column.CORES, cores)
                .set(Column.MEMORY_BYTES, memoryBytes).set(Column.OS, os).set(Column.JDK, jdk)
                .set(Column.GIT_REVISION, gitRevision);
    }

    static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) return env;
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    static String readCpuModel() {
        for (String line : lines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
        }
        return System.getProperty("os.arch");
    }

    static Long readMemoryBytes() {
        for (String line : lines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) return kib(line);
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return null;
    }

    /** Peak resident set of this process (VmHWM), or null where /proc is not there. */
    public static Long processPeakResidentBytes() {
        for (String line : lines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) return kib(line);
        }
        return null;
    }

    private static long kib(String line) {
        String[] parts = line.trim().split("\\s+");
        return Long.parseLong(parts[1]) * 1024;
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException | SecurityException e) {
            return List.of();
        }
    }

    /** HEAD of the checkout, with -dirty when it has uncommitted changes; "unknown" when git cannot tell. */
    public static String gitRevision(Path checkout) {
        String head = git(checkout, "rev-parse", "HEAD");
        if (head == null || head.isEmpty()) return "unknown";
        String status = git(checkout, "status", "--porcelain", "--untracked-files=no");
        return status != null && !status.isEmpty() ? head + "-dirty" : head;
    }

    private static String git(Path dir, String... args) {
        try {
            List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
