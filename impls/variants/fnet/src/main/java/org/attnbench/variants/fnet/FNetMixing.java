package org.attnbench.variants.fnet;

import org.attnbench.api.Complexity;
import org.attnbench.api.Mode;
import org.attnbench.api.Ops;
import org.attnbench.api.ParameterSpec;
import org.attnbench.api.Parameters;
import org.attnbench.api.Problem;
import org.attnbench.api.Tensor;
import org.attnbench.api.Variant;
import org.attnbench.api.VariantInfo;

/**
 * FNet's token mixing (Lee-Thorp et al. 2022): Y = Re(DFT_seq(DFT_hidden(X))), a 2-D DFT over the sequence and
 * hidden axes with the real part taken once at the end, computed by FFT; no parameters. The mixing has no causal
 * form, so a causal problem is refused. In the paper's block this sublayer is post-LN (x = LN(x + Mix(x)), then the
 * feed-forward); the block belongs to the model around it. Cost O(n d log(n d)) time, O(n d) memory.
 */
@VariantInfo(name = "fnet", family = "fourier",
        paper = "Lee-Thorp et al. 2022, FNet: Mixing Tokens with Fourier Transforms, NAACL",
        summary = "real part of the 2-D DFT over sequence and hidden axes, by FFT",
        modes = {Mode.BIDIRECTIONAL},
        time = @Complexity(exponent = 1, logPower = 1, formula = "5 n d log2(n d) (FFT)"),
        memory = @Complexity(exponent = 1, formula = "n d (complex buffers)"))
public final class FNetMixing implements Variant {

    @Override
    public void declare(Problem p, ParameterSpec spec) {
        // no parameters
    }

    @Override
    public Tensor forward(Ops ops, Problem p, Parameters params, Tensor x) {
        return ops.fft2Real(x);
    }
}
