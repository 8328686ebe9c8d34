package org.attnbench.api;

/**
 * Splitting the model width into heads and back, and the input and output projections of multi-head attention
 * (Wq, Wk, Wv, Wo, each d x d), the same way for every variant that has them.
 */
public final class Heads {
    private Heads() {}

    /** Queries (already scaled by 1/sqrt(dh)), keys and values, each [B, h, n, dh]. */
    public record Projected(Tensor q, Tensor k, Tensor v) {}

    /** Declares wq, wk, wv and wo, d x d with Xavier-uniform initialisation. */
    public static void declareProjections(Problem p, ParameterSpec spec) {
        int d = p.width();
        for (String w : new String[] {"wq", "wk", "wv", "wo"}) spec.add(w, Init.xavierUniform(), d, d);
    }

    /** x [B, n, d] projected by wq, wk, wv and split into heads; Q is scaled here (n d work, not h n^2 on scores). */
    public static Projected project(Ops ops, Problem p, Parameters params, Tensor x) {
        Tensor q = ops.mul(split(ops, ops.matmul(x, params.get("wq")), p.heads()), 1.0 / Math.sqrt(p.headDim()));
        Tensor k = split(ops, ops.matmul(x, params.get("wk")), p.heads());
        Tensor v = split(ops, ops.matmul(x, params.get("wv")), p.heads());
        return new Projected(q, k, v);
    }

    /** Per-head outputs [B, h, n, dh] merged and projected by wo: [B, n, d]. */
    public static Tensor output(Ops ops, Parameters params, Tensor heads) {
        return ops.matmul(merge(ops, heads), params.get("wo"));
    }

    /** [B, n, h * dh] to [B, h, n, dh]. */
    public static Tensor split(Ops ops, Tensor x, int heads) {
        int b = x.dim(0), n = x.dim(1), d = x.dim(2);
        if (d % heads != 0) throw new ShapeException("heads: width " + d + " is not a multiple of " + heads + " heads");
        return ops.permute(ops.reshape(x, b, n, heads, d / heads), 0, 2, 1, 3);
    }

    /** [B, h, n, dh] to [B, n, h * dh]. */
    public static Tensor merge(Ops ops, Tensor x) {
        int b = x.dim(0), h = x.dim(1), n = x.dim(2), dh = x.dim(3);
        return ops.reshape(ops.permute(x, 0, 2, 1, 3), b, n, h * dh);
    }
}
