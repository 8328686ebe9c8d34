package org.attnbench.datasets;

/**
 * One sequence of a task. tokens are the input ids, length {@link Task#length()}. targets says what is scored:
 * for a {@link Task.Kind#TOKENS} task one target per position, {@link #IGNORE} where nothing is scored (a recall
 * task scores only its query positions, a language model every position); for a {@link Task.Kind#SEQUENCE} task
 * one target, the class of the whole sequence.
 */
public record Example(int[] tokens, int[] targets) {
    /** A position whose output is not scored. */
    public static final int IGNORE = -1;
}
