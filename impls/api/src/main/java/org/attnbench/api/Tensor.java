package org.attnbench.api;

import java.util.Arrays;

/**
 * An n-dimensional array on one backend. Tensors are immutable: every operation in {@link Ops} makes a new one.
 * The data lives wherever the backend keeps it ({@link #handle()}); a tensor made by the shape-only backend has
 * no data at all and exists only to count cost.
 */
public final class Tensor {
    private final int[] shape;
    private final DType dtype;
    private final Object handle;
    private final Backend backend;
    /** The allocation this tensor's data belongs to (shared by views), for live-memory accounting; may be null. */
    final CostMeter.Allocation allocation;
    /** Set when this tensor was computed from tensors that need gradients while a tape was recording. */
    Tape.Node node;
    /** A leaf that gradients are taken with respect to (a parameter or an input). */
    final boolean requiresGrad;

    Tensor(int[] shape, DType dtype, Object handle, Backend backend, CostMeter.Allocation allocation,
           boolean requiresGrad) {
        this.shape = shape;
        this.dtype = dtype;
        this.handle = handle;
        this.backend = backend;
        this.allocation = allocation;
        this.requiresGrad = requiresGrad;
    }

    /** The dimension sizes (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Size of one dimension; negative axes count from the end. */
    public int dim(int axis) {
        return shape[axis < 0 ? axis + shape.length : axis];
    }

    public long size() {
        return Shapes.size(shape);
    }

    public long bytes() {
        return size() * dtype.bytes();
    }

    public DType dtype() {
        return dtype;
    }

    /** The backend's own representation of the data; only the backend that made it may interpret it. */
    public Object handle() {
        return handle;
    }

    public Backend backend() {
        return backend;
    }

    /** True when gradients flow to or through this tensor. */
    public boolean tracksGradient() {
        return requiresGrad || node != null;
    }

    boolean sameShape(int[] other) {
        return Arrays.equals(shape, other);
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape) + " " + dtype + " on " + backend.name();
    }
}
