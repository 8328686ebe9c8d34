package org.attnbench.suites.sweep;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.attnbench.suites.timing.PeakMemoryProfiler;
import org.attnbench.results.SampleStats;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs one JMH benchmark method in forked JVMs and hands back every raw sample, or the reason it failed. JMH's
 * own output goes to a log file beside the results, so the terminal shows only the sweep's progress.
 */
final class JmhLauncher {

    /**
     * Raw samples of one benchmark method, in its output time unit, the forked process's peak resident set and, on a
     * device backend, its allocator's peaks (null elsewhere).
     */
    record Outcome(String method, List<Double> samples, List<Double> forkMedians, Long peakResidentBytes, Long deviceLivePeakBytes, Long devicePeakBytes) {}

    /** A run that produced no result: 'oom', 'unsupported' or 'error', with one line saying why. */
    static final class Failure extends Exception {
        final String status;

        Failure(String status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** What JMH says when another JMH run on this machine holds its lock. */
    static final String LOCK_HELD = "Unable to acquire the JMH lock";
    private static final long LOCK_WAIT_NANOS = 120L * 60 * 1_000_000_000L;

    private final Path log;
    private final SuiteDefinition.Jmh settings;
    private final List<String> jvmArgs;
    private final PrintStream notices;

    JmhLauncher(Path log, SuiteDefinition.Jmh settings, List<String> jvmArgs, PrintStream notices) {
        this.log = log;
        this.settings = settings;
        this.jvmArgs = jvmArgs;
        this.notices = notices;
    }

    private static void sleep() throws Failure {
        try {
            Thread.sleep(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("error", "interrupted while waiting for the JMH lock");
        }
    }

    /** Runs methods of a benchmark class (a regex over method names) with the given parameters. */
    List<Outcome> run(Class<?> benchmark, String methods, Map<String, String> params) throws Failure {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + Pattern.quote(benchmark.getName()) + "\\.(" + methods + ")$")
                .forks(settings.forks)
                .warmupIterations(settings.warmupIterations)
                .warmupTime(TimeValue.milliseconds(settings.iterationMs))
                .measurementIterations(settings.measurementIterations)
                .measurementTime(TimeValue.milliseconds(settings.iterationMs))
                .jvmArgsAppend(forkArguments(jvmArgs).toArray(new String[0]))
                .addProfiler(PeakMemoryProfiler.class)
                .shouldFailOnError(true);
        params.forEach(options::param);
        long logStart = size(log);
        Collection<RunResult> results = null;
        long waitingSince = 0;
        while (results == null) {
            try (PrintStream out = new PrintStream(Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND),
                    true, StandardCharsets.UTF_8)) {
                out.println("==== " + benchmark.getSimpleName() + "." + methods + " " + params);
                results = new Runner(options.build(), OutputFormatFactory.createFormatInstance(out, VerboseMode.NORMAL)).run();
            } catch (RunnerException | RuntimeException e) {
                // JMH takes a machine-wide lock so that two benchmarks never run at once and disturb each other; on a
                // shared machine another sweep may hold it. Then this one waits its turn rather than failing.
                if (!String.valueOf(e.getMessage()).contains(LOCK_HELD)) throw classify(logStart, e);
                if (waitingSince == 0) {
                    waitingSince = System.nanoTime();
                    notices.print("(waiting: another JMH run holds its lock) ");
                }
                if (System.nanoTime() - waitingSince > LOCK_WAIT_NANOS) {
                    throw new Failure("error", "another JMH run held the JMH lock for more than " + LOCK_WAIT_NANOS / 60_000_000_000L + " minutes");
                }
                sleep();
            } catch (IOException e) {
                throw new Failure("error", "cannot write the JMH log " + log + ": " + e.getMessage());
            }
        }
        List<Outcome> out = new ArrayList<>();
        for (RunResult r : results) {
            List<Double> samples = new ArrayList<>(), forkMedians = new ArrayList<>();
            for (BenchmarkResult b : r.getBenchmarkResults()) { // one per fork
                List<Double> fork = new ArrayList<>();
                for (IterationResult i : b.getIterationResults()) {
                    Iterator<Map.Entry<Double, Long>> raw = i.getPrimaryResult().getStatistics().getRawData();
                    while (raw.hasNext()) {
                        Map.Entry<Double, Long> e = raw.next();
                        for (long k = 0; k < e.getValue(); k++) fork.add(e.getKey());
                    }
                }
                if (!fork.isEmpty()) forkMedians.add(SampleStats.of(fork).median());
                samples.addAll(fork);
            }
            var secondary = r.getAggregatedResult().getSecondaryResults();
            String method = r.getParams().getBenchmark();
            out.add(new Outcome(method.substring(method.lastIndexOf('.') + 1), samples, forkMedians, score(secondary.get(PeakMemoryProfiler.RESULT)),
                    score(secondary.get(PeakMemoryProfiler.DEVICE_LIVE)), score(secondary.get(PeakMemoryProfiler.DEVICE_HELD))));
        }
        if (out.isEmpty()) throw new Failure("error", "JMH returned no result (see " + log + ")");
        return out;
    }

    private static Long score(Result<?> r) {
        return r == null ? null : (long) r.getScore();
    }

    /**
     * The forked JVM's extra arguments: the given ones, then every attnbench.* system property of this JVM, so a
     * measuring JVM sees what this one was told (attnbench.classpath: the jars of --classpath, whose variants it
     * must find too).
     */
    static List<String> forkArguments(List<String> jvmArgs) {
        List<String> out = new ArrayList<>(jvmArgs);
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("attnbench.")).sorted()
                .forEach(k -> out.add("-D" + k + "=" + System.getProperty(k)));
        return out;
    }

    /** Reads what the forked JVM printed to tell an out-of-memory from another failure. */
    private Failure classify(long logStart, Exception e) {
        return classify(readFrom(log, logStart), e);
    }

    /**
     * oom when the fork ran out of memory or was killed for it (SIGKILL from the kernel's OOM killer); unsupported
     * when the fork refused the problem (a kernel its backend lacks, found only there); else error.
     */
    static Failure classify(String text, Exception e) {
        if (text.contains("exit code 137") || text.contains("exit code 9")) {
            return new Failure("oom", "the measuring JVM was killed (exit code 137): out of memory");
        }
        if (text.contains("OutOfMemoryError") || text.contains("Cannot allocate") || text.contains("Physical memory usage is too high")) {
            return new Failure("oom", firstMatching(text, "OutOfMemoryError|Cannot allocate|Physical memory"));
        }
        String refusal = firstMatching(text, "UnsupportedProblemException|NoKernelException");
        if (!refusal.isEmpty()) return new Failure("unsupported", refusal.replaceFirst("^[\\w.$]*(UnsupportedProblem|NoKernel)Exception: ", ""));
        String cause = firstMatching(text, "Exception|Error");
        return new Failure("error", cause.isEmpty() ? String.valueOf(e.getMessage()).lines().findFirst().orElse("failed") : cause);
    }

    private static String firstMatching(String text, String regex) {
        Pattern p = Pattern.compile(regex);
        return text.lines().map(String::strip).filter(l -> p.matcher(l).find() && !l.startsWith("at "))
                .findFirst().orElse("");
    }

    private static long size(Path p) {
        try {
            return Files.exists(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String readFrom(Path p, long offset) {
        try {
            byte[] all = Files.readAllBytes(p);
            return new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** JMH parameters (benchmark field name, value) from alternating keys and values. */
    static Map<String, String> params(Object... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put((String) keyValues[i], String.valueOf(keyValues[i + 1]));
        return m;
    }
}
