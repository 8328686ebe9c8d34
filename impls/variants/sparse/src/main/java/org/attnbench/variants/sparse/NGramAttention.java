package org.attnbench.variants.sparse;

import org.attnbench.api.Complexity;
import org.attnbench.api.Mode;
import org.attnbench.api.Option;
import org.attnbench.api.Options;
import org.attnbench.api.Problem;
import org.attnbench.api.VariantInfo;

/**
 * N-gram masked self-attention (Chelba et al. 2020): each query sees the last N tokens, itself included, so with
 * N >= n it is causal dense attention. Causal only. Cost O(n N d), computed block by block.
 */
@VariantInfo(name = "ngram", family = "sparse",
        paper = "Chelba et al. 2020, Faster Transformer Decoding: N-gram Masked Self-Attention, arXiv:2001.04589",
        summary = "causal softmax attention to the last N tokens",
        modes = {Mode.CAUSAL},
        time = @Complexity(exponent = 1, formula = "8 n d^2 + 4 n (2 max(N,32)) d"),
        memory = @Complexity(exponent = 1, formula = "h n 2 max(N,32)"),
        options = @Option(name = "size", summary = "N: query i sees positions i-N+1 .. i", defaultValue = "32", min = 1))
public final class NGramAttention extends BandAttention {
    private final int size;

    public NGramAttention() {
        this(null);
    }

    public NGramAttention(Options options) {
        super(options);
        this.size = options().integer("size");
    }

    @Override
    protected int lower(Problem p) {
        return -(size - 1);
    }

    @Override
    protected int upper(Problem p) {
        return 0;
    }
}
