package org.attnbench.api;

/**
 * Service interface (META-INF/services/org.attnbench.api.BackendProvider) through which backends are found.
 * Providers must be cheap to construct: the heavy start-up (native libraries, a device context) happens in
 * {@link #open()}.
 */
public interface BackendProvider {
    /** The name that {@code --backend} selects, e.g. "cpu". */
    String name();

    /** "cpu" or "gpu": what {@code --device} selects. */
    String device();

    /** One line: what this backend is built on. */
    String summary();

    /** Null when the backend can run here, else one line saying why not (e.g. "no CUDA driver found"). */
    default String unavailableReason() {
        return null;
    }

    Backend open();
}
