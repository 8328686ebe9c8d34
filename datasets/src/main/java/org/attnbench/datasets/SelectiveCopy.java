package org.attnbench.datasets;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Selective copying from MAD (Poli et al. 2024, "Mechanistic Design and Scaling of Hybrid Architectures"). Token
 * ids: data [0, D), blank D, copy marker D+1.
 *
 * <p>An example of length n scatters k data tokens, drawn uniformly with replacement, at k distinct positions drawn
 * uniformly from the first n - k; the other positions there are blank. The last k positions hold the copy marker,
 * and their targets are the k data tokens in order of appearance; every other target is IGNORE. The answer never
 * appears after the markers, so causal and bidirectional mixers face the same task. classes = vocabulary.
 *
 * <p>Options: tokens k (default max(2, n/16)), vocab D (default 16), test examples (default 256). Needs 2k <= n.
 */
final class SelectiveCopy extends GeneratedTask {
    static final List<String> OPTIONS = List.of("tokens", "vocab", "test");

    final int tokens;
    final int vocab;

    SelectiveCopy(Spec spec, int n, long seed) {
        super(spec, n, seed);
        tokens = spec.integer("tokens", Math.max(2, n / 16), 1);
        vocab = spec.integer("vocab", 16, 1);
        if (2L * tokens > n) {
            throw new TaskException("selective-copy: length " + n + " cannot hold " + tokens + " data tokens and their "
                    + tokens + " copy positions (needs at least " + 2L * tokens + ")");
        }
    }

    int blank() {
        return vocab;
    }

    int copyMarker() {
        return vocab + 1;
    }

    @Override
    Example generate(SplittableRandom r) {
        int n = length();
        int[] tokenIds = new int[n];
        int[] targets = ignored(n);
        int head = n - tokens;
        java.util.Arrays.fill(tokenIds, 0, head, blank());
        int[] at = distinctSorted(r, head, tokens);
        for (int j = 0; j < tokens; j++) {
            int data = r.nextInt(vocab);
            tokenIds[at[j]] = data;
            tokenIds[head + j] = copyMarker();
            targets[head + j] = data;
        }
        return new Example(tokenIds, targets);
    }

    @Override public Kind kind() { return Kind.TOKENS; }
    @Override public Metric metric() { return Metric.ACCURACY; }
    @Override public boolean requiresCausal() { return false; }
    @Override public int vocabulary() { return vocab + 2; }
    @Override public int classes() { return vocabulary(); }
    @Override public double chance() { return 1.0 / vocab; }
}
