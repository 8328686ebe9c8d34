package org.attnbench.variants.dense;

import org.attnbench.api.Complexity;
import org.attnbench.api.Heads;
import org.attnbench.api.Mode;
import org.attnbench.api.Ops;
import org.attnbench.api.ParameterSpec;
import org.attnbench.api.Parameters;
import org.attnbench.api.Problem;
import org.attnbench.api.Tensor;
import org.attnbench.api.Variant;
import org.attnbench.api.VariantInfo;

/**
 * Multi-head softmax attention, the reference every other variant is compared with (Vaswani et al. 2017).
 * Q, K, V = X Wq, X Wk, X Wv split into h heads; per head softmax(Q K^T / sqrt(dh)) V, causal rows masked to
 * j <= i; heads concatenated and projected by Wo. Parameters 4 d^2; about 8 n d^2 + 4 n^2 d FLOPs; the h n^2
 * scores are materialised, so memory grows as n^2.
 */
@VariantInfo(name = "dense", family = "dense",
        paper = "Vaswani et al. 2017, Attention Is All You Need, NeurIPS",
        summary = "softmax(Q K^T / sqrt(dh)) V per head, with input and output projections",
        modes = {Mode.CAUSAL, Mode.BIDIRECTIONAL},
        time = @Complexity(exponent = 2, formula = "8 n d^2 + 4 n^2 d"),
        memory = @Complexity(exponent = 2, formula = "h n^2 (the scores)"))
public final class DenseAttention implements Variant {

    @Override
    public void declare(Problem p, ParameterSpec spec) {
        Heads.declareProjections(p, spec);
    }

    @Override
    public Tensor forward(Ops ops, Problem p, Parameters params, Tensor x) {
        int n = p.length();
        Heads.Projected qkv = Heads.project(ops, p, params, x);
        Tensor scores = ops.matmul(qkv.q(), false, qkv.k(), true);
        Tensor weights = p.causal() ? ops.softmax(scores, -1, ops.band(n, n, -n, 0)) : ops.softmax(scores, -1);
        return Heads.output(ops, params, ops.matmul(weights, qkv.v()));
    }
}
