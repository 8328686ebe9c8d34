package org.attnbench.variants.aft;

import org.attnbench.api.Complexity;
import org.attnbench.api.ConfigurableVariant;
import org.attnbench.api.Heads;
import org.attnbench.api.Init;
import org.attnbench.api.Mode;
import org.attnbench.api.Ops;
import org.attnbench.api.Option;
import org.attnbench.api.Options;
import org.attnbench.api.ParameterSpec;
import org.attnbench.api.Parameters;
import org.attnbench.api.Problem;
import org.attnbench.api.Tensor;
import org.attnbench.api.VariantInfo;

/**
 * AFT-conv (Zhai et al. 2021): per head, the bias is a learned convolution kernel, w_tt' = kernel[t' - t] for
 * |t - t'| < s and 0 outside, the same at every position (Toeplitz), so the band correction is a depthwise
 * convolution of exp(K) V and exp(K) with exp(kernel) - 1 next to the global sums. Equals AFT-local with that Toeplitz
 * bias when there is one head. The kernel has 2s - 1 taps here, to match AFT-local(s). O(n s d) time, O(n s h) memory.
 */
@VariantInfo(name = "aft-conv", encodesPosition = true, family = "attention-free",
        paper = "Zhai et al. 2021, An Attention Free Transformer, arXiv:2105.14103",
        summary = "AFT whose position bias is a per-head convolution kernel of width 2s - 1",
        modes = {Mode.CAUSAL, Mode.BIDIRECTIONAL},
        time = @Complexity(exponent = 1, formula = "8 n d^2 + 2 n (3 s) d"),
        memory = @Complexity(exponent = 1, formula = "h n (3 s) + O(n d)"),
        options = @Option(name = "s", summary = "kernel taps for |t - t'| < s", defaultValue = "32", min = 1))
public final class AftConv extends ConfigurableVariant {
    private final int s;

    public AftConv() {
        this(null);
    }

    public AftConv(Options options) {
        super(options);
        this.s = options().integer("s");
    }

    @Override
    public void declare(Problem p, ParameterSpec spec) {
        Heads.declareProjections(p, spec);
        spec.add("kernel", Init.normal(0.1), p.heads(), 2 * s - 1);
    }

    @Override
    public Tensor forward(Ops ops, Problem p, Parameters params, Tensor x) {
        Aft.Qkv qkv = Aft.project(ops, params, x);
        Tensor e = Aft.expShifted(ops, qkv.k());
        Tensor[] sums = Aft.globalSums(ops, p, e, qkv.v());
        Tensor c = AftLocal.coefficients(ops, p, params.get("kernel"), s, p.heads(), false);
        Tensor num = ops.add(sums[0], Aft.band(ops, c, ops.mul(e, qkv.v()), p.heads(), s, Aft.slots(p)));
        Tensor den = ops.add(sums[1], Aft.band(ops, c, e, p.heads(), s, Aft.slots(p)));
        return Aft.output(ops, params, qkv.q(), num, den);
    }
}
