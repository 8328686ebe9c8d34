package org.attnbench.suites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.attnbench.api.Plugins;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * scripts/new-variant on a copy of the build files: the module it writes compiles, registers its variant, passes the
 * conformance kit and its own identity test, and check reports the metadata still to fill in.
 */
class NewVariantScriptTest {
    private static final Path HOME = Path.of(System.getProperty("attnbench.home", "..")).toAbsolutePath().normalize();

    @TempDir Path root;

    record Script(int status, String output) {}

    private Script newVariant(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("bash", HOME.resolve("scripts/new-variant").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Script(p.waitFor(), out);
    }

    private static List<Path> javaFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
    }

    @Test
    void aScaffoldedVariantCompilesRegistersAndPassesTheKit() throws Exception {
        Files.createDirectories(root.resolve("suites"));
        Files.copy(HOME.resolve("pom.xml"), root.resolve("pom.xml"));
        Files.copy(HOME.resolve("suites/pom.xml"), root.resolve("suites/pom.xml"));

        Script made = newVariant("scaffold-probe", "--family", "sparse", "--into", root.toString());
        assertEquals(0, made.status(), made.output());
        assertTrue(made.output().contains("created impls/variants/scaffold-probe (class org.attnbench.variants.scaffoldprobe.ScaffoldProbe, family sparse)"),
                made.output());
        Path module = root.resolve("impls/variants/scaffold-probe");
        for (String f : List.of("pom.xml", "README.md", "src/main/resources/META-INF/services/org.attnbench.api.Variant",
                "src/main/java/org/attnbench/variants/scaffoldprobe/ScaffoldProbe.java",
                "src/test/java/org/attnbench/variants/scaffoldprobe/ScaffoldProbeConformanceTest.java",
                "src/test/java/org/attnbench/variants/scaffoldprobe/ScaffoldProbeIdentitiesTest.java")) {
            assertTrue(Files.isRegularFile(module.resolve(f)), f);
        }
        String readme = Files.readString(module.resolve("README.md"));
        for (String field : List.of("| paper |", "| cost |", "| identities checked |", "| check output |")) assertTrue(readme.contains(field), field);
        assertTrue(Files.readString(module.resolve("pom.xml")).contains("<artifactId>attnbench-variant-scaffold-probe</artifactId>"));
        String parent = Files.readString(root.resolve("pom.xml"));
        assertTrue(parent.contains("    <module>impls/variants/scaffold-probe</module>\n"), parent);
        assertTrue(parent.contains("<artifactId>attnbench-variant-scaffold-probe</artifactId><version>${project.version}</version>"), parent);
        assertTrue(Files.readString(root.resolve("suites/pom.xml"))
                .contains("<artifactId>attnbench-variant-scaffold-probe</artifactId><scope>runtime</scope>"));

        // Compiled as Maven would: main sources with their resources, then the tests against them.
        Path classes = root.resolve("classes"), testClasses = root.resolve("test-classes");
        TestCompiler.compile(javaFiles(module.resolve("src/main/java")), classes);
        Path services = classes.resolve("META-INF/services/org.attnbench.api.Variant");
        Files.createDirectories(services.getParent());
        Files.copy(module.resolve("src/main/resources/META-INF/services/org.attnbench.api.Variant"), services);
        TestCompiler.compile(javaFiles(module.resolve("src/test/java")), testClasses, classes);

        // check finds it through --classpath, runs the kit on it and names the metadata still to fill in.
        CommandLineTest.Outcome check = CommandLineTest.run("check", "scaffold-probe", "--classpath", classes.toString(), "--no-timing");
        assertEquals(1, check.status(), check.out() + check.err());
        assertTrue(check.out().contains("submission incomplete: still TODO in paper, summary, time, memory"), check.out());
        assertTrue(check.out().matches("(?s).*conformance: \\d+ passed, 0 failed, \\d+ skipped.*"), check.out());
        // Only contracts on a backend that cannot run here (the GPU) may be skipped.
        assertTrue(check.out().lines().filter(l -> l.startsWith("  skipped")).allMatch(l -> l.contains("cannot run here")), check.out());

        // Its identity test passes on the scaffold (which is dense attention), run as the build would run it.
        String old = System.getProperty(Plugins.CLASSPATH_PROPERTY);
        System.setProperty(Plugins.CLASSPATH_PROPERTY, classes.toString());
        try (URLClassLoader tests = new URLClassLoader(new URL[] {testClasses.toUri().toURL(), classes.toUri().toURL()}, getClass().getClassLoader())) {
            Launcher launcher = LauncherFactory.create(LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build());
            SummaryGeneratingListener listener = new SummaryGeneratingListener();
            launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(DiscoverySelectors.selectClass(
                    tests.loadClass("org.attnbench.variants.scaffoldprobe.ScaffoldProbeIdentitiesTest"))).build(), listener);
            TestExecutionSummary summary = listener.getSummary();
            assertEquals(1, summary.getTestsSucceededCount(), () -> summary.getFailures().toString());
            assertEquals(0, summary.getTotalFailureCount(), () -> summary.getFailures().toString());
        } finally {
            if (old == null) System.clearProperty(Plugins.CLASSPATH_PROPERTY);
            else System.setProperty(Plugins.CLASSPATH_PROPERTY, old);
        }
    }

    @Test
    void anExistingModuleOrABadNameIsRefused() throws Exception {
        Script bad = newVariant("My_Attention", "--into", root.toString(), "--no-register");
        assertEquals(2, bad.status(), bad.output());
        assertTrue(bad.output().startsWith("new-variant: 'My_Attention' is not a valid variant name"), bad.output());
        assertEquals(0, newVariant("twice", "--into", root.toString(), "--no-register").status());
        Script again = newVariant("twice", "--into", root.toString(), "--no-register");
        assertEquals(2, again.status(), again.output());
        assertTrue(again.output().contains("impls/variants/twice already exists"), again.output());
    }
}
