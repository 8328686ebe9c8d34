package org.attnbench.datasets;

import java.util.SplittableRandom;

/**
 * The smoke tier's trivial task: one token class fills a strict majority of the positions (n/2 + 1 of them, at
 * random), the others are drawn from the remaining classes, and the target is the majority class. A mean over
 * positions solves it, so every mixer that trains at all learns it; it checks training end to end, not recall.
 */
final class Majority implements Task {
    private static final int TEST_EXAMPLES = 256;
    private final String name;
    private final int length, classes;
    private final long seed;

    Majority(String name, int length, int classes, long seed) {
        if (length < 2) throw new TaskException("majority: length " + length + " is too short (at least 2)");
        if (classes < 2) throw new TaskException("majority: classes must be at least 2, got " + classes);
        this.name = name;
        this.length = length;
        this.classes = classes;
        this.seed = seed;
    }

    @Override public String name() { return name; }
    @Override public Kind kind() { return Kind.SEQUENCE; }
    @Override public Metric metric() { return Metric.ACCURACY; }
    @Override public boolean requiresCausal() { return false; }
    @Override public int length() { return length; }
    @Override public int vocabulary() { return classes; }
    @Override public int classes() { return classes; }
    @Override public double chance() { return 1.0 / classes; }
    @Override public int trainSize() { return Integer.MAX_VALUE; }
    @Override public int testSize() { return TEST_EXAMPLES; }
    @Override public Example train(int index) { return make(random(0, index)); }
    @Override public Example test(int index) { return make(random(1, index)); }

    private SplittableRandom random(long split, int index) {
        long z = seed * 0x9E3779B97F4A7C15L + split * 0xBF58476D1CE4E5B9L + index;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return new SplittableRandom(z ^ (z >>> 31));
    }

    private Example make(SplittableRandom r) {
        int majority = r.nextInt(classes);
        int[] tokens = new int[length];
        for (int i = 0; i < length; i++) {
            int other = r.nextInt(classes - 1);
            tokens[i] = other >= majority ? other + 1 : other;
        }
        // n/2 + 1 distinct positions by a partial Fisher-Yates shuffle.
        int[] positions = new int[length];
        for (int i = 0; i < length; i++) positions[i] = i;
        for (int i = 0; i < length / 2 + 1; i++) {
            int j = i + r.nextInt(length - i);
            int t = positions[i];
            positions[i] = positions[j];
            positions[j] = t;
            tokens[positions[i]] = majority;
        }
        return new Example(tokens, new int[] {majority});
    }
}
