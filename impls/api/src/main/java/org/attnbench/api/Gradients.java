package org.attnbench.api;

import java.util.Map;

/** The result of {@link Tape#backward}: one gradient per leaf tensor that requires one. */
public final class Gradients {
    private final Ops ops;
    private final Map<Tensor, Tensor> byLeaf;

    Gradients(Ops ops, Map<Tensor, Tensor> byLeaf) {
        this.ops = ops;
        this.byLeaf = byLeaf;
    }

    /** The gradient with respect to a leaf; zeros when the loss does not depend on it. */
    public Tensor of(Tensor leaf) {
        if (!leaf.requiresGrad) {
            throw new IllegalArgumentException("gradient asked for a tensor that does not require one: " + leaf);
        }
        Tensor g = byLeaf.get(leaf);
        return g != null ? g : ops.zeros(leaf.shape());
    }

    /** True when the loss depends on the leaf. */
    public boolean reaches(Tensor leaf) {
        return byLeaf.containsKey(leaf);
    }
}
