package org.attnbench.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.attnbench.api.Backend.Binary;
import org.attnbench.api.Backend.Reduce;
import org.attnbench.api.Backend.Scalar;
import org.attnbench.api.Backend.Scan;
import org.attnbench.api.Backend.Unary;

/**
 * The closed set of tensor operations a variant may use. Each operation checks its shapes (a bad shape is a
 * {@link ShapeException} naming the operation and the shapes), calls one backend primitive, counts its cost
 * when a {@link CostMeter} is active, and records its gradient when a {@link Tape} is open.
 *
 * <p>One {@code Ops} belongs to one thread and one backend. Constants it makes have its default dtype.
 */
public final class Ops {
    private final Backend backend;
    private final DType dtype;
    private Tape tape;
    private boolean tapePaused;
    private CostMeter meter;

    private Ops(Backend backend, DType dtype) {
        if (!backend.dtypes().contains(dtype)) {
            throw new IllegalArgumentException("backend '" + backend.name() + "' does not support dtype " + dtype
                    + " (it supports " + backend.dtypes() + ")");
        }
        this.backend = backend;
        this.dtype = dtype;
    }

    public static Ops on(Backend backend, DType dtype) {
        return new Ops(backend, dtype);
    }

    /** Operations that only compute shapes and count cost: instant at any size, no data. */
    public static Ops shapeOnly(DType dtype) {
        return new Ops(new ShapeOnlyBackend(null), dtype);
    }

    /**
     * Shapes and cost of running on {@code target}: like {@link #shapeOnly(DType)}, but refusing, as target would,
     * the kernels target lacks ({@link NoKernelException}), so a sweep knows before it starts a measurement.
     */
    public static Ops shapeOnly(DType dtype, Backend target) {
        return new Ops(new ShapeOnlyBackend(target), dtype);
    }

    public Backend backend() {
        return backend;
    }

    public DType dtype() {
        return dtype;
    }

    // ------------------------------------------------------------------ recording and metering

    /** Opens a tape: until it is closed, operations on tensors that track gradients are recorded. */
    public Tape startTape() {
        if (tape != null) throw new IllegalStateException("a tape is already open on this Ops");
        tape = new Tape(this);
        return tape;
    }

    void endTape(Tape t) {
        if (tape == t) tape = null;
    }

    boolean pauseTape() {
        boolean was = !tapePaused;
        tapePaused = true;
        return was;
    }

    void resumeTape(boolean wasRecording) {
        tapePaused = !wasRecording;
    }

    /** Starts counting cost and live memory; {@link CostMeter#stop} ends it and gives the figures. */
    public CostMeter startMetering() {
        meter = new CostMeter();
        return meter;
    }

    private boolean recording() {
        return tape != null && !tapePaused;
    }

    private CostMeter meter() {
        if (meter != null && !meter.active()) meter = null;
        return meter;
    }

    private Tensor make(String op, Object handle, int[] shape, DType type, long flops, long elementwise,
                        Tape.Backward backward, Tensor... inputs) {
        CostMeter m = meter();
        CostMeter.Allocation alloc = null;
        if (m != null) {
            long bytes = Shapes.size(shape) * type.bytes();
            m.record(flops, elementwise, inputs, bytes);
            alloc = m.allocate(bytes);
        }
        return link(op, new Tensor(shape, type, handle, backend, alloc, false), backward, inputs);
    }

    /** A view shares its base's storage: it allocates nothing and keeps the base alive while it is used. */
    private Tensor makeView(String op, Object handle, int[] shape, Tensor base, Tape.Backward backward) {
        CostMeter m = meter();
        if (m != null) m.record(0, 0, new Tensor[] {base}, 0);
        return link(op, new Tensor(shape, base.dtype(), handle, backend, base.allocation, false), backward, base);
    }

    private Tensor link(String op, Tensor out, Tape.Backward backward, Tensor... inputs) {
        if (backward != null && recording()) {
            for (Tensor in : inputs) {
                if (in.tracksGradient()) {
                    Tape.Node node = tape.node(op, inputs, backward);
                    node.output = out;
                    out.node = node;
                    break;
                }
            }
        }
        return out;
    }

    private void check(Tensor t, String op) {
        if (t.backend() != backend) {
            throw new IllegalArgumentException(op + ": tensor lives on backend '" + t.backend().name()
                    + "', these operations on '" + backend.name() + "'");
        }
    }

