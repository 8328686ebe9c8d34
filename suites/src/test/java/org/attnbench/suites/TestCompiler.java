package org.attnbench.suites;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Compiles Java sources against the test class path with javax.tools and packs class folders into jars. */
final class TestCompiler {
    private TestCompiler() {}

    /** The test's class path: surefire's own list where it gives one (java.class.path may be its booter jar). */
    static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    /**
     * Compiles the sources into out, against the test class path and any further folders; fails the test with
     * javac's messages if they do not compile.
     */
    static void compile(List<Path> sources, Path out, Path... moreClassPath) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringBuilder cp = new StringBuilder(classPath());
        for (Path p : moreClassPath) cp.append(java.io.File.pathSeparator).append(p);
        List<String> args = new ArrayList<>(List.of("-d", out.toString(), "-cp", cp.toString(), "--release", "25", "-proc:none",
                "-Xlint:all,-path", "-Werror"));
        sources.forEach(s -> args.add(s.toString()));
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        Files.createDirectories(out);
        int status = javac.run(null, OutputStream.nullOutputStream(), messages, args.toArray(new String[0]));
        assertTrue(status == 0, () -> "javac failed:\n" + messages.toString(StandardCharsets.UTF_8));
    }

    /** A jar holding every file under the folder, at its relative path. */
    static Path jar(Path folder, Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(folder)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(folder.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
        return jar;
    }
}
