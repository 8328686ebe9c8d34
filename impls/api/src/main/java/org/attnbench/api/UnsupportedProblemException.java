package org.attnbench.api;

/**
 * A variant cannot take this problem (a length that is not a multiple of its block, a causal request to a
 * bidirectional-only variant). The message names the constraint. A sweep records it as an 'unsupported' row.
 */
public class UnsupportedProblemException extends IllegalArgumentException {
    public UnsupportedProblemException(String message) {
        super(message);
    }
}
