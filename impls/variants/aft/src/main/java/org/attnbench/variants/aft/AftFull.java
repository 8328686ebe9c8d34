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
import org.attnbench.api.UnsupportedProblemException;
import org.attnbench.api.VariantInfo;

/**
 * AFT-full (Zhai et al. 2021): a learned n x n position bias w, Y_t = sigmoid(Q_t) * sum_t' exp(K_t' + w_tt') V_t' /
 * sum_t' exp(K_t' + w_tt') (causal: t' <= t), computed as exp(w) @ (exp(K) * V) / exp(w) @ exp(K) with the row
 * maximum of w and the channel maximum of K taken out (both cancel). The bias is declared n x n for a problem of
 * length n: the block a model built for max_length would use; longer problems are refused. O(n^2 d) time, n^2
 * memory for exp(w).
 */
@VariantInfo(name = "aft-full", encodesPosition = true, family = "attention-free",
        paper = "Zhai et al. 2021, An Attention Free Transformer, arXiv:2105.14103",
        summary = "sigmoid(Q) * sum over positions of exp(K + w) V / exp(K + w), learned n x n bias w",
        modes = {Mode.CAUSAL, Mode.BIDIRECTIONAL},
        time = @Complexity(exponent = 2, formula = "8 n d^2 + 4 n^2 d"),
        memory = @Complexity(exponent = 2, formula = "n^2 (exp of the bias) + n d"),
        options = @Option(name = "max-length", summary = "longest n the position bias is built for", defaultValue = "8192",
                min = 1))
public final class AftFull extends ConfigurableVariant {
    private final int maxLength;

    public AftFull() {
        this(null);
    }

    public AftFull(Options options) {
        super(options);
        this.maxLength = options().integer("max-length");
    }

    @Override
    public void check(Problem p) {
        if (p.length() > maxLength) {
            throw new UnsupportedProblemException("aft-full: length " + p.length() + " is above the maximum length "
                    + maxLength + " its position bias is built for (option max-length)");
        }
    }

    @Override
    public void declare(Problem p, ParameterSpec spec) {
        Heads.declareProjections(p, spec);
        spec.add("w", Init.normal(0.1), p.length(), p.length());
    }

    @Override
    public Tensor forward(Ops ops, Problem p, Parameters params, Tensor x) {
        int n = p.length();
        Aft.Qkv qkv = Aft.project(ops, params, x);
        Tensor w = params.get("w");
        if (p.causal()) w = ops.where(ops.band(n, n, -n, 0), w, ops.full(-1e30, 1)); // exp gives exactly 0 above
        Tensor expW = ops.exp(ops.sub(w, ops.detach(ops.max(w, 1))));
        Tensor e = Aft.expShifted(ops, qkv.k());
        Tensor num = ops.matmul(expW, ops.mul(e, qkv.v()));
        Tensor den = ops.matmul(expW, e);
        return Aft.output(ops, params, qkv.q(), num, den);
    }
}
