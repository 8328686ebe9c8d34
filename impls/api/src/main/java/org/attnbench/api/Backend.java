package org.attnbench.api;

import java.util.List;
import java.util.Set;

/**
 * The primitive kernels a backend implements. Variants never call these: they use {@link Ops}, which checks
 * shapes, computes output shapes, counts cost and records gradients, then calls exactly one primitive here.
 * Every method returns the backend's handle for a new tensor whose shape and dtype the caller already knows.
 *
 * <p>Layout is the backend's business: a backend may return views or copies, and may keep data in any order,
 * as long as {@link #download} gives the row-major values.
 */
public interface Backend extends AutoCloseable {

    /** Registered name, e.g. "cpu" or "reference"; what {@code --backend} selects and result rows record. */
    String name();

    /** The kind of device: "cpu" or "gpu". */
    String device();

    /** Library versions, BLAS, thread count: recorded in every result row. */
    String description();

    Set<DType> dtypes();

    /** False for the shape-only backend, whose tensors carry no values. */
    default boolean hasData() {
        return true;
    }

    // ---- data movement
    Object upload(double[] rowMajor, int[] shape, DType dtype);

    Object full(int[] shape, DType dtype, double value);

    double[] download(Tensor t);

    /**
     * A [rows, cols] 0/1 mask, 1 where lower <= j - i <= upper. Built on the host here; a backend may override
     * this to build it on the device, since causal and window masks are made in every forward.
     */
    default Object band(int rows, int cols, int lower, int upper, DType dtype) {
        double[] v = new double[Math.multiplyExact(rows, cols)];
        for (int i = 0; i < rows; i++) {
            int from = Math.max(0, i + lower), to = Math.min(cols - 1, i + upper);
            for (int j = from; j <= to; j++) v[i * cols + j] = 1.0;
        }
        return upload(v, new int[] {rows, cols}, dtype);
    }

    Object cast(Tensor a, DType to);

    // ---- layout
    Object reshape(Tensor a, int[] shape);

    Object permute(Tensor a, int[] perm);

    Object slice(Tensor a, int axis, int start, int end);

    Object concat(List<Tensor> parts, int axis, int[] outShape);

    Object pad(Tensor a, int axis, int before, int after, double value);

    Object broadcastTo(Tensor a, int[] shape);

    // ---- arithmetic
    /** Batched matrix product over the last two axes; leading axes broadcast. outShape is given. */
    Object matmul(Tensor a, boolean transposeA, Tensor b, boolean transposeB, int[] outShape);

    Object unary(Unary op, Tensor a);

    Object scalar(Scalar op, Tensor a, double s);

    Object binary(Binary op, Tensor a, Tensor b, int[] outShape);

    /** Reduction along one axis, keeping it with size 1. */
    Object reduce(Reduce op, Tensor a, int axis);

    /** Inclusive scan along an axis (from the end when reverse). */
    Object scan(Scan op, Tensor a, int axis, boolean reverse);

    /**
     * A linear recurrence along an axis, a and decay of one shape: out[0] = x[0], out[t] = decay[t] * out[t-1] + x[t]
     * (from the end when reverse: out[t] = decay[t] * out[t+1] + x[t]).
     */
    Object decayScan(Tensor decay, Tensor x, int axis, boolean reverse);

    /** The gradient of a forward cumulative maximum: each g[i] flows to the position where the running max of x was set. */
    Object cummaxBackward(Tensor x, Tensor g, int axis);

    /** Softmax along an axis; where mask (0/1, broadcastable) is 0 the output is 0; a fully masked row is all 0. */
    Object softmax(Tensor a, int axis, Tensor maskOrNull);

    /** out[..., k, ...] = a[..., index[k], ...] along axis; index may have any shape, which replaces that axis. */
    Object gather(Tensor a, int axis, int[] index, int[] indexShape, int[] outShape);

    /** The adjoint of gather: adds g's slices into a zero tensor of outShape at the indexed positions. */
    Object scatterAdd(Tensor g, int axis, int[] index, int[] indexShape, int[] outShape);

    /** mask ? a : b elementwise, all three broadcast to outShape. */
    Object where(Tensor mask, Tensor a, Tensor b, int[] outShape);

    /** Real or imaginary part of the 2-D discrete Fourier transform of a real tensor over its last two axes. */
    Object fft2(Tensor a, boolean imaginaryPart);

    /**
     * Whether {@link #fusedAttention} has a kernel for this attention in this dtype. False by default: a backend
     * without one makes {@link Ops#fusedAttention} refuse, naming the backend, rather than compute it another way.
     */
    default boolean fusesAttention(AttentionKernel kernel, DType dtype) {
        return false;
    }

    /**
     * Fused attention (see {@link AttentionKernel}) of q, k, v, each [B, h, n, dh] of one dtype: the output
     * [B, h, n, dh], computed without materialising the n x n logits. Called only where {@link #fusesAttention} says
     * yes. Besides its output a kernel may keep O(B h n) row statistics; anything more must be constant in n.
     */
    default Object fusedAttention(AttentionKernel kernel, Tensor q, Tensor k, Tensor v) {
        throw new UnsupportedOperationException("backend '" + name() + "' has no fused attention kernel");
    }

    /**
     * Opens a scope around one timed call. A backend may reuse the memory allocated inside it in the next scope
     * (as a caching allocator does), so tensors made inside must not be read after it closes. Benchmarks wrap every
     * timed call in one, which makes timings those of the steady state; the default does nothing.
     */
    default CallScope callScope() {
        return () -> {};
    }

    /**
     * For a backend on device memory, its allocator's peaks in this process: the bytes of live tensors and the bytes
     * held from the device (live plus cached). Null for a backend on host memory, whose process peak is its RSS.
     */
    default DevicePeaks devicePeaks() {
        return null;
    }

    /** Peak device bytes: in live tensors, and held from the device's driver (including the allocator's cache). */
    record DevicePeaks(long liveBytes, long heldBytes) {}

    /** A scope from {@link #callScope()}. */
    interface CallScope extends AutoCloseable {
        @Override
        void close();
    }

    @Override
    default void close() {}

    enum Unary { NEG, EXP, LOG, SIGMOID, TANH, GELU, GELU_DERIVATIVE, RELU, STEP, SQRT, RECIPROCAL, SQUARE, ABS, SIGN }

    /** Elementwise operations with a scalar; {@link #apply} is what each one means for one element. */
    enum Scalar {
        ADD, MUL, POW, MAXIMUM, MINIMUM;

        public double apply(double x, double s) {
            return switch (this) {
                case ADD -> x + s;
                case MUL -> x * s;
                case POW -> Math.pow(x, s);
                case MAXIMUM -> Math.max(x, s);
                case MINIMUM -> Math.min(x, s);
            };
        }
    }

    /** Elementwise operations of two tensors; {@link #apply} is what each one means for one pair of elements. */
    enum Binary {
        ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM, GREATER, EQUAL;

        public double apply(double x, double y) {
            return switch (this) {
                case ADD -> x + y;
                case SUB -> x - y;
                case MUL -> x * y;
                case DIV -> x / y;
                case MAXIMUM -> Math.max(x, y);
                case MINIMUM -> Math.min(x, y);
                case GREATER -> x > y ? 1.0 : 0.0;
                case EQUAL -> x == y ? 1.0 : 0.0;
            };
        }
    }

    enum Reduce { SUM, MAX, MEAN }

    enum Scan { SUM, MAX }
}
