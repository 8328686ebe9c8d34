package org.attnbench.api;

/** Splitting the model width into heads and back, the same way for every variant. */
public final class Heads {
    private Heads() {}

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
