package org.attnbench.api;

import java.util.Locale;

/** Whether position i may use positions after it. */
public enum Mode {
    /** Position i uses only positions j <= i. */
    CAUSAL,
    /** Every position uses every position. */
    BIDIRECTIONAL;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Mode parse(String s) {
        for (Mode m : values()) {
            if (m.id().equals(s.trim().toLowerCase(Locale.ROOT))) return m;
        }
        throw new IllegalArgumentException("unknown mode '" + s + "' (known: causal, bidirectional)");
    }
}
