package org.attnbench.variants.sigmoid;

import org.attnbench.api.AttentionKernel;
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
 * Sigmoid attention computed by the backend's fused kernel ({@link Ops#fusedAttention}): the same function and
 * parameters as {@link SigmoidAttention}, sigmoid(Q K^T / sqrt(dh) - log n) V, tile by tile without the n x n weights.
 * With no row normalisation the kernel needs no running maximum or sum (FLASHSIGMOID's point, Ramapuram et al. 2024);
 * causal kernels skip the masked tiles. A backend without the kernel refuses it, naming itself.
 */
@VariantInfo(name = "sigmoid", impl = "fused", family = "sigmoid",
        paper = "Ramapuram et al. 2024, Theory, Analysis, and Best Practices for Sigmoid Self-Attention, arXiv:2409.04431 (ICLR 2025)",
        summary = "sigmoid(Q K^T / sqrt(dh) - log n) V per head by the backend's fused kernel (no n x n weights)",
        modes = {Mode.CAUSAL, Mode.BIDIRECTIONAL},
        time = @Complexity(exponent = 2, formula = "8 n d^2 + 4 n^2 d (causal: 8 n d^2 + 2 n^2 d)"),
        memory = @Complexity(exponent = 1, formula = "O(n d)"))
public final class FusedSigmoidAttention implements Variant {

    @Override
    public void declare(Problem p, ParameterSpec spec) {
        Heads.declareProjections(p, spec);
    }

    @Override
    public Tensor forward(Ops ops, Problem p, Parameters params, Tensor x) {
        Heads.Projected qkv = Heads.project(ops, p, params, x);
        // Q is already scaled by 1/sqrt(dh); the bias is SigmoidAttention's b = -log n.
        AttentionKernel kernel = AttentionKernel.sigmoid(p.causal(), -1, 1.0, -Math.log(p.length()));
        return Heads.output(ops, params, ops.fusedAttention(kernel, qkv.q(), qkv.k(), qkv.v()));
    }
}
