package org.attnbench.variants.gmlp;

import org.attnbench.api.Complexity;
import org.attnbench.api.Mode;
import org.attnbench.api.Ops;
import org.attnbench.api.Option;
import org.attnbench.api.Options;
import org.attnbench.api.Parameters;
import org.attnbench.api.Problem;
import org.attnbench.api.Tensor;
import org.attnbench.api.VariantInfo;

/**
 * The gMLP block as in the paper (Liu et al. 2021): Y = X + s(GELU(LN(X) U)) V, the spatial gating unit of
 * {@link GmlpGating} with the residual connection. gMLP has no separate feed-forward: this block is the whole layer.
 */
@VariantInfo(name = "gmlp-block", family = "mlp",
        paper = "Liu et al. 2021, Pay Attention to MLPs, NeurIPS",
        summary = "the gMLP block: X + spatial gating unit between channel projections",
        modes = {Mode.CAUSAL, Mode.BIDIRECTIONAL},
        time = @Complexity(exponent = 2, formula = "3 n d e + n^2 e"),
        memory = @Complexity(exponent = 1, causalExponent = 2, formula = "O(n e); causal adds the masked n x n W"),
        feedForward = false,
        block = true, encodesPosition = true,
        options = {
            @Option(name = "max-length", summary = "longest n the spatial weights are built for", defaultValue = "4096",
                    min = 1),
            @Option(name = "expansion", summary = "e / d, the width of Z (the paper uses 6)", defaultValue = "6", min = 1)})
public final class GmlpBlock extends GmlpGating {

    public GmlpBlock() {
        this(null);
    }

    public GmlpBlock(Options options) {
        super(options);
    }

    @Override
    public Tensor forward(Ops ops, Problem p, Parameters params, Tensor x) {
        return ops.add(x, super.forward(ops, p, params, x));
    }
}
