package org.attnbench.compare;

/** The baseline was measured somewhere else (machine, JDK, backend or dtype), so a comparison would mislead. */
public final class IncompatibleBaselineException extends IllegalArgumentException {
    public IncompatibleBaselineException(String message) {
        super(message);
    }
}
