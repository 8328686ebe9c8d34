package org.attnbench.variants.sparse;

import org.attnbench.api.AttentionKernel;
import org.attnbench.api.Complexity;
import org.attnbench.api.Mode;
import org.attnbench.api.Ops;
import org.attnbench.api.Option;
import org.attnbench.api.Options;
import org.attnbench.api.Problem;
import org.attnbench.api.Tensor;
import org.attnbench.api.VariantInfo;

/**
 * Sliding-window attention computed by the backend's fused kernel ({@link Ops#fusedAttention}): the same function,
 * option and parameters as {@link WindowAttention} (query i sees |i - j| <= w; causal: i - w <= j <= i), with the
 * kernel visiting only the key tiles of the band, so time is O(n w d) and memory beyond the projections O(h n).
 * A backend without the kernel refuses it, naming itself.
 */
@VariantInfo(name = "window", impl = "fused", family = "sparse",
        paper = "Beltagy et al. 2020, Longformer: The Long-Document Transformer, arXiv:2004.05150",
        summary = "softmax attention to the keys within w positions of the query, by the backend's fused kernel",
        modes = {Mode.CAUSAL, Mode.BIDIRECTIONAL},
        time = @Complexity(exponent = 1, formula = "8 n d^2 + 4 n (2 w + 1) d (causal: 4 n (w + 1) d)"),
        memory = @Complexity(exponent = 1, formula = "O(n d) + 2 h n (row statistics)"),
        options = @Option(name = "w", summary = "half-width: query i sees |i - j| <= w", defaultValue = "64"))
public final class FusedWindowAttention extends SparseAttention {
    private final int w;

    public FusedWindowAttention() {
        this(null);
    }

    public FusedWindowAttention(Options options) {
        super(options);
        this.w = options().integer("w");
    }

    @Override
    public boolean allowed(Problem p, int i, int j) {
        return Math.abs(i - j) <= w && (!p.causal() || j <= i);
    }

    @Override
    protected Tensor attend(Ops ops, Problem p, Tensor q, Tensor k, Tensor v) {
        return ops.fusedAttention(AttentionKernel.softmax(p.causal(), w, 1.0), q, k, v);
    }
}
