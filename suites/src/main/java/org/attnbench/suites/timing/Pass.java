package org.attnbench.suites.timing;

/** What one timed call does. */
public enum Pass {
    /** One forward. */
    FORWARD("forward"),
    /** One forward with the tape recording, then the backward to the input and every parameter: a training step. */
    FORWARD_BACKWARD("forward+backward");

    private final String id;

    Pass(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Pass parse(String s) {
        for (Pass p : values()) {
            if (p.id.equals(s.trim())) return p;
        }
        throw new IllegalArgumentException("unknown pass '" + s + "' (known: forward, forward+backward)");
    }
}
