package org.attnbench.variants.combiner;

import org.attnbench.api.ConfigurableVariant;
import org.attnbench.api.Heads;
import org.attnbench.api.Ops;
import org.attnbench.api.Options;
import org.attnbench.api.ParameterSpec;
import org.attnbench.api.Parameters;
import org.attnbench.api.Problem;
import org.attnbench.api.Tensor;
import org.attnbench.api.UnsupportedProblemException;

/**
 * Combiner (Ren et al. 2021): attention as an expectation over keys, where a query's support is split into a
 * direct part (keys it scores one by one) and regions that each contribute one summary key (the pooled keys) and
 * one summary value (a local attention of the region's pooled query over the region). One softmax is taken over
 * the direct and summary logits together. Same projections as dense attention (Wq, Wk, Wv, Wo).
 */
abstract class CombinerAttention extends ConfigurableVariant {

    protected CombinerAttention(Options options) {
        super(options);
    }

    @Override
    public void declare(Problem p, ParameterSpec spec) {
        Heads.declareProjections(p, spec);
    }

    /** q (scaled by 1/sqrt(dh)), k, v are [batch, heads, n, dh]; returns the same shape. */
    protected abstract Tensor attend(Ops ops, Problem p, Tensor q, Tensor k, Tensor v);

    @Override
    public Tensor forward(Ops ops, Problem p, Parameters params, Tensor x) {
        Heads.Projected qkv = Heads.project(ops, p, params, x);
        return Heads.output(ops, params, attend(ops, p, qkv.q(), qkv.k(), qkv.v()));
    }

    /** The value of a span-like option: an integer dividing n, or "sqrt" for the divisor of n nearest sqrt(n). */
    int span(String option, int n) {
        if (options().is(option, "sqrt")) {
            int best = 1;
            double root = Math.sqrt(n);
            for (int s = 1; s <= n; s++) {
                if (n % s == 0 && Math.abs(s - root) <= Math.abs(best - root)) best = s;
            }
            return best;
        }
        return options().integer(option);
    }

    void checkSpan(String option, String what, Problem p) {
        int s = span(option, p.length());
        if (p.length() % s != 0) {
            throw new UnsupportedProblemException(info().name() + ": length " + p.length() + " is not a multiple of the "
                    + what + " " + s + " (option " + option + ")");
        }
    }

    /** Max- or mean-pooling along an axis, keeping it (size 1). */
    Tensor pool(Ops ops, Tensor t, int axis) {
        return options().is("pool", "max") ? ops.max(t, axis) : ops.mean(t, axis);
    }

    /** One softmax over [direct | summary] logits (row layout [b, h, n, width]) with their masks concatenated. */
    static Tensor[] jointSoftmax(Ops ops, Tensor direct, Tensor directMask, Tensor summary, Tensor summaryMask) {
        int wd = direct.dim(3), ws = summary.dim(3);
        Tensor weights = ops.softmax(ops.concat(-1, direct, summary), -1, ops.concat(-1, directMask, summaryMask));
        return new Tensor[] {ops.slice(weights, -1, 0, wd), ops.slice(weights, -1, wd, wd + ws)};
    }
}
