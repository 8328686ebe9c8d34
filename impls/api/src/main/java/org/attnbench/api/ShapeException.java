package org.attnbench.api;

/** A tensor operation was given shapes it cannot take. The message names the operation and the shapes. */
public class ShapeException extends IllegalArgumentException {
    public ShapeException(String message) {
        super(message);
    }
}
