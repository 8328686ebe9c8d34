package org.attnbench.suites.cli;

import java.io.PrintWriter;
import java.nio.file.Path;

import org.attnbench.api.BackendUnavailableException;
import org.attnbench.api.Plugins;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/**
 * The attnbench command line. Every failure the user can cause ends as one line on stderr and a non-zero exit:
 * 2 for bad input (unknown names, impossible values, missing files, no GPU), 1 for an internal error. Commands
 * that measure return 3 when they finished but some configurations were not measured (oom, unsupported, error).
 * The nightly comparison returns 1 for a regression and 2 when it could not compare; check returns 1 when the
 * variant fails a check.
 */
@Command(name = "attnbench", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A benchmark suite for efficient attention: time, memory and accuracy versus sequence length.",
        subcommands = {ListCommand.class, RunCommand.class, ReportCommand.class, TraceCommand.class, NightlyCommand.class,
                BaselineCommand.class, CompareCommand.class, CheckCommand.class, AccuracyCommand.class, FidelityCommand.class})
public final class Main implements Runnable {
    public static final int BAD_INPUT = 2;
    public static final int INTERNAL_ERROR = 1;
    public static final int INCOMPLETE = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Jars (or class folders) holding more variants or backends, found with ServiceLoader like those built in. Held
     * in a system property for the rest of the command, which the sweep hands on to its measuring JVMs.
     */
    @CommandLine.Option(names = "--classpath", paramLabel = "JARS", scope = ScopeType.INHERIT,
            description = "jars with more variants (or backends), separated by ':'; found like the built-in ones")
    void classPath(String jars) {
        Plugins.entries(jars); // every entry must exist
        System.setProperty(Plugins.CLASSPATH_PROPERTY, jars);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed (list, run, accuracy, fidelity, report, trace, nightly, baseline, compare, check); see attnbench --help");
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit status; used by main and by the tests. */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler((e, a) -> {
            String hint = e.getCommandLine().getCommandName();
            System.err.println("attnbench: " + firstLine(e.getMessage()) + " (see attnbench "
                    + (hint.equals("attnbench") ? "" : hint + " ") + "--help)");
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            System.err.println("attnbench: " + describe(e));
            if (System.getenv("ATTNBENCH_DEBUG") != null) e.printStackTrace(new PrintWriter(System.err, true));
            // A scheduler reads 1 from nightly as "regression": any failure there is "could not run" (2).
            return isBadInput(e) || c.getCommand() instanceof CouldNotRun ? BAD_INPUT : INTERNAL_ERROR;
        });
        // --classpath holds for this command only (tests run many commands in one JVM).
        String classPath = System.getProperty(Plugins.CLASSPATH_PROPERTY);
        try {
            return cl.execute(args);
        } finally {
            if (classPath == null) System.clearProperty(Plugins.CLASSPATH_PROPERTY);
            else System.setProperty(Plugins.CLASSPATH_PROPERTY, classPath);
        }
    }

    private static boolean isBadInput(Throwable e) {
        return e instanceof IllegalArgumentException || e instanceof BackendUnavailableException
                || e instanceof java.nio.file.NoSuchFileException;
    }

    private static String describe(Throwable e) {
        if (isBadInput(e)) return firstLine(e.getMessage());
        return "internal error: " + e.getClass().getSimpleName() + ": " + firstLine(String.valueOf(e.getMessage()))
                + " (set ATTNBENCH_DEBUG=1 to see the stack trace)";
    }

    static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("").trim();
    }

    /** Where the installation lives (scripts/attnbench sets it); suites/ and results/ are found from here. */
    static Path home() {
        return Path.of(System.getProperty("attnbench.home", ".")).toAbsolutePath().normalize();
    }

    /** A command whose exit status 1 means a finding (a regression), so that every failure of it exits with 2. */
    interface CouldNotRun {}

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"attnbench " + (v == null ? "(development build)" : v)};
        }
    }
}
