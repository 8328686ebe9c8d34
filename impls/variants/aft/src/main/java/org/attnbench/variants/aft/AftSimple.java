package org.attnbench.variants.aft;

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
 * AFT-simple (Zhai et al. 2021): w = 0, so Y = sigmoid(Q) * sum_t' softmax_t'(K) V_t' per channel, O(n d). Causal
 * through prefix sums: with M_t the running maximum of K, num_t = sum_{t' <= t} exp(K_t' - M_t) V_t' follows the
 * recurrence num_t = exp(M_{t-1} - M_t) num_{t-1} + exp(K_t - M_t) V_t, whose factors are all at most 1, so nothing
 * overflows however K grows along the sequence ({@link Ops#decayScan}).
 */
@VariantInfo(name = "aft-simple", family = "attention-free",
        paper = "Zhai et al. 2021, An Attention Free Transformer, arXiv:2105.14103",
        summary = "sigmoid(Q) * softmax over positions of K, weighting V; no position bias",
        modes = {Mode.CAUSAL, Mode.BIDIRECTIONAL},
        time = @Complexity(exponent = 1, formula = "8 n d^2 + O(n d)"),
        memory = @Complexity(exponent = 1, formula = "O(n d)"))
public final class AftSimple implements Variant {

    @Override
    public void declare(Problem p, ParameterSpec spec) {
        Heads.declareProjections(p, spec);
    }

    @Override
    public Tensor forward(Ops ops, Problem p, Parameters params, Tensor x) {
        Aft.Qkv qkv = Aft.project(ops, params, x);
        if (!p.causal()) {
            Tensor[] sums = Aft.globalSums(ops, p, Aft.expShifted(ops, qkv.k()), qkv.v());
            return Aft.output(ops, params, qkv.q(), sums[0], sums[1]);
        }
        int n = p.length();
        Tensor running = ops.cummax(qkv.k(), 1);
        Tensor previous = n == 1 ? running : ops.concat(1, ops.slice(running, 1, 0, 1), ops.slice(running, 1, 0, n - 1));
        Tensor decay = ops.exp(ops.sub(previous, running));
        Tensor e = ops.exp(ops.sub(qkv.k(), running));
        Tensor num = ops.decayScan(decay, ops.mul(e, qkv.v()), 1);
        Tensor den = ops.decayScan(decay, e, 1);
        return Aft.output(ops, params, qkv.q(), num, den);
    }
}
