package org.attnbench.datasets;

/**
 * Bad task input: an unknown task, a missing or empty file or class folder, a length a task cannot make. Its
 * message is the one line the command line prints.
 */
public final class TaskException extends IllegalArgumentException {
    public TaskException(String message) {
        super(message);
    }
}
