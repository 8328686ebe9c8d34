package org.attnbench.datasets;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The smoke tier's trivial task: one token class fills a strict majority of the positions (n/2 + 1 of them, at
 * random), the other positions hold the other classes, and the target is the majority class. A mean over positions
 * solves it, so every mixer that trains at all learns it: it checks training end to end, not recall.
 *
 * <p>Options: classes (default 4), test examples (default 256). Needs n >= 2.
 */
final class Majority extends GeneratedTask {
    static final List<String> OPTIONS = List.of("classes", "test");

    private final int classes;

    Majority(Spec spec, int n, long seed) {
        super(spec, n, seed);
        classes = spec.integer("classes", 4, 2);
        if (n < 2) throw new TaskException("majority: length " + n + " is too short (needs at least 2)");
    }

    @Override
    Example generate(SplittableRandom r) {
        int n = length();
        int majority = r.nextInt(classes);
        int[] tokens = new int[n];
        for (int i = 0; i < n; i++) {
            int other = r.nextInt(classes - 1);
            tokens[i] = other >= majority ? other + 1 : other;
        }
        for (int at : distinctSorted(r, n, n / 2 + 1)) tokens[at] = majority;
        return new Example(tokens, new int[] {majority});
    }

    @Override public Kind kind() { return Kind.SEQUENCE; }
    @Override public Metric metric() { return Metric.ACCURACY; }
    @Override public boolean requiresCausal() { return false; }
    @Override public int vocabulary() { return classes; }
    @Override public int classes() { return classes; }
    @Override public double chance() { return 1.0 / classes; }
}
