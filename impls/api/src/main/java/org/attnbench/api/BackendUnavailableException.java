package org.attnbench.api;

/** A backend that was asked for by name cannot run on this machine (no GPU, missing native library). */
public class BackendUnavailableException extends RuntimeException {
    public BackendUnavailableException(String message) {
        super(message);
    }
}
