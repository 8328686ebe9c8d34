package org.attnbench.variants.dense;

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
 * Dense softmax attention computed by the backend's fused kernel ({@link Ops#fusedAttention}): the same function and
 * parameters as {@link DenseAttention}, with the softmax taken online over key tiles (FlashAttention, Dao et al.
 * 2022), so the h n^2 scores never exist and memory grows as n. Causal kernels skip the masked tiles, which halves
 * the work. A backend without the kernel refuses it, naming itself; nothing falls back to the unfused path.
 */
@VariantInfo(name = "dense", impl = "fused", family = "dense",
        paper = "Vaswani et al. 2017, Attention Is All You Need, NeurIPS",
        summary = "softmax(Q K^T / sqrt(dh)) V per head by the backend's fused kernel (online softmax, no n x n scores)",
        modes = {Mode.CAUSAL, Mode.BIDIRECTIONAL},
        time = @Complexity(exponent = 2, formula = "8 n d^2 + 4 n^2 d (causal: 8 n d^2 + 2 n^2 d)"),
        memory = @Complexity(exponent = 1, formula = "O(n d) + 2 h n (row statistics)"))
public final class FusedDenseAttention implements Variant {

    @Override
    public void declare(Problem p, ParameterSpec spec) {
        Heads.declareProjections(p, spec);
    }

    @Override
    public Tensor forward(Ops ops, Problem p, Parameters params, Tensor x) {
        Heads.Projected qkv = Heads.project(ops, p, params, x);
        // Heads.project has already scaled Q by 1/sqrt(dh).
        AttentionKernel kernel = AttentionKernel.softmax(p.causal(), -1, 1.0);
        return Heads.output(ops, params, ops.fusedAttention(kernel, qkv.q(), qkv.k(), qkv.v()));
    }
}
