package org.attnbench.datasets;

import java.util.Objects;
import java.util.SplittableRandom;

/** A generator: unlimited train examples and a fixed test count, each made from its own (seed, split, index) stream. */
abstract class GeneratedTask implements Task {
    /** Test examples when the spec gives no test option: enough for a stable accuracy, cheap to score. */
    static final int DEFAULT_TEST = 256;

    private final String name;
    private final int length;
    private final long seed;
    private final int testSize;

    GeneratedTask(Spec spec, int length, long seed) {
        this.name = spec.normalised();
        this.length = length;
        this.seed = seed;
        this.testSize = spec.integer("test", DEFAULT_TEST, 1);
    }

    /** Makes one example of length() from r alone. */
    abstract Example generate(SplittableRandom r);

    @Override public final String name() { return name; }
    @Override public final int length() { return length; }
    @Override public final int trainSize() { return Integer.MAX_VALUE; }
    @Override public final int testSize() { return testSize; }

    @Override
    public final Example train(int index) {
        Objects.checkIndex(index, trainSize());
        return generate(Seeds.random(seed, Seeds.TRAIN, index));
    }

    @Override
    public final Example test(int index) {
        Objects.checkIndex(index, testSize);
        return generate(Seeds.random(seed, Seeds.TEST, index));
    }

    /** Positions 0..bound-1 chosen uniformly, count of them, distinct, in increasing order (partial Fisher-Yates). */
    static int[] distinctSorted(SplittableRandom r, int bound, int count) {
        int[] all = new int[bound];
        for (int i = 0; i < bound; i++) {
            all[i] = i;
        }
        for (int i = 0; i < count; i++) {
            int j = i + r.nextInt(bound - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int[] chosen = java.util.Arrays.copyOf(all, count);
        java.util.Arrays.sort(chosen);
        return chosen;
    }

    /** A uniformly random permutation of 0..count-1 (Fisher-Yates). */
    static int[] permutation(SplittableRandom r, int count) {
        int[] p = new int[count];
        for (int i = 0; i < count; i++) {
            p[i] = i;
        }
        for (int i = count - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    static int[] ignored(int n) {
        int[] t = new int[n];
        java.util.Arrays.fill(t, Example.IGNORE);
        return t;
    }
}
