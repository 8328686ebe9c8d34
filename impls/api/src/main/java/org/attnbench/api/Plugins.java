package org.attnbench.api;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where variants and backends are looked for: the class path, plus the jars (or class folders) named by the system
 * property {@value #CLASSPATH_PROPERTY}, separated by the platform's path separator. The command line's
 * {@code --classpath} sets the property; the sweep hands it on to every forked measuring JVM, so a variant from an
 * external jar is found the same way in both.
 */
public final class Plugins {
    public static final String CLASSPATH_PROPERTY = "attnbench.classpath";

    // The loader made for the last property value and parent, kept so repeated look-ups reuse one set of classes.
    private static String cachedFor;
    private static ClassLoader cachedParent;
    private static ClassLoader cached;

    private Plugins() {}

    /** The loader to search with ServiceLoader: the context class loader, extended by the property's entries if set. */
    public static synchronized ClassLoader loader() {
        ClassLoader parent = Thread.currentThread().getContextClassLoader();
        if (parent == null) parent = Plugins.class.getClassLoader();
        String extra = System.getProperty(CLASSPATH_PROPERTY, "").strip();
        if (extra.isEmpty()) return parent;
        if (!extra.equals(cachedFor) || parent != cachedParent) {
            cached = new URLClassLoader("attnbench-plugins", urls(entries(extra)), parent);
            cachedFor = extra;
            cachedParent = parent;
        }
        return cached;
    }

    /**
     * The entries of a class path string, each checked to exist; a missing one is an error naming it (so a mistyped
     * jar is never silently ignored).
     */
    public static List<Path> entries(String classPath) {
        List<Path> out = new ArrayList<>();
        for (String part : classPath.split(File.pathSeparator)) {
            if (part.isBlank()) continue;
            Path p = Path.of(part.strip()).toAbsolutePath().normalize();
            if (!Files.exists(p)) throw new IllegalArgumentException("--classpath: no such file or folder: " + part.strip());
            out.add(p);
        }
        return out;
    }

    private static URL[] urls(List<Path> paths) {
        URL[] urls = new URL[paths.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = paths.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("--classpath: cannot use " + paths.get(i) + ": " + e.getMessage());
            }
        }
        return urls;
    }
}
