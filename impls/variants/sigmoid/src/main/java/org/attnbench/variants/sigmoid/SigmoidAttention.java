package org.attnbench.variants.sigmoid;

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
 * Sigmoid attention (Ramapuram et al. 2024): O = sigmoid(Q K^T / sqrt(dh) + b) V per head with the scalar bias
 * b = -log n, n the sequence length, and no normalisation over the row; causal pairs j > i contribute exactly 0 (the
 * sigmoid is multiplied by the causal mask, rather than fed -inf). Same projections and FLOPs as dense attention:
 * about 8 n d^2 + 4 n^2 d; the h n^2 weights are materialised. The paper's training stabilisers (hybrid-norm or
 * LayerScale, QK-norm) belong to the model around this layer, not to the layer.
 */
@VariantInfo(name = "sigmoid", family = "sigmoid",
        paper = "Ramapuram et al. 2024, Theory, Analysis, and Best Practices for Sigmoid Self-Attention, arXiv:2409.04431 (ICLR 2025)",
        summary = "sigmoid(Q K^T / sqrt(dh) - log n) V per head, no row normalisation",
        modes = {Mode.CAUSAL, Mode.BIDIRECTIONAL},
        time = @Complexity(exponent = 2, formula = "8 n d^2 + 4 n^2 d"),
        memory = @Complexity(exponent = 2, formula = "h n^2 (the weights)"))
public final class SigmoidAttention implements Variant {

    @Override
    public void declare(Problem p, ParameterSpec spec) {
        Heads.declareProjections(p, spec);
    }

    @Override
    public Tensor forward(Ops ops, Problem p, Parameters params, Tensor x) {
        int n = p.length();
        Heads.Projected qkv = Heads.project(ops, p, params, x);
        Tensor weights = ops.sigmoid(ops.add(ops.matmul(qkv.q(), false, qkv.k(), true), -Math.log(n)));
        if (p.causal()) weights = ops.mul(weights, ops.band(n, n, -n, 0));
        return Heads.output(ops, params, ops.matmul(weights, qkv.v()));
    }
}
