package org.attnbench.backend.reference;

import org.attnbench.api.Backend;
import org.attnbench.api.BackendProvider;

/** Registers the reference backend as "reference". */
public final class ReferenceBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "reference";
    }

    @Override
    public String device() {
        return "cpu";
    }

    @Override
    public String summary() {
        return "plain Java loops in float64/float32: the oracle the other backends are checked against";
    }

    @Override
    public Backend open() {
        return new ReferenceBackend();
    }
}
