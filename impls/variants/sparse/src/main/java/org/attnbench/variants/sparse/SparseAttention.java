package org.attnbench.variants.sparse;

import org.attnbench.api.ConfigurableVariant;
import org.attnbench.api.Heads;
import org.attnbench.api.Ops;
import org.attnbench.api.Options;
import org.attnbench.api.ParameterSpec;
import org.attnbench.api.Parameters;
import org.attnbench.api.Problem;
import org.attnbench.api.Tensor;

/**
 * Multi-head attention restricted to a sparsity pattern: the projections of dense attention (Wq, Wk, Wv, Wo), with
 * each query i attending only to the keys j its pattern allows. Subclasses compute the allowed pairs block by block
 * ({@link BlockSparse}); {@link #allowed} states the same pattern pair by pair, which the tests use to build the
 * masked-dense oracle.
 */
public abstract class SparseAttention extends ConfigurableVariant {

    protected SparseAttention(Options options) {
        super(options);
    }

    /** Whether query i may attend to key j in a sequence of length n (causal problems also need j <= i). */
    public abstract boolean allowed(Problem p, int i, int j);

    /** The attention core: q (already scaled by 1/sqrt(dh)), k, v are [batch, heads, n, dh]; returns the same shape. */
    protected abstract Tensor attend(Ops ops, Problem p, Tensor q, Tensor k, Tensor v);

    @Override
    public void declare(Problem p, ParameterSpec spec) {
        Heads.declareProjections(p, spec);
    }

    @Override
    public Tensor forward(Ops ops, Problem p, Parameters params, Tensor x) {
        Heads.Projected qkv = Heads.project(ops, p, params, x);
        return Heads.output(ops, params, attend(ops, p, qkv.q(), qkv.k(), qkv.v()));
    }

    /** The smallest divisor-free stand-in for sqrt(n) used by "sqrt" options: ceil(sqrt(n)), at least 1. */
    static int ceilSqrt(int n) {
        int r = (int) Math.ceil(Math.sqrt(n));
        while ((long) (r - 1) * (r - 1) >= n && r > 1) r--;
        return Math.max(1, r);
    }
}
