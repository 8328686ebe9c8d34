package org.attnbench.variants.gmlp;

import org.attnbench.api.Complexity;
import org.attnbench.api.ConfigurableVariant;
import org.attnbench.api.Init;
import org.attnbench.api.Mode;
import org.attnbench.api.Ops;
import org.attnbench.api.Option;
import org.attnbench.api.Options;
import org.attnbench.api.ParameterSpec;
import org.attnbench.api.Parameters;
import org.attnbench.api.Problem;
import org.attnbench.api.Tensor;
import org.attnbench.api.UnsupportedProblemException;
import org.attnbench.api.VariantInfo;

/**
 * gMLP's token mixing through the spatial gating unit (Liu et al. 2021): Z = GELU(LN(X) U) with U d x e, split into
 * halves Z1, Z2; s(Z) = Z1 * (W LN(Z2) + b) with W n x n (causal: lower-triangular) and b in R^n; output s(Z) V with
 * V (e/2) x d. W starts near zero (uniform within 1e-3 / n) and b at 1, so the unit starts as the identity on Z1.
 * The spatial weights tie the model to a maximum length: W is declared n x n for a problem of length n, the block a
 * model built for max-length uses, and longer problems are refused. Cost 3 n d e + n^2 e (the gating product).
 */
@VariantInfo(name = "gmlp-sgu", encodesPosition = true, family = "mlp",
        paper = "Liu et al. 2021, Pay Attention to MLPs, NeurIPS",
        summary = "the spatial gating unit Z1 * (W LN(Z2) + b) between gMLP's channel projections",
        modes = {Mode.CAUSAL, Mode.BIDIRECTIONAL},
        time = @Complexity(exponent = 2, formula = "3 n d e + n^2 e"),
        memory = @Complexity(exponent = 1, causalExponent = 2, formula = "O(n e); causal adds the masked n x n W"),
        options = {
            @Option(name = "max-length", summary = "longest n the spatial weights are built for", defaultValue = "4096",
                    min = 1),
            @Option(name = "expansion", summary = "e / d, the width of Z (the paper uses 6)", defaultValue = "6", min = 1)})
public class GmlpGating extends ConfigurableVariant {
    private final int maxLength;
    private final int expansion;

    public GmlpGating() {
        this(null);
    }

    public GmlpGating(Options options) {
        super(options);
        this.maxLength = options().integer("max-length");
        this.expansion = options().integer("expansion");
    }

    @Override
    public void check(Problem p) {
        if (p.length() > maxLength) {
            throw new UnsupportedProblemException(info().name() + ": length " + p.length()
                    + " is above the maximum length " + maxLength + " its spatial weights are built for (option max-length)");
        }
    }

    @Override
    public void declare(Problem p, ParameterSpec spec) {
        int d = p.width(), e = 2 * (expansion * d / 2), n = p.length();
        spec.add("ln-gamma", Init.ones(), d);
        spec.add("ln-beta", Init.zeros(), d);
        spec.add("u", Init.xavierUniform(), d, e);
        spec.add("sgu-ln-gamma", Init.ones(), e / 2);
        spec.add("sgu-ln-beta", Init.zeros(), e / 2);
        spec.add("w", Init.uniform(1e-3 / n), n, n);
        spec.add("b", Init.ones(), n, 1);
        spec.add("v", Init.xavierUniform(), e / 2, d);
    }

    /** s(GELU(LN(X) U)) V: the block's path without the residual. */
    @Override
    public Tensor forward(Ops ops, Problem p, Parameters params, Tensor x) {
        int n = p.length();
        Tensor z = ops.gelu(ops.matmul(ops.layerNorm(x, params.get("ln-gamma"), params.get("ln-beta"), 1e-5), params.get("u")));
        int half = z.dim(2) / 2;
        Tensor z1 = ops.slice(z, 2, 0, half);
        Tensor z2 = ops.layerNorm(ops.slice(z, 2, half, 2 * half), params.get("sgu-ln-gamma"), params.get("sgu-ln-beta"), 1e-5);
        Tensor w = p.causal() ? ops.mul(params.get("w"), ops.band(n, n, -n, 0)) : params.get("w");
        Tensor gate = ops.add(ops.matmul(w, z2), params.get("b"));
        return ops.matmul(ops.mul(z1, gate), params.get("v"));
    }
}
