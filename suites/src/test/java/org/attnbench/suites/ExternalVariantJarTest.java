package org.attnbench.suites;

import static org.attnbench.suites.CommandLineTest.assertOneLineError;
import static org.attnbench.suites.CommandLineTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A variant that is not part of the build: compiled here from source into a jar of its own with its
 * META-INF/services entry, then found with --classpath by list, run and check (whose smoke timing runs in forked
 * JVMs, which must find it too).
 */
class ExternalVariantJarTest {
    static final String SOURCE = """
            package org.example.contrib;

            import org.attnbench.api.Complexity;
            import org.attnbench.api.Heads;
            import org.attnbench.api.Mode;
            import org.attnbench.api.Ops;
            import org.attnbench.api.ParameterSpec;
            import org.attnbench.api.Parameters;
            import org.attnbench.api.Problem;
            import org.attnbench.api.Tensor;
            import org.attnbench.api.Variant;
            import org.attnbench.api.VariantInfo;

            /** Softmax attention with its scores sharpened by 2: a variant from outside the build. */
            @VariantInfo(name = "sharp-example", family = "dense",
                    paper = "A test fixture compiled into an external jar (no paper)",
                    summary = "softmax(2 Q K^T / sqrt(dh)) V per head, with input and output projections",
                    modes = {Mode.CAUSAL, Mode.BIDIRECTIONAL},
                    time = @Complexity(exponent = 2, formula = "8 n d^2 + 4 n^2 d"),
                    memory = @Complexity(exponent = 2, formula = "h n^2"))
            public final class SharpAttention implements Variant {
                @Override
                public void declare(Problem p, ParameterSpec spec) {
                    Heads.declareProjections(p, spec);
                }

                @Override
                public Tensor forward(Ops ops, Problem p, Parameters params, Tensor x) {
                    int n = p.length();
                    Heads.Projected qkv = Heads.project(ops, p, params, x);
                    Tensor scores = ops.mul(ops.matmul(qkv.q(), false, qkv.k(), true), 2.0);
                    Tensor weights = p.causal() ? ops.softmax(scores, -1, ops.band(n, n, -n, 0)) : ops.softmax(scores, -1);
                    return Heads.output(ops, params, ops.matmul(weights, qkv.v()));
                }
            }
            """;

    @TempDir Path dir;

    private Path exampleJar() throws IOException {
        Path src = dir.resolve("src/org/example/contrib/SharpAttention.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, SOURCE);
        Path classes = dir.resolve("classes");
        TestCompiler.compile(List.of(src), classes);
        Path services = classes.resolve("META-INF/services/org.attnbench.api.Variant");
        Files.createDirectories(services.getParent());
        Files.writeString(services, "org.example.contrib.SharpAttention\n");
        return TestCompiler.jar(classes, dir.resolve("sharp-example.jar"));
    }

    @Test
    void listRunAndCheckFindAVariantInAnExternalJar() throws IOException {
        Path jar = exampleJar();
        assertFalse(run("list").out().contains("sharp-example"), "not there without the jar");
        CommandLineTest.Outcome list = run("list", "--classpath", jar.toString());
        assertEquals(0, list.status(), list.err());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("sharp-example") && l.contains("A test fixture compiled into an external jar")), list.out());
        CommandLineTest.Outcome plan = run("--classpath", jar.toString(), "run", "--variants", "sharp-example", "--lengths", "32", "--dry-run");
        assertEquals(0, plan.status(), plan.err());
        assertTrue(plan.out().contains("sharp-example n=32"), plan.out());

        CommandLineTest.Outcome check = run("check", "sharp-example", "--classpath", jar.toString(), "--lengths", "32", "--modes", "causal",
                "--passes", "forward", "--backend", "reference");
        assertEquals(0, check.status(), check.out() + check.err());
        assertTrue(check.out().contains("from file:" + jar), "the class came from the jar: " + check.out());
        assertTrue(check.out().matches("(?s).*conformance: \\d+ passed, 0 failed, \\d+ skipped.*"), check.out());
        // Only contracts on a backend that cannot run here (the GPU) may be skipped.
        assertTrue(check.out().lines().filter(l -> l.startsWith("  skipped")).allMatch(l -> l.contains("cannot run here")), check.out());
        assertTrue(check.out().contains("passed   sharp-example / on backend reference / gradients match finite differences"), check.out());
        // The smoke timing ran in a forked JVM: its row is ok only if that JVM found the jar's class too.
        assertTrue(check.out().lines().anyMatch(l -> l.matches("attention\\s+sharp-example\\s+reference\\s+causal\\s+forward\\s.*") && l.contains(" ok ")),
                check.out());
        // The smoke accuracy run trained the jar's variant in this JVM: its row is ok and it learned the trivial task.
        assertTrue(check.out().lines().anyMatch(l -> l.matches("accuracy\\s+sharp-example\\s+cpu\\s.*") && l.contains(" ok ")), check.out());
        assertFalse(check.out().contains("failed: accuracy"), check.out());
        assertTrue(check.out().contains("check sharp-example: passed"), check.out());
    }

    @Test
    void aMissingJarOrAnUnknownVariantIsOneLine() {
        assertOneLineError(run("list", "--classpath", dir.resolve("none.jar").toString()), 2, "--classpath: no such file or folder: ");
        assertOneLineError(run("check", "nonesuch", "--no-timing"), 2, "unknown variant 'nonesuch' (known: aft-conv, ");
    }
}
