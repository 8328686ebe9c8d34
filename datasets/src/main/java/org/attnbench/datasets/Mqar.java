package org.attnbench.datasets;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Multi-query associative recall (MQAR) after Zoology (Arora et al. 2023, "Zoology: Measuring and Improving Recall in
 * Efficient Language Models"). Token ids: keys [0, K), values [K, K+V), filler [K+V, K+V+F).
 *
 * <p>An example of length n opens with P pairs k1 v1 ... kP vP: P distinct keys drawn uniformly, values drawn with
 * replacement. Each key then appears once more as a query, the keys in a random order, at P distinct positions drawn
 * uniformly from the remaining n - 2P (so queries sit with random gaps, as in Zoology). Every other position holds a
 * filler token drawn uniformly from its own range, so filler never looks like a key or a value (filler=1 gives a fixed
 * pad). The target at a query is the value token that followed that key in the pairs; elsewhere IGNORE. The value is
 * never repeated after a query, so the task is the same for causal and bidirectional mixers. classes = vocabulary.
 *
 * <p>Options: pairs P (default max(2, n/16)), keys K (default 64, raised to P when P is larger, since keys are distinct),
 * values V (default 64), filler F tokens (default 16), test examples (default 256). Needs 3P <= n.
 */
final class Mqar extends GeneratedTask {
    static final List<String> OPTIONS = List.of("pairs", "keys", "values", "filler", "test");

    final int pairs;
    final int keys;
    final int values;
    final int filler;

    Mqar(Spec spec, int n, long seed) {
        super(spec, n, seed);
        pairs = spec.integer("pairs", Math.max(2, n / 16), 1);
        keys = spec.integer("keys", Math.max(64, pairs), 1);
        values = spec.integer("values", 64, 1);
        filler = spec.integer("filler", 16, 1);
        if (3L * pairs > n) {
            throw new TaskException("mqar: length " + n + " cannot hold " + pairs + " key-value pairs and their " + pairs
                    + " queries (needs at least " + 3L * pairs + ")");
        }
        if (pairs > keys) {
            throw new TaskException("mqar: " + pairs + " pairs need " + pairs + " distinct keys but keys=" + keys);
        }
    }

    @Override
    Example generate(SplittableRandom r) {
        int n = length();
        int[] tokens = new int[n];
        int[] targets = ignored(n);
        // Distinct keys: the first P of a partial shuffle of [0, K), in shuffled order.
        int[] pool = new int[keys];
        for (int i = 0; i < keys; i++) {
            pool[i] = i;
        }
        int[] valueOf = new int[pairs];
        for (int p = 0; p < pairs; p++) {
            int j = p + r.nextInt(keys - p);
            int t = pool[p];
            pool[p] = pool[j];
            pool[j] = t;
            valueOf[p] = keys + r.nextInt(values);
            tokens[2 * p] = pool[p];
            tokens[2 * p + 1] = valueOf[p];
        }
        int rest = n - 2 * pairs;
        for (int i = 2 * pairs; i < n; i++) {
            tokens[i] = keys + values + r.nextInt(filler);
        }
        int[] slots = distinctSorted(r, rest, pairs);
        int[] order = permutation(r, pairs);
        for (int q = 0; q < pairs; q++) {
            int at = 2 * pairs + slots[q];
            tokens[at] = pool[order[q]];
            targets[at] = valueOf[order[q]];
        }
        return new Example(tokens, targets);
    }

    @Override public Kind kind() { return Kind.TOKENS; }
    @Override public Metric metric() { return Metric.ACCURACY; }
    @Override public boolean requiresCausal() { return false; }
    @Override public int vocabulary() { return keys + values + filler; }
    @Override public int classes() { return vocabulary(); }
    @Override public double chance() { return 1.0 / values; }
}