    private void sameType(String op, Tensor a, Tensor b) {
        check(a, op);
        check(b, op);
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": dtypes differ (" + a.dtype() + " and " + b.dtype() + ")");
        }
    }

    // ------------------------------------------------------------------ creation

    public Tensor constant(double[] values, int... shape) {
        return constant(dtype, values, shape);
    }

    /** Values in row-major order; null only on the shape-only backend, which keeps none. */
    public Tensor constant(DType type, double[] values, int... shape) {
        if (values == null && backend.hasData()) throw new IllegalArgumentException("constant: no values given");
        if (values != null && values.length != Shapes.size(shape)) {
            throw new ShapeException("constant: " + values.length + " values do not fill shape " + Shapes.toString(shape));
        }
        return make("constant", backend.upload(values, shape.clone(), type), shape.clone(), type, 0, 0, null);
    }

    public Tensor full(double value, int... shape) {
        return make("full", backend.full(shape.clone(), dtype, value), shape.clone(), dtype, 0, 0, null);
    }

    public Tensor zeros(int... shape) {
        return full(0.0, shape);
    }

    public Tensor ones(int... shape) {
        return full(1.0, shape);
    }

    /** A leaf tensor that gradients are taken with respect to. */
    public Tensor parameter(double[] values, int... shape) {
        return requireGrad(constant(values, shape));
    }

    /** The same data as t, as a new leaf that requires a gradient. */
    public Tensor requireGrad(Tensor t) {
        check(t, "requireGrad");
        return new Tensor(t.shape(), t.dtype(), t.handle(), backend, t.allocation, true);
    }

    /** The same data as t, cut off from gradients (gradients stop here). */
    public Tensor detach(Tensor t) {
        check(t, "detach");
        return new Tensor(t.shape(), t.dtype(), t.handle(), backend, t.allocation, false);
    }

    /**
     * A 0/1 mask of shape [rows, cols] that is 1 where {@code lower <= j - i <= upper} (j the column, i the row).
     * Causal is band(n, n, -n, 0); a window of w each side is band(n, n, -w, w).
     */
    public Tensor band(int rows, int cols, int lower, int upper) {
        if (rows < 1 || cols < 1) throw new ShapeException("band: bad shape [" + rows + ", " + cols + "]");
        return make("band", backend.band(rows, cols, lower, upper, dtype), new int[] {rows, cols}, dtype, 0,
                (long) rows * cols, null);
    }

    /** A 0/1 mask of shape [rows, cols], 1 where the predicate allows the pair (row i, column j). */
    public Tensor mask(int rows, int cols, PairPredicate allowed) {
        if (!backend.hasData()) return zeros(rows, cols);
        double[] v = new double[Math.multiplyExact(rows, cols)];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) v[i * cols + j] = allowed.test(i, j) ? 1.0 : 0.0;
        }
        return constant(v, rows, cols);
    }

    @FunctionalInterface
    public interface PairPredicate {
        boolean test(int i, int j);
    }

    /** The row-major values as float64, whatever the dtype. */
    public double[] toArray(Tensor t) {
        check(t, "toArray");
        if (!backend.hasData()) throw new IllegalStateException("the shape-only backend holds no values");
        return backend.download(t);
    }

    public Tensor cast(Tensor a, DType to) {
        check(a, "cast");
        if (a.dtype() == to) return a;
        DType from = a.dtype();
        return make("cast", backend.cast(a, to), a.shape(), to, 0, a.size(),
                g -> new Tensor[] {cast(g, from)}, a);
    }

    // ------------------------------------------------------------------ layout

    /** Reshape; one dimension may be -1 and is then inferred. */
    public Tensor reshape(Tensor a, int... shape) {
        check(a, "reshape");
        int[] s = inferShape(a, shape);
        if (Arrays.equals(s, a.shape())) return a;
        int[] from = a.shape();
        return makeView("reshape", backend.reshape(a, s), s, a, g -> new Tensor[] {reshape(g, from)});
    }

    private static int[] inferShape(Tensor a, int[] shape) {
        int[] s = shape.clone();
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (unknown >= 0) throw new ShapeException("reshape: more than one -1 in " + Arrays.toString(shape));
                unknown = i;
            } else if (s[i] <= 0) {
                throw new ShapeException("reshape: bad dimension " + s[i] + " in " + Arrays.toString(shape));
            } else {
                known *= s[i];
            }
        }
        if (unknown >= 0) {
            if (a.size() % known != 0) {
                throw new ShapeException("reshape: cannot reshape " + Shapes.toString(a.shape()) + " to " + Arrays.toString(shape));
            }
            s[unknown] = (int) (a.size() / known);
        }
        if (Shapes.size(s) != a.size()) {
            throw new ShapeException("reshape: cannot reshape " + Shapes.toString(a.shape()) + " (" + a.size()
                    + " elements) to " + Arrays.toString(shape));
        }
        return s;
    }

    public Tensor permute(Tensor a, int... perm) {
        check(a, "permute");
        if (perm.length != a.rank()) {
            throw new ShapeException("permute: " + Arrays.toString(perm) + " does not match rank " + a.rank());
        }
        boolean[] seen = new boolean[perm.length];
        boolean identity = true;
        for (int i = 0; i < perm.length; i++) {
            int p = perm[i];
            if (p < 0 || p >= perm.length || seen[p]) {
                throw new ShapeException("permute: " + Arrays.toString(perm) + " is not a permutation of 0.." + (perm.length - 1));
            }
            seen[p] = true;
            identity &= p == i;
        }
        if (identity) return a;
        int[] inv = Shapes.inversePermutation(perm);
        return makeView("permute", backend.permute(a, perm.clone()), Shapes.permute(a.shape(), perm), a,
                g -> new Tensor[] {permute(g, inv)});
    }

    /** Swaps two axes. */
    public Tensor transpose(Tensor a, int axis1, int axis2) {
        int r = a.rank();
        int i = Shapes.axis(axis1, r, "transpose"), j = Shapes.axis(axis2, r, "transpose");
        int[] perm = new int[r];
        for (int k = 0; k < r; k++) perm[k] = k;
        perm[i] = j;
        perm[j] = i;
        return permute(a, perm);
    }

    /** Elements start (inclusive) to end (exclusive) along an axis. */
    public Tensor slice(Tensor a, int axis, int start, int end) {
        check(a, "slice");
        int ax = Shapes.axis(axis, a.rank(), "slice");
        int len = a.dim(ax);
        if (start < 0 || end > len || start >= end) {
            throw new ShapeException("slice: [" + start + ", " + end + ") is not a non-empty range inside axis " + ax
                    + " of size " + len);
        }
        if (start == 0 && end == len) return a;
        return makeView("slice", backend.slice(a, ax, start, end), Shapes.with(a.shape(), ax, end - start), a,
                g -> new Tensor[] {pad(g, ax, start, len - end, 0.0)});
    }

    public Tensor concat(List<Tensor> parts, int axis) {
        if (parts.isEmpty()) throw new ShapeException("concat: no tensors given");
        Tensor first = parts.get(0);
        int ax = Shapes.axis(axis, first.rank(), "concat");
        int total = 0;
        int[] offsets = new int[parts.size() + 1];
        for (int p = 0; p < parts.size(); p++) {
            Tensor t = parts.get(p);
            sameType("concat", first, t);
            if (t.rank() != first.rank()) throw new ShapeException("concat: ranks differ: " + shapes(parts));
            for (int k = 0; k < t.rank(); k++) {
                if (k != ax && t.dim(k) != first.dim(k)) {
                    throw new ShapeException("concat: shapes " + shapes(parts) + " differ outside axis " + ax);
                }
            }
            total += t.dim(ax);
            offsets[p + 1] = total;
        }
        if (parts.size() == 1) return first;
        int[] out = Shapes.with(first.shape(), ax, total);
        Tensor[] inputs = parts.toArray(new Tensor[0]);
        return make("concat", backend.concat(List.copyOf(parts), ax, out), out, first.dtype(), 0, Shapes.size(out),
                g -> {
                    Tensor[] gs = new Tensor[inputs.length];
                    for (int p = 0; p < inputs.length; p++) gs[p] = slice(g, ax, offsets[p], offsets[p + 1]);
                    return gs;
                }, inputs);
    }

    public Tensor concat(int axis, Tensor... parts) {
        return concat(Arrays.asList(parts), axis);
    }

    private static String shapes(List<Tensor> parts) {
        List<String> s = new ArrayList<>();
        for (Tensor t : parts) s.add(Shapes.toString(t.shape()));
        return s.toString();
    }

    /** Pads an axis with a constant value. */
    public Tensor pad(Tensor a, int axis, int before, int after, double value) {
        check(a, "pad");
        int ax = Shapes.axis(axis, a.rank(), "pad");
        if (before < 0 || after < 0) throw new ShapeException("pad: negative padding " + before + ", " + after);
        if (before == 0 && after == 0) return a;
        int len = a.dim(ax);
        int[] out = Shapes.with(a.shape(), ax, len + before + after);
        return make("pad", backend.pad(a, ax, before, after, value), out, a.dtype(), 0, Shapes.size(out),
                g -> new Tensor[] {slice(g, ax, before, before + len)}, a);
    }

    /** Repeats size-1 axes (and adds leading axes) to reach a shape. */
    public Tensor broadcastTo(Tensor a, int... shape) {
        check(a, "broadcastTo");
        int[] target = shape.clone();
        int[] b = Shapes.broadcast(a.shape(), target, "broadcastTo");
        if (!Arrays.equals(b, target)) {
            throw new ShapeException("broadcastTo: " + Shapes.toString(a.shape()) + " cannot be broadcast to " + Shapes.toString(target));
        }
        if (a.sameShape(target)) return a;
        int[] from = a.shape();
        return make("broadcastTo", backend.broadcastTo(a, target), target, a.dtype(), 0, Shapes.size(target),
                g -> new Tensor[] {sumTo(g, from)}, a);
    }

    /** Sums a broadcast gradient back down to a shape (the adjoint of broadcasting). */
    public Tensor sumTo(Tensor g, int[] shape) {
        if (g.sameShape(shape)) return g;
        int[] padded = Shapes.padLeft(shape, g.rank());
        Tensor t = g;
        for (int k = 0; k < g.rank(); k++) {
            if (padded[k] == 1 && g.dim(k) != 1) t = sum(t, k);
        }
        return reshape(t, shape);
    }

    // ------------------------------------------------------------------ matrix products

    public Tensor matmul(Tensor a, Tensor b) {
        return matmul(a, false, b, false);
    }

    /**
     * Batched product op(a) op(b) over the last two axes, op being a transpose when asked; the leading axes
     * broadcast. [.., m, k] x [.., k, n] gives [.., m, n].
     */
    public Tensor matmul(Tensor a, boolean transposeA, Tensor b, boolean transposeB) {
        sameType("matmul", a, b);
        if (a.rank() < 2 || b.rank() < 2) {
            throw new ShapeException("matmul: both operands need rank >= 2, got " + Shapes.toString(a.shape())
                    + " and " + Shapes.toString(b.shape()));
        }
        int m = transposeA ? a.dim(-1) : a.dim(-2);
        int ka = transposeA ? a.dim(-2) : a.dim(-1);
        int kb = transposeB ? b.dim(-1) : b.dim(-2);
        int n = transposeB ? b.dim(-2) : b.dim(-1);
        if (ka != kb) {
            throw new ShapeException("matmul: inner dimensions differ: " + Shapes.toString(a.shape())
                    + (transposeA ? "^T" : "") + " x " + Shapes.toString(b.shape()) + (transposeB ? "^T" : ""));
        }
        int[] batch = Shapes.broadcast(Arrays.copyOf(a.shape(), a.rank() - 2), Arrays.copyOf(b.shape(), b.rank() - 2), "matmul");
        int[] out = Shapes.concat(batch, m, n);
        long flops = 2L * Shapes.size(batch) * m * n * ka;
        int[] aShape = a.shape(), bShape = b.shape();
        boolean sharedMatrix = b.rank() == 2 && a.rank() > 2 && !transposeA;
        return make("matmul", backend.matmul(a, transposeA, b, transposeB, out), out, a.dtype(), flops, 0,
                g -> new Tensor[] {
                        !a.tracksGradient() ? null
                                : sumTo(transposeA ? matmul(b, transposeB, g, true) : matmul(g, false, b, !transposeB), aShape),
                        !b.tracksGradient() ? null
                                : sharedMatrix ? matrixGradient(a, g, transposeB)
                                : sumTo(transposeB ? matmul(g, true, a, transposeA) : matmul(a, !transposeA, g, false), bShape)},
                a, b);
    }

    /**
     * The gradient of a matrix b [k, n] shared by every item of a [.., m, k] (a weight): one tall product over all
     * items, a^T g as [k, items m] x [items m, n], instead of a product per item summed afterwards (measured 25 ms
     * against 0.7 ms for a [16, 256, 64] input on the 2-core CPU). The same FLOPs, and no [items, k, n] intermediate.
     */
    private Tensor matrixGradient(Tensor a, Tensor g, boolean transposeB) {
        Tensor tallA = reshape(a, -1, a.dim(-1)), tallG = reshape(g, -1, g.dim(-1));
        return transposeB ? matmul(tallG, true, tallA, false) : matmul(tallA, true, tallG, false);
    }

    // ------------------------------------------------------------------ fused attention

    /**
     * Attention computed by the backend's fused kernel (see {@link AttentionKernel}): q, k, v are [B, h, n, dh] and
     * so is the result. A backend without a kernel for it throws {@link NoKernelException} naming itself;
     * nothing is computed another way. Counted as 4 dh FLOPs per visible pair, the output and the O(B h n) row
     * statistics a tiled kernel keeps (no n x n matrix).
     *
     * <p>The gradient recomputes the weights with the unfused operations (O(n^2) memory in the backward): the
     * kernels are forward kernels, and a training step through them is the unfused backward after a fused forward.
     */
    public Tensor fusedAttention(AttentionKernel kernel, Tensor q, Tensor k, Tensor v) {
        sameType("fusedAttention", q, k);
        sameType("fusedAttention", q, v);
        if (q.rank() != 4 || !q.sameShape(k.shape()) || !q.sameShape(v.shape())) {
            throw new ShapeException("fusedAttention: q, k and v must share one shape [B, h, n, dh], got "
                    + Shapes.toString(q.shape()) + ", " + Shapes.toString(k.shape()) + " and " + Shapes.toString(v.shape()));
        }
        if (!backend.fusesAttention(kernel, q.dtype())) {
            throw new NoKernelException("backend '" + backend.name() + "' has no fused kernel for " + kernel
                    + " attention in " + q.dtype());
        }
        int n = q.dim(2), dh = q.dim(3);
        long heads = (long) q.dim(0) * q.dim(1);
        long pairs = heads * kernel.visiblePairs(n);
        Tensor out = make("fusedAttention", backend.fusedAttention(kernel, q, k, v), q.shape(), q.dtype(),
                4L * pairs * dh, 4L * pairs, g -> fusedAttentionBackward(kernel, q, k, v, g), q, k, v);
        CostMeter m = meter();
        if (m != null) m.allocate(2L * heads * n * DType.FLOAT32.bytes()); // row maximum and sum, for this op only
        return out;
    }

    /** The gradients of q, k and v, with the weights recomputed by the unfused operations. */
    private Tensor[] fusedAttentionBackward(AttentionKernel kernel, Tensor q, Tensor k, Tensor v, Tensor g) {
        Tensor logits = mul(matmul(q, false, k, true), kernel.scale());
        Tensor mask = kernel.mask(this, q.dim(2));
        boolean softmax = kernel.weighting() == AttentionKernel.Weighting.SOFTMAX;
        Tensor w = softmax ? softmax(logits, -1, mask) : mul(sigmoid(add(logits, kernel.bias())), mask);
        Tensor gw = matmul(g, false, v, true);
        Tensor gLogits = softmax
                ? mul(w, sub(gw, sum(mul(gw, w), -1)))
                : mul(mul(gw, w), add(neg(w), 1.0)); // masked weights are exactly 0, and so are their gradients
        Tensor gs = mul(gLogits, kernel.scale());
        return new Tensor[] {
                q.tracksGradient() ? matmul(gs, k) : null,
                k.tracksGradient() ? matmul(gs, true, q, false) : null,
                v.tracksGradient() ? matmul(w, true, g, false) : null};
    }

    // ------------------------------------------------------------------ elementwise

    private Tensor unary(String name, Unary op, Tensor a, Tape.Backward backward) {
        check(a, name);
        return make(name, backend.unary(op, a), a.shape(), a.dtype(), 0, a.size(), backward, a);
    }

    public Tensor neg(Tensor a) {
        return unary("neg", Unary.NEG, a, g -> new Tensor[] {neg(g)});
    }

    public Tensor exp(Tensor a) {
        Tensor[] y = new Tensor[1];
        y[0] = unary("exp", Unary.EXP, a, g -> new Tensor[] {mul(g, y[0])});
        return y[0];
    }

    public Tensor log(Tensor a) {
        return unary("log", Unary.LOG, a, g -> new Tensor[] {div(g, a)});
    }

    public Tensor sigmoid(Tensor a) {
        Tensor[] y = new Tensor[1];
        y[0] = unary("sigmoid", Unary.SIGMOID, a, g -> new Tensor[] {mul(g, mul(y[0], scalar(Scalar.ADD, neg(y[0]), 1.0)))});
        return y[0];
    }

    public Tensor tanh(Tensor a) {
        Tensor[] y = new Tensor[1];
        y[0] = unary("tanh", Unary.TANH, a, g -> new Tensor[] {mul(g, scalar(Scalar.ADD, neg(square(y[0])), 1.0))});
        return y[0];
    }

    /** GELU with the exact Gaussian CDF: x * Phi(x). */
    public Tensor gelu(Tensor a) {
        return unary("gelu", Unary.GELU, a, g -> new Tensor[] {mul(g, unary("geluDerivative", Unary.GELU_DERIVATIVE, a, null))});
    }

    public Tensor relu(Tensor a) {
        return unary("relu", Unary.RELU, a, g -> new Tensor[] {mul(g, unary("step", Unary.STEP, a, null))});
    }

    public Tensor sqrt(Tensor a) {
        Tensor[] y = new Tensor[1];
        y[0] = unary("sqrt", Unary.SQRT, a, g -> new Tensor[] {div(mul(g, 0.5), y[0])});
        return y[0];
    }

    public Tensor reciprocal(Tensor a) {
        Tensor[] y = new Tensor[1];
        y[0] = unary("reciprocal", Unary.RECIPROCAL, a, g -> new Tensor[] {neg(mul(g, square(y[0])))});
        return y[0];
    }

    public Tensor square(Tensor a) {
        return unary("square", Unary.SQUARE, a, g -> new Tensor[] {mul(g, mul(a, 2.0))});
    }

    public Tensor abs(Tensor a) {
        return unary("abs", Unary.ABS, a, g -> new Tensor[] {mul(g, unary("sign", Unary.SIGN, a, null))});
    }

    private Tensor scalar(Scalar op, Tensor a, double s) {
        check(a, "scalar " + op);
        Tape.Backward bw = switch (op) {
            case ADD -> g -> new Tensor[] {g};
            case MUL -> g -> new Tensor[] {mul(g, s)};
            case POW -> g -> new Tensor[] {mul(g, mul(scalar(Scalar.POW, a, s - 1), s))};
            case MAXIMUM -> g -> new Tensor[] {mul(g, unary("step", Unary.STEP, scalar(Scalar.ADD, a, -s), null))};
            case MINIMUM -> g -> new Tensor[] {mul(g, unary("step", Unary.STEP, scalar(Scalar.MUL, scalar(Scalar.ADD, a, -s), -1), null))};
        };
        return make(op.name().toLowerCase(), backend.scalar(op, a, s), a.shape(), a.dtype(), 0, a.size(), bw, a);
    }

    public Tensor add(Tensor a, double s) {
        return s == 0.0 ? a : scalar(Scalar.ADD, a, s);
    }

    public Tensor mul(Tensor a, double s) {
        return s == 1.0 ? a : scalar(Scalar.MUL, a, s);
    }

    public Tensor pow(Tensor a, double p) {
        return scalar(Scalar.POW, a, p);
    }

    public Tensor maximum(Tensor a, double s) {
        return scalar(Scalar.MAXIMUM, a, s);
    }

    public Tensor minimum(Tensor a, double s) {
        return scalar(Scalar.MINIMUM, a, s);
    }

    private Tensor binary(String name, Binary op, Tensor a, Tensor b, Tape.Backward backward) {
        sameType(name, a, b);
        int[] out = Shapes.broadcast(a.shape(), b.shape(), name);
        return make(name, backend.binary(op, a, b, out), out, a.dtype(), 0, Shapes.size(out), backward, a, b);
    }

    public Tensor add(Tensor a, Tensor b) {
        int[] as = a.shape(), bs = b.shape();
        return binary("add", Binary.ADD, a, b, g -> new Tensor[] {sumTo(g, as), sumTo(g, bs)});
    }

    public Tensor sub(Tensor a, Tensor b) {
        int[] as = a.shape(), bs = b.shape();
        return binary("sub", Binary.SUB, a, b, g -> new Tensor[] {sumTo(g, as), sumTo(neg(g), bs)});
    }

    public Tensor mul(Tensor a, Tensor b) {
        int[] as = a.shape(), bs = b.shape();
        return binary("mul", Binary.MUL, a, b, g -> new Tensor[] {
                a.tracksGradient() ? sumTo(mul(g, b), as) : null,
                b.tracksGradient() ? sumTo(mul(g, a), bs) : null});
    }

    public Tensor div(Tensor a, Tensor b) {
        int[] as = a.shape(), bs = b.shape();
        return binary("div", Binary.DIV, a, b, g -> {
            Tensor ga = div(g, b);
            return new Tensor[] {sumTo(ga, as), b.tracksGradient() ? sumTo(neg(div(mul(ga, a), b)), bs) : null};
        });
    }

    /** Elementwise maximum; at ties the gradient goes to the second operand. */
    public Tensor maximum(Tensor a, Tensor b) {
        int[] as = a.shape(), bs = b.shape();
        return binary("maximum", Binary.MAXIMUM, a, b, g -> {
            Tensor aWins = greater(a, b);
            return new Tensor[] {sumTo(mul(g, aWins), as), sumTo(sub(g, mul(g, aWins)), bs)};
        });
    }

    /** Elementwise minimum; at ties the gradient goes to the second operand. */
    public Tensor minimum(Tensor a, Tensor b) {
        int[] as = a.shape(), bs = b.shape();
        return binary("minimum", Binary.MINIMUM, a, b, g -> {
            Tensor aWins = greater(b, a);
            return new Tensor[] {sumTo(mul(g, aWins), as), sumTo(sub(g, mul(g, aWins)), bs)};
        });
    }

    /** 1 where a > b, else 0 (no gradient). */
    public Tensor greater(Tensor a, Tensor b) {
        return binary("greater", Binary.GREATER, a, b, null);
    }

    /** 1 where a == b, else 0 (no gradient). */
    public Tensor equal(Tensor a, Tensor b) {
        return binary("equal", Binary.EQUAL, a, b, null);
    }

    /** Select by mask: where mask is nonzero take a, else b; all three broadcast together. */
    public Tensor where(Tensor mask, Tensor a, Tensor b) {
        sameType("where", a, b);
        sameType("where", mask, a);
        int[] out = Shapes.broadcast(Shapes.broadcast(mask.shape(), a.shape(), "where"), b.shape(), "where");
        int[] as = a.shape(), bs = b.shape();
        Tensor m = detach(mask);
        return make("where", backend.where(m, a, b, out), out, a.dtype(), 0, Shapes.size(out), g -> {
            Tensor zero = zeros(1);
            return new Tensor[] {null,
                    a.tracksGradient() ? sumTo(where(m, g, zero), as) : null,
                    b.tracksGradient() ? sumTo(where(m, zero, g), bs) : null};
        }, m, a, b);
    }

    // ------------------------------------------------------------------ reductions and scans

    private Tensor reduce(String name, Reduce op, Tensor a, int axis, Tape.Backward backward) {
        check(a, name);
        int ax = Shapes.axis(axis, a.rank(), name);
        int[] out = Shapes.with(a.shape(), ax, 1);
        return make(name, backend.reduce(op, a, ax), out, a.dtype(), 0, a.size(), backward, a);
    }

    /** Sum along an axis, keeping it with size 1. */
    public Tensor sum(Tensor a, int axis) {
        int[] as = a.shape();
        return reduce("sum", Reduce.SUM, a, axis, g -> new Tensor[] {broadcastTo(g, as)});
    }

    /** Mean along an axis, keeping it with size 1. */
    public Tensor mean(Tensor a, int axis) {
        int[] as = a.shape();
        int n = a.dim(axis);
        return reduce("mean", Reduce.MEAN, a, axis, g -> new Tensor[] {broadcastTo(mul(g, 1.0 / n), as)});
    }

    /** Maximum along an axis, keeping it with size 1; at ties the gradient is shared equally. */
    public Tensor max(Tensor a, int axis) {
        Tensor[] y = new Tensor[1];
        y[0] = reduce("max", Reduce.MAX, a, axis, g -> {
            Tensor hit = equal(a, y[0]);
            return new Tensor[] {mul(div(hit, sum(hit, axis)), g)};
        });
        return y[0];
    }

    /** Sum of all elements, as a one-element tensor of shape [1]. */
    public Tensor sumAll(Tensor a) {
        return sum(reshape(a, (int) a.size()), 0);
    }

    public Tensor meanAll(Tensor a) {
        return mean(reshape(a, (int) a.size()), 0);
    }

    /** Inclusive prefix sum along an axis. */
    public Tensor cumsum(Tensor a, int axis) {
        return scan("cumsum", Scan.SUM, a, axis, false);
    }

    /** Inclusive suffix sum along an axis: out[i] = sum over j >= i. */
    public Tensor cumsumReverse(Tensor a, int axis) {
        return scan("cumsumReverse", Scan.SUM, a, axis, true);
    }

    private Tensor scan(String name, Scan op, Tensor a, int axis, boolean reverse) {
        check(a, name);
        int ax = Shapes.axis(axis, a.rank(), name);
        return make(name, backend.scan(op, a, ax, reverse), a.shape(), a.dtype(), 0, a.size(),
                g -> new Tensor[] {scan(reverse ? "cumsum" : "cumsumReverse", Scan.SUM, g, ax, !reverse)}, a);
    }

    /** Running maximum along an axis; the gradient of out[i] flows to the position that set the maximum. */
    public Tensor cummax(Tensor a, int axis) {
        check(a, "cummax");
        int ax = Shapes.axis(axis, a.rank(), "cummax");
        return make("cummax", backend.scan(Scan.MAX, a, ax, false), a.shape(), a.dtype(), 0, a.size(),
                g -> new Tensor[] {make("cummaxBackward", backend.cummaxBackward(a, g, ax), a.shape(), a.dtype(), 0,
                        a.size(), null, a, g)}, a);
    }

    /**
     * The linear recurrence h[t] = decay[t] * h[t-1] + x[t] along an axis (h[0] = x[0]; decay[0] is not used). With
     * decays in (0, 1] it accumulates without overflow what a cumulative sum of rescaled terms would not, e.g. a
     * prefix sum of exp(k - running max) (AFT-simple, causal).
     */
    public Tensor decayScan(Tensor decay, Tensor x, int axis) {
        return decayScan(decay, x, axis, false);
    }

    /** The same recurrence from the end: h[t] = decay[t] * h[t+1] + x[t] (decay[last] is not used). */
    public Tensor decayScanReverse(Tensor decay, Tensor x, int axis) {
        return decayScan(decay, x, axis, true);
    }

    private Tensor decayScan(Tensor decay, Tensor x, int axis, boolean reverse) {
        String name = reverse ? "decayScanReverse" : "decayScan";
        sameType(name, decay, x);
        if (!decay.sameShape(x.shape())) {
            throw new ShapeException(name + ": decay " + Shapes.toString(decay.shape()) + " and x "
                    + Shapes.toString(x.shape()) + " must have one shape");
        }
        int ax = Shapes.axis(axis, x.rank(), name);
        int len = x.dim(ax);
        Tensor[] h = new Tensor[1];
        // dh[t]/dx[t'] is the product of the decays between them, so the input's gradient is the same recurrence
        // run the other way with the decays moved by one; decay[t]'s gradient is that times the neighbouring h.
        Tape.Backward bw = g -> {
            Tensor gx = decayScan(shift(decay, ax, len, reverse), g, ax, !reverse);
            return new Tensor[] {mul(gx, shift(h[0], ax, len, !reverse)), gx};
        };
        h[0] = make(name, backend.decayScan(decay, x, ax, reverse), x.shape(), x.dtype(), 0, 2 * x.size(), bw, decay, x);
        return h[0];
    }

    /** a moved by one along the axis, zero filled: down (a[t-1] at t) or up (a[t+1] at t). */
    private Tensor shift(Tensor a, int axis, int len, boolean down) {
        return down ? slice(pad(a, axis, 1, 0, 0.0), axis, 0, len) : slice(pad(a, axis, 0, 1, 0.0), axis, 1, len + 1);
    }

    // ------------------------------------------------------------------ normalisation

    public Tensor softmax(Tensor a, int axis) {
        return softmax(a, axis, null);
    }

    /**
     * Softmax along an axis. With a mask (0/1, broadcastable to a), masked entries get probability exactly 0 and a
     * row with nothing allowed is all 0.
     */
    public Tensor softmax(Tensor a, int axis, Tensor mask) {
        check(a, "softmax");
        int ax = Shapes.axis(axis, a.rank(), "softmax");
        Tensor m = null;
        if (mask != null) {
            sameType("softmax", a, mask);
            int[] b = Shapes.broadcast(a.shape(), mask.shape(), "softmax mask");
            if (!a.sameShape(b)) {
                throw new ShapeException("softmax: mask " + Shapes.toString(mask.shape()) + " must broadcast to "
                        + Shapes.toString(a.shape()));
            }
            m = detach(mask);
        }
        Tensor[] y = new Tensor[1];
        Tape.Backward bw = g -> {
            Tensor gy = mul(g, y[0]);
            return new Tensor[] {sub(gy, mul(y[0], sum(gy, ax))), null};
        };
        Object h = backend.softmax(a, ax, m);
        y[0] = m == null
                ? make("softmax", h, a.shape(), a.dtype(), 0, 5 * a.size(), bw, a)
                : make("softmax", h, a.shape(), a.dtype(), 0, 5 * a.size(), bw, a, m);
        return y[0];
    }

    /** log(softmax(a)) along an axis, computed stably. */
    public Tensor logSoftmax(Tensor a, int axis) {
        Tensor shifted = sub(a, detach(max(a, axis)));
        return sub(shifted, log(sum(exp(shifted), axis)));
    }

    /** Layer normalisation over the last axis, then a per-channel scale and shift (either may be null). */
    public Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta, double eps) {
        Tensor centred = sub(x, mean(x, -1));
        Tensor variance = mean(square(centred), -1);
        Tensor y = mul(centred, reciprocal(sqrt(add(variance, eps))));
        if (gamma != null) y = mul(y, gamma);
        if (beta != null) y = add(y, beta);
        return y;
    }

    /** Mean cross-entropy of logits [N, C] against integer targets in [0, C). */
    public Tensor crossEntropy(Tensor logits, int[] targets) {
        if (logits.rank() != 2 || logits.dim(0) != targets.length) {
            throw new ShapeException("crossEntropy: logits " + Shapes.toString(logits.shape()) + " do not match "
                    + targets.length + " targets");
        }
        int c = logits.dim(1);
        double[] oneHot = new double[targets.length * c];
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] < 0 || targets[i] >= c) {
                throw new IllegalArgumentException("crossEntropy: target " + targets[i] + " outside [0, " + c + ")");
            }
            oneHot[i * c + targets[i]] = 1.0;
        }
        Tensor picked = sumAll(mul(logSoftmax(logits, 1), constant(logits.dtype(), oneHot, targets.length, c)));
        return mul(picked, -1.0 / targets.length);
    }

    // ------------------------------------------------------------------ indexing

    /** out takes slices of a along an axis at the given indices; the index shape replaces that axis. */
    public Tensor gather(Tensor a, int axis, int[] index, int... indexShape) {
        check(a, "gather");
        int ax = Shapes.axis(axis, a.rank(), "gather");
        int[] idxShape = indexShape.length == 0 ? new int[] {index.length} : indexShape.clone();
        if (Shapes.size(idxShape) != index.length) {
            throw new ShapeException("gather: " + index.length + " indices do not fill shape " + Shapes.toString(idxShape));
        }
        int len = a.dim(ax);
        for (int i : index) {
            if (i < 0 || i >= len) throw new ShapeException("gather: index " + i + " outside axis " + ax + " of size " + len);
        }
        int[] as = a.shape();
        int[] out = new int[a.rank() - 1 + idxShape.length];
        System.arraycopy(as, 0, out, 0, ax);
        System.arraycopy(idxShape, 0, out, ax, idxShape.length);
        System.arraycopy(as, ax + 1, out, ax + idxShape.length, as.length - ax - 1);
        int[] idx = index.clone();
        return make("gather", backend.gather(a, ax, idx, idxShape, out), out, a.dtype(), 0, Shapes.size(out),
                g -> new Tensor[] {make("scatterAdd", backend.scatterAdd(g, ax, idx, idxShape, as), as, a.dtype(), 0,
                        g.size(), null, g)}, a);
    }

    // ------------------------------------------------------------------ Fourier

    /** Real part of the 2-D discrete Fourier transform of a real tensor over its last two axes. */
    public Tensor fft2Real(Tensor a) {
        return fft2(a, false);
    }

    /** Imaginary part of the 2-D discrete Fourier transform of a real tensor over its last two axes. */
    public Tensor fft2Imag(Tensor a) {
        return fft2(a, true);
    }

    private Tensor fft2(Tensor a, boolean imaginary) {
        check(a, "fft2");
        if (a.rank() < 2) throw new ShapeException("fft2: needs rank >= 2, got " + Shapes.toString(a.shape()));
        long n = (long) a.dim(-2) * a.dim(-1);
        long batches = a.size() / n;
        // The usual 5 N log2 N for a complex FFT, halved for real input.
        long flops = (long) (2.5 * n * (Math.log(n) / Math.log(2))) * batches;
        // The DFT matrices are symmetric, so each part is its own adjoint: d Re(F X F') = Re(F G F').
        return make(imaginary ? "fft2Imag" : "fft2Real", backend.fft2(a, imaginary), a.shape(), a.dtype(), flops, 0,
                g -> new Tensor[] {fft2(g, imaginary)}, a);
    }
}
