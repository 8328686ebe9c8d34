package org.attnbench.api;

/** A variant, backend or other registered name was not found; the message lists the known names. */
public class UnknownNameException extends IllegalArgumentException {
    public UnknownNameException(String message) {
        super(message);
    }
}
