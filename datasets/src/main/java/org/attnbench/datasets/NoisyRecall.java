package org.attnbench.datasets;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Noisy in-context recall after MAD (Poli et al. 2024, "Mechanistic Design and Scaling of Hybrid Architectures").
 * Token ids: keys [0, K), values [K, K+V), noise [K+V, K+V+N).
 *
 * <p>Each example draws its own key-to-value map (each key's value uniform over the V values, with replacement).
 * The sequence is then written left to right as a stream of items: with probability {@code noise} the next item is
 * one noise token (uniform over the N), otherwise it is a pair: a key drawn uniformly, followed by its value under the
 * map. A last single free position gets a noise token. The target at a key that already appeared in an earlier
 * pair is that key's value (the token right after it); all other targets are IGNORE. So a pair's value can be
 * recalled from the key's earlier occurrence, and the first occurrence of a key is never scored. An example that
 * would score nothing (possible only at small lengths) is drawn again from the same stream.
 *
 * <p>Because the scored value is the next input token, a bidirectional mixer would read it off; the task therefore
 * requires a causal mixer, as MAD trains it (next-token prediction).
 *
 * <p>Options: keys K (default 8), values V (default 8), noise rate (per item, default 0.2, in [0, 1)), noise-tokens N
 * (default 8), test examples (default 256). Needs n >= 4 (two pairs).
 */
final class NoisyRecall extends GeneratedTask {
    static final List<String> OPTIONS = List.of("keys", "values", "noise", "noise-tokens", "test");

    final int keys;
    final int values;
    final double noise;
    final int noiseTokens;

    NoisyRecall(Spec spec, int n, long seed) {
        super(spec, n, seed);
        keys = spec.integer("keys", 8, 1);
        values = spec.integer("values", 8, 1);
        noise = spec.number("noise", 0.2, 0.0, false, 1.0);
        noiseTokens = spec.integer("noise-tokens", 8, 1);
        if (n < 4) {
            throw new TaskException("noisy-recall: length " + n + " cannot hold a key seen twice (needs at least 4)");
        }
    }

    @Override
    Example generate(SplittableRandom r) {
        int n = length();
        while (true) {
            int[] valueOf = new int[keys];
            for (int k = 0; k < keys; k++) {
                valueOf[k] = keys + r.nextInt(values);
            }
            boolean[] seen = new boolean[keys];
            int[] tokens = new int[n];
            int[] targets = ignored(n);
            int scored = 0;
            int i = 0;
            while (i < n) {
                if (i == n - 1 || r.nextDouble() < noise) {
                    tokens[i++] = keys + values + r.nextInt(noiseTokens);
                    continue;
                }
                int k = r.nextInt(keys);
                if (seen[k]) {
                    targets[i] = valueOf[k];
                    scored++;
                }
                seen[k] = true;
                tokens[i++] = k;
                tokens[i++] = valueOf[k];
            }
            if (scored > 0) {
                return new Example(tokens, targets);
            }
        }
    }

    @Override public Kind kind() { return Kind.TOKENS; }
    @Override public Metric metric() { return Metric.ACCURACY; }
    @Override public boolean requiresCausal() { return true; }
    @Override public int vocabulary() { return keys + values + noiseTokens; }
    @Override public int classes() { return vocabulary(); }
    @Override public double chance() { return 1.0 / values; }
}
