package org.attnbench.api;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A backend whose tensors hold no data. Running a forward on it checks every shape and lets a {@link CostMeter}
 * count flops and live memory at any length in microseconds; that is how the conformance kit checks a variant's
 * declared complexity without timing anything.
 */
final class ShapeOnlyBackend implements Backend {
    /** The backend whose kernels this one mirrors, or null for every kernel. */
    private final Backend target;

    ShapeOnlyBackend(Backend target) {
        this.target = target;
    }

    @Override public String name() { return target == null ? "shape-only" : target.name() + " (shapes only)"; }
    @Override public String device() { return "none"; }
    @Override public String description() { return "shapes and cost only, no data"; }
    @Override public Set<DType> dtypes() { return EnumSet.allOf(DType.class); }
    @Override public boolean hasData() { return false; }
    @Override public Object upload(double[] rowMajor, int[] shape, DType dtype) { return null; }
    @Override public Object full(int[] shape, DType dtype, double value) { return null; }
    @Override public Object band(int rows, int cols, int lower, int upper, DType dtype) { return null; }
    @Override public double[] download(Tensor t) { throw new IllegalStateException("the shape-only backend holds no values"); }
    @Override public Object cast(Tensor a, DType to) { return null; }
    @Override public Object reshape(Tensor a, int[] shape) { return null; }
    @Override public Object permute(Tensor a, int[] perm) { return null; }
    @Override public Object slice(Tensor a, int axis, int start, int end) { return null; }
    @Override public Object concat(List<Tensor> parts, int axis, int[] outShape) { return null; }
    @Override public Object pad(Tensor a, int axis, int before, int after, double value) { return null; }
    @Override public Object broadcastTo(Tensor a, int[] shape) { return null; }
    @Override public Object matmul(Tensor a, boolean ta, Tensor b, boolean tb, int[] outShape) { return null; }
    /** Any kernel, or those of the backend it mirrors: it counts the cost as if the backend that will run it had one. */
    @Override public boolean fusesAttention(AttentionKernel kernel, DType dtype) {
        return target == null || target.fusesAttention(kernel, dtype);
    }
    @Override public Object fusedAttention(AttentionKernel kernel, Tensor q, Tensor k, Tensor v) { return null; }
    @Override public Object unary(Unary op, Tensor a) { return null; }
    @Override public Object scalar(Scalar op, Tensor a, double s) { return null; }
    @Override public Object binary(Binary op, Tensor a, Tensor b, int[] outShape) { return null; }
    @Override public Object reduce(Reduce op, Tensor a, int axis) { return null; }
    @Override public Object scan(Scan op, Tensor a, int axis, boolean reverse) { return null; }
    @Override public Object decayScan(Tensor decay, Tensor x, int axis, boolean reverse) { return null; }
    @Override public Object cummaxBackward(Tensor x, Tensor g, int axis) { return null; }
    @Override public Object softmax(Tensor a, int axis, Tensor mask) { return null; }
    @Override public Object gather(Tensor a, int axis, int[] index, int[] indexShape, int[] outShape) { return null; }
    @Override public Object scatterAdd(Tensor g, int axis, int[] index, int[] indexShape, int[] outShape) { return null; }
    @Override public Object where(Tensor mask, Tensor a, Tensor b, int[] outShape) { return null; }
    @Override public Object fft2(Tensor a, boolean imaginaryPart) { return null; }
}
