package org.attnbench.backend.cpu;

import org.attnbench.api.Backend;
import org.attnbench.api.BackendProvider;

/** Registers the ND4J backend as "cpu". Loading ND4J's native libraries happens in {@link #open()}, not here. */
public final class Nd4jBackendProvider implements BackendProvider {
    static final String ND4J_VERSION = "1.0.0-M2.1";
    static final String NATIVES = "linux-x86_64-avx2";
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
        return "ND4J " + ND4J_VERSION + " on OpenBLAS (" + NATIVES + "), float32 and float64";
    }

    /** Loads ND4J once; a failure (missing natives, a CPU without AVX2) becomes one line, not a stack trace. */
    @Override
    public String unavailableReason() {
        if (!checked) {
            synchronized (Nd4jBackendProvider.class) {
                if (!checked) {
                    try {
                        org.nd4j.linalg.factory.Nd4j.create(1);
                    } catch (Throwable t) {
                        Throwable root = t;
                        while (root.getCause() != null) root = root.getCause();
                        loadFailure = "ND4J's native libraries did not load: " + String.valueOf(root.getMessage()).lines().findFirst().orElse(root.toString());
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
        if (why != null) throw new org.attnbench.api.BackendUnavailableException("backend 'cpu' cannot run here: " + why);
        return new Nd4jBackend();
    }
}
