package org.attnbench.datasets;

import java.util.List;

/** The task registry: turns a spec such as "mqar(pairs=8)" or "char-lm(path=book.txt)" into a task. */
public final class Tasks {
    private Tasks() {}

    /** Every task name, for error messages and `attnbench list`. */
    public static List<String> names() {
        throw new UnsupportedOperationException("written by the datasets work");
    }

    /**
     * The task named by spec at this length, its examples drawn from seed. Throws {@link TaskException} (one line,
     * naming the constraint or listing the known tasks) for an unknown task, an unknown option, a missing file or a
     * length the task cannot make.
     */
    public static Task create(String spec, int length, long seed) {
        throw new UnsupportedOperationException("written by the datasets work");
    }
}
