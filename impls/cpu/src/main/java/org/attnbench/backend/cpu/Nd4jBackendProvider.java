package org.attnbench.backend.cpu;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Properties;

import org.attnbench.api.Backend;
import org.attnbench.api.BackendProvider;
import org.attnbench.api.BackendUnavailableException;
import org.bytedeco.javacpp.Loader;
import org.nd4j.linalg.factory.Nd4j;

/** Registers the ND4J backend as "cpu". Loading ND4J's native libraries happens on first use, not here. */
public final class Nd4jBackendProvider implements BackendProvider {
    /** The natives the build ships (see the pom); {@link #loadedNatives()} says which ones actually loaded. */
    private static final String NATIVES = "linux-x86_64-avx2";
    private static volatile String loadFailure;
    private static volatile boolean checked;

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String device() {
        return "cpu";
    }

    @Override
    public String summary() {
        return "ND4J " + nd4jVersion() + " on OpenBLAS " + openBlasVersion() + " (" + NATIVES + "), float32 and float64";
    }

    /** Loads ND4J once; a failure (missing natives, a CPU without AVX2) becomes one line, not a stack trace. */
    @Override
    public String unavailableReason() {
        if (!checked) {
            synchronized (Nd4jBackendProvider.class) {
                if (!checked) {
                    try {
                        Nd4j.create(1);
                    } catch (Throwable t) {
                        Throwable root = t;
                        while (root.getCause() != null) root = root.getCause();
                        String message = String.valueOf(root.getMessage()).lines().findFirst().orElse(root.toString());
                        loadFailure = "ND4J's native libraries did not load: " + message;
                    }
                    checked = true;
                }
            }
        }
        return loadFailure;
    }

    @Override
    public Backend open() {
        String why = unavailableReason();
        if (why != null) throw new BackendUnavailableException("backend 'cpu' cannot run here: " + why);
        return new Nd4jBackend();
    }

    static String nd4jVersion() {
        return mavenVersion("org.nd4j", "nd4j-native");
    }

    /** OpenBLAS's own version: the JavaCPP preset's version is "0.3.19-1.5.7", OpenBLAS then JavaCPP. */
    static String openBlasVersion() {
        String v = mavenVersion("org.bytedeco", "openblas");
        int dash = v.indexOf('-');
        return dash < 0 ? v : v.substring(0, dash);
    }

    /** The platform directory libnd4j was loaded from, e.g. linux-x86_64-avx2; call after ND4J has started. */
    static String loadedNatives() {
        String path = Loader.getLoadedLibraries().get("nd4jcpu");
        if (path == null) return "natives unknown";
        Path dir = Path.of(path).getParent();
        return dir == null ? path : dir.getFileName().toString();
    }

    /** A dependency's version from the Maven metadata in its jar. */
    private static String mavenVersion(String group, String artifact) {
        String resource = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = Nd4jBackendProvider.class.getResourceAsStream(resource)) {
            if (in == null) return "(version unknown)";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "(version unknown)");
        } catch (IOException e) {
            return "(version unknown)";
        }
    }
}
