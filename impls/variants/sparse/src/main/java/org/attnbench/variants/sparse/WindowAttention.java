package org.attnbench.variants.sparse;

import org.attnbench.api.Complexity;
import org.attnbench.api.Mode;
import org.attnbench.api.Option;
import org.attnbench.api.Options;
import org.attnbench.api.Problem;
import org.attnbench.api.VariantInfo;

/**
 * Sliding-window (band) attention: query i sees the keys with |i - j| <= w (causal: i - w <= j <= i), as in
 * Longformer's local attention (Beltagy et al. 2020) and the band pattern of Yun et al. 2020. With w >= n it is
 * dense attention. Cost O(n w d) time and O(h n w) memory, computed block by block (blocks of max(w, 32)).
 */
@VariantInfo(name = "window", family = "sparse",
        paper = "Beltagy et al. 2020, Longformer: The Long-Document Transformer, arXiv:2004.05150",
        summary = "softmax attention to the keys within w positions of the query",
        modes = {Mode.CAUSAL, Mode.BIDIRECTIONAL},
        time = @Complexity(exponent = 1, formula = "8 n d^2 + 4 n (3 max(w,32)) d"),
        memory = @Complexity(exponent = 1, formula = "h n 3 max(w,32) (the banded scores)"),
        options = @Option(name = "w", summary = "half-width: query i sees |i - j| <= w", defaultValue = "64"))
public final class WindowAttention extends BandAttention {
    private final int w;

    public WindowAttention() {
        this(null);
    }

    public WindowAttention(Options options) {
        super(options);
        this.w = options().integer("w");
    }

    @Override
    protected int lower(Problem p) {
        return -w;
    }

    @Override
    protected int upper(Problem p) {
        return w;
    }
}
