package org.attnbench.datasets;

/**
 * A task the accuracy suite trains on: a deterministic source of train and test examples of one length. A
 * generator makes example i of a split from (seed, split, i) alone, so any example can be made again without
 * the others; a file loader reads its file once. Train and test never share an example.
 */
public interface Task {

    /** What is scored: per position (recall, copying, language modelling) or one class per sequence. */
    enum Kind { TOKENS, SEQUENCE }

    /** What the test figure is: the fraction of scored targets predicted exactly, or bits per character. */
    enum Metric { ACCURACY, BITS_PER_CHAR }

    /** The task's spec as given, e.g. "mqar" or "mqar(pairs=8)": what results rows record as the task. */
    String name();

    Kind kind();

    Metric metric();

    /**
     * Whether the mixer must be causal: true where a bidirectional mixer would see the answer (language
     * modelling, whose target at i is the input at i + 1). Other tasks can be solved in either mode.
     */
    boolean requiresCausal();

    /** Sequence length n of every example. */
    int length();

    /** Input ids are in [0, vocabulary). */
    int vocabulary();

    /** Target ids are in [0, classes). */
    int classes();

    /** Test accuracy of the best input-blind guess (for the smoke tier's "well above chance"). */
    double chance();

    /** Train examples available: Integer.MAX_VALUE for a generator. */
    int trainSize();

    /** Test examples available. */
    int testSize();

    /** Train example i, 0 <= i < trainSize(). */
    Example train(int index);

    /** Test example i, 0 <= i < testSize(). */
    Example test(int index);
}
