package org.attnbench.api;

/**
 * What a fused attention kernel computes, per batch item and head, from q, k, v of shape [n, dh]: for each query i
 * and the keys j it may see, a logit s_ij = scale * q_i . k_j, then weights w_ij and out_i = sum_j w_ij v_j.
 * Softmax weights normalise over the visible j (FlashAttention's online softmax); sigmoid weights are
 * sigmoid(s_ij + bias) with no normalisation (sigmoid attention, FLASHSIGMOID). Keys that may not be seen get weight
 * exactly 0. A key j is visible from query i when (not causal or j <= i) and (window < 0 or |i - j| <= window).
 *
 * <p>Backends that have a tiled kernel for it ({@link Backend#fusesAttention}) compute it without an n x n matrix;
 * {@link Ops#fusedAttention} refuses it, naming the backend, everywhere else: never a silent fallback.
 *
 * @param weighting softmax or sigmoid
 * @param causal    queries see only keys at or before their position
 * @param window    half-width of the band of visible keys, or -1 for none
 * @param scale     factor on q . k (1 when q is already scaled)
 * @param bias      added to every logit before the sigmoid; must be 0 for softmax, where it would cancel
 */
public record AttentionKernel(Weighting weighting, boolean causal, int window, double scale, double bias) {

    public enum Weighting { SOFTMAX, SIGMOID }

    public AttentionKernel {
        if (weighting == null) throw new IllegalArgumentException("attention kernel: weighting must be given");
        if (window < -1) throw new IllegalArgumentException("attention kernel: window must be -1 (none) or >= 0, got " + window);
        if (!Double.isFinite(scale) || !Double.isFinite(bias)) {
            throw new IllegalArgumentException("attention kernel: scale and bias must be finite, got " + scale + " and " + bias);
        }
        if (weighting == Weighting.SOFTMAX && bias != 0) {
            throw new IllegalArgumentException("attention kernel: a softmax cancels a constant bias; give bias 0");
        }
    }

    public static AttentionKernel softmax(boolean causal, int window, double scale) {
        return new AttentionKernel(Weighting.SOFTMAX, causal, window, scale, 0);
    }

    public static AttentionKernel sigmoid(boolean causal, int window, double scale, double bias) {
        return new AttentionKernel(Weighting.SIGMOID, causal, window, scale, bias);
    }

    /** Whether query i may see key j. */
    public boolean visible(int i, int j) {
        return (!causal || j <= i) && (window < 0 || Math.abs(i - j) <= window);
    }

    /** The first and one-past-last key query i may see among n keys. */
    public int firstKey(int i) {
        return window < 0 ? 0 : Math.max(0, i - window);
    }

    public int endKey(int i, int n) {
        int end = causal ? i + 1 : n;
        return window < 0 ? end : Math.min(end, i + window + 1);
    }

    /** The number of visible (query, key) pairs among n queries and n keys: what the kernel's work is made of. */
    public long visiblePairs(int n) {
        long pairs = 0;
        for (int i = 0; i < n; i++) pairs += endKey(i, n) - firstKey(i);
        return pairs;
    }

    /** The [n, n] 0/1 mask of visible pairs, as the unfused operations build it (lower <= j - i <= upper). */
    Tensor mask(Ops ops, int n) {
        int lower = window < 0 ? -n : -window;
        int upper = causal ? 0 : window < 0 ? n : window;
        return ops.band(n, n, lower, upper);
    }

    @Override
    public String toString() {
        return weighting.name().toLowerCase(java.util.Locale.ROOT) + (causal ? " causal" : " bidirectional")
                + (window >= 0 ? " window " + window : "") + " scale " + scale + (bias != 0 ? " bias " + bias : "");
    }
}
