package org.attnbench.backend.cpu;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED;
import static org.attnbench.backend.cpu.ElementwiseKernels.getD;
import static org.attnbench.backend.cpu.ElementwiseKernels.getF;
import static org.attnbench.backend.cpu.ElementwiseKernels.setD;
import static org.attnbench.backend.cpu.ElementwiseKernels.setF;

import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.attnbench.api.AttentionKernel;
import org.attnbench.api.Backend;
import org.attnbench.api.DType;
import org.attnbench.api.Shapes;
import org.attnbench.api.Tensor;
import org.attnbench.backend.cpu.AxisKernels.Lines;
import org.jtransforms.fft.DoubleFFT_1D;
import org.jtransforms.fft.DoubleFFT_2D;
import org.jtransforms.fft.FloatFFT_1D;
import org.jtransforms.fft.FloatFFT_2D;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The CPU backend: float32 and float64 tensors held as ND4J INDArrays. Matrix products go to OpenBLAS through
 * libnd4j; elementwise operations, reductions, scans, softmax, indexing and copies of transposed views run as Java
 * kernels (the Vector API for float32) directly on the arrays' off-heap memory, which measured as fast as
 * libnd4j's own or faster (exp 3.7x, reductions 4-25x, calls on tiny tensors 2-9x; see the kernel classes).
 * ND4J keeps the layout bookkeeping: views from permute, slice and reshape, and copies of other views. Fused
 * attention ({@link FusedAttentionKernel}) is plain Java on the Vector API, on the Java threads.
 *
 * <p>Layout: every array this class allocates is row-major ('c') and contiguous, and every kernel reads its
 * inputs that way, copying a view first when it is not; the fused attention kernel alone reads views where they lie
 * and hands its result back as a view (see {@link #fusedAttention}). Matrix products are written by libnd4j's batched matmul
 * straight into a row-major result: QK^T for 8 heads at n = 4096 took 101-103 ms that way, against 105-112 ms for
 * BLAS writing the transposed product into a column-major view of the same memory head by head. INDArray.mmul
 * into a row-major result is the path that ran 8x slower and is not used.
 *
 * <p>Memory: fresh off-heap buffers are slow to touch on first use (exp of [8, 4096, 4096] took 265 ms and more
 * into a fresh array, 51 ms into reused memory), so {@link #callScope()} runs a timed call inside an ND4J
 * workspace whose memory the next call reuses, as a caching allocator would.
 *
 * <p>Tensors are immutable: nothing here writes into an input or into an array a view may share; kernels write
 * only into arrays allocated for their result.
 */
public final class Nd4jBackend implements Backend {
    private static final WorkspaceConfiguration CALL_WORKSPACE = WorkspaceConfiguration.builder()
            .initialSize(0).policyAllocation(AllocationPolicy.STRICT).policyLearning(LearningPolicy.FIRST_LOOP)
            .policySpill(SpillPolicy.REALLOCATE).build();
    private static final String WORKSPACE_ID = "attnbench-call";
    private static final double SQRT1_2 = Math.sqrt(0.5);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

    /** Whether fused attention in float32 uses the Vector API (-Dattnbench.vector=false: the scalar path). */
    private final boolean vectorAttention;

    public Nd4jBackend() {
        this(FusedAttentionKernel.vectorByDefault());
    }

    /** A backend whose fused attention takes the Vector API path or the scalar one (tests compare the two). */
    Nd4jBackend(boolean vectorAttention) {
        this.vectorAttention = vectorAttention;
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String device() {
        return "cpu";
    }

    @Override
    public String description() {
        var env = Nd4j.getExecutioner().getEnvironmentInformation();
        return "ND4J " + Nd4jBackendProvider.nd4jVersion() + " (" + Nd4jBackendProvider.loadedNatives() + ") on "
                + env.get("blas.vendor") + " " + Nd4jBackendProvider.openBlasVersion() + ", " + env.get("omp.threads")
                + " threads; Java kernels on " + Parallel.threads() + " threads; "
                + FusedAttentionKernel.describe(vectorAttention);
    }

    @Override
    public Set<DType> dtypes() {
        return EnumSet.of(DType.FLOAT32, DType.FLOAT64);
    }

    @Override
    public CallScope callScope() {
        MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(CALL_WORKSPACE, WORKSPACE_ID);
        return ws::close;
    }

    // ------------------------------------------------------------------ arrays and their memory

    private static INDArray nd(Tensor t) {
        return (INDArray) t.handle();
    }

    private static DataType type(DType t) {
        return switch (t) {
            case FLOAT32 -> DataType.FLOAT;
            case FLOAT64 -> DataType.DOUBLE;
            default -> throw new IllegalArgumentException("the cpu backend has no " + t);
        };
    }

    private static boolean float64(Tensor t) {
        return t.dtype() == DType.FLOAT64;
    }

    private static long[] longs(int[] shape) {
        long[] l = new long[shape.length];
        for (int i = 0; i < shape.length; i++) l[i] = shape[i];
        return l;
    }

    private static int[] ints(long[] shape) {
        int[] s = new int[shape.length];
        for (int i = 0; i < s.length; i++) s[i] = Math.toIntExact(shape[i]);
        return s;
    }

    /** A new row-major array; inside a call scope it comes from the scope's workspace. */
    private static INDArray allocate(int[] shape, DType dtype) {
        return Nd4j.createUninitialized(type(dtype), longs(shape), 'c');
    }

    private static INDArray allocate(long[] shape, DataType type) {
        return Nd4j.createUninitialized(type, shape, 'c');
    }

    /**
     * True when the elements lie in row-major order one after another from the array's offset. ND4J's own flags
     * do not say this (isView() is false for a permuted array), so it is read from the strides; the strides of
     * size-1 axes do not matter.
     */
    private static boolean isDense(INDArray a) {
        long expected = 1;
        long[] shape = a.shape(), stride = a.stride();
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && stride[d] != expected) return false;
            expected *= shape[d];
        }
        return true;
    }

    /**
     * The array itself when dense, else a dense copy. A view with its last two axes swapped (a transpose) is
     * copied by a tiled kernel, which is several times faster than ND4J's dup for large matrices.
     */
    private static INDArray dense(INDArray a) {
        if (isDense(a)) return a;
        INDArray swapped = swapLastAxes(a);
        if (swapped == null || !isDense(swapped)) return a.dup('c');
        INDArray out = allocate(a.shape(), a.dataType());
        long rows = swapped.size(-2), cols = swapped.size(-1);
        TransposeKernel.run(segment(swapped), segment(out), a.length() / (rows * cols), rows, cols, a.dataType().width());
        Reference.reachabilityFence(swapped);
        return out;
    }

    /** The view with its last two axes swapped; null below rank 2. */
    private static INDArray swapLastAxes(INDArray a) {
        int rank = a.rank();
        if (rank < 2) return null;
        int[] swap = new int[rank];
        for (int d = 0; d < rank; d++) swap[d] = d;
        swap[rank - 2] = rank - 1;
        swap[rank - 1] = rank - 2;
        return a.permute(swap);
    }

    /** The array in another shape; the same object when the shape is already right (a reshape costs microseconds). */
    private static INDArray reshaped(INDArray a, long... shape) {
        return Arrays.equals(a.shape(), shape) ? a : a.reshape('c', shape);
    }

    /**
     * The memory of a dense array, from its first element. The array must stay reachable while the segment is used
     * (its buffer is freed when it is collected), hence the reachability fences after each kernel. Giving a raw
     * address a size is a restricted operation: the JVM runs with --enable-native-access for ND4J anyway.
     */
    @SuppressWarnings("restricted")
    private static MemorySegment segment(INDArray a) {
        long width = a.dataType().width();
        return MemorySegment.ofAddress(a.data().address() + a.offset() * width).reinterpret(a.length() * width);
    }

    // ------------------------------------------------------------------ data movement

    @Override
    public Object upload(double[] rowMajor, int[] shape, DType dtype) {
        INDArray out = allocate(shape, dtype);
        MemorySegment s = segment(out);
        if (dtype == DType.FLOAT64) {
            MemorySegment.copy(rowMajor, 0, s, JAVA_DOUBLE_UNALIGNED, 0, rowMajor.length);
        } else {
            float[] f = new float[rowMajor.length];
            for (int i = 0; i < f.length; i++) f[i] = (float) rowMajor[i];
            MemorySegment.copy(f, 0, s, JAVA_FLOAT_UNALIGNED, 0, f.length);
        }
        return out;
    }

    @Override
    public Object full(int[] shape, DType dtype, double value) {
        INDArray out = allocate(shape, dtype);
        ElementwiseKernels.fill(segment(out), out.length(), value, dtype == DType.FLOAT64);
        return out;
    }

    @Override
    public Object band(int rows, int cols, int lower, int upper, DType dtype) {
        INDArray out = allocate(new int[] {rows, cols}, dtype);
        boolean f64 = dtype == DType.FLOAT64;
        int width = f64 ? 8 : 4;
        MemorySegment s = segment(out);
        ElementwiseKernels.fill(s, out.length(), 0.0, f64);
        for (int i = 0; i < rows; i++) {
            int from = Math.max(0, i + lower), to = Math.min(cols - 1, i + upper);
            if (from <= to) {
                ElementwiseKernels.fill(s.asSlice(((long) i * cols + from) * width), to - from + 1, 1.0, f64);
            }
        }
        return out;
    }

    @Override
    public double[] download(Tensor t) {
        INDArray a = dense(nd(t));
        int n = Math.toIntExact(a.length());
        double[] r = new double[n];
        MemorySegment s = segment(a);
        if (float64(t)) {
            MemorySegment.copy(s, JAVA_DOUBLE_UNALIGNED, 0, r, 0, n);
        } else {
            float[] f = new float[n];
            MemorySegment.copy(s, JAVA_FLOAT_UNALIGNED, 0, f, 0, n);
            for (int i = 0; i < n; i++) r[i] = f[i];
        }
        Reference.reachabilityFence(a);
        return r;
    }

    @Override
    public Object cast(Tensor a, DType to) {
        INDArray x = dense(nd(a));
        INDArray out = allocate(a.shape(), to);
        MemorySegment in = segment(x), o = segment(out);
        long n = x.length();
        if (to == DType.FLOAT64) {
            for (long i = 0; i < n; i++) setD(o, i, getF(in, i));
        } else {
            for (long i = 0; i < n; i++) setF(o, i, (float) getD(in, i));
        }
        Reference.reachabilityFence(x);
        return out;
    }

    // ------------------------------------------------------------------ layout

    @Override
    public Object reshape(Tensor a, int[] shape) {
        // A view where the strides allow it; ND4J copies otherwise.
        return nd(a).reshape('c', longs(shape));
    }

    @Override
    public Object permute(Tensor a, int[] perm) {
        return nd(a).permute(perm);
    }

    @Override
    public Object slice(Tensor a, int axis, int start, int end) {
        INDArrayIndex[] indices = new INDArrayIndex[a.rank()];
        for (int d = 0; d < indices.length; d++) indices[d] = d == axis ? NDArrayIndex.interval(start, end) : NDArrayIndex.all();
        return nd(a).get(indices);
    }

    @Override
    public Object concat(List<Tensor> parts, int axis, int[] outShape) {
        DType dtype = parts.get(0).dtype();
        INDArray out = allocate(outShape, dtype);
        MemorySegment o = segment(out);
        Lines lines = Lines.of(outShape, axis);
        int width = dtype.bytes();
        long at = 0;
        for (Tensor part : parts) {
            INDArray p = dense(nd(part));
            long block = part.dim(axis) * lines.inner() * width;
            copyBlocks(segment(p), block, o, lines.len() * lines.inner() * width, at * lines.inner() * width, lines.outer());
            Reference.reachabilityFence(p);
            at += part.dim(axis);
        }
        return out;
    }

    /** Copies `count` blocks of `block` bytes, packed in `from`, to `to` at a stride, starting at an offset. */
    private static void copyBlocks(MemorySegment from, long block, MemorySegment to, long stride, long offset, long count) {
        for (long o = 0; o < count; o++) MemorySegment.copy(from, o * block, to, offset + o * stride, block);
    }

    @Override
    public Object pad(Tensor a, int axis, int before, int after, double value) {
        int[] outShape = Shapes.with(a.shape(), axis, a.dim(axis) + before + after);
        INDArray x = dense(nd(a));
        INDArray out = allocate(outShape, a.dtype());
        MemorySegment o = segment(out);
        ElementwiseKernels.fill(o, out.length(), value, float64(a));
        Lines lines = Lines.of(outShape, axis);
        int width = a.dtype().bytes();
        copyBlocks(segment(x), (long) a.dim(axis) * lines.inner() * width, o, lines.len() * lines.inner() * width,
                (long) before * lines.inner() * width, lines.outer());
        Reference.reachabilityFence(x);
        return out;
    }

    @Override
    public Object broadcastTo(Tensor a, int[] shape) {
        INDArray x = dense(nd(a));
        INDArray out = allocate(shape, a.dtype());
        ElementwiseKernels.broadcast(new BroadcastLoop(shape, a.shape()), segment(x), segment(out), float64(a));
        Reference.reachabilityFence(x);
        return out;
    }

    // ------------------------------------------------------------------ products

    /** A matrix operand as BLAS takes it: a dense array and whether to use it transposed. */
    private record Operand(INDArray array, boolean transpose) {
        long rows() {
            return array.size(-2);
        }

        long cols() {
            return array.size(-1);
        }

        /** The operand as [items, rows, cols]. */
        INDArray batched() {
            return reshaped(array, array.length() / (rows() * cols()), rows(), cols());
        }
    }

    /**
     * A view whose last two axes are swapped (Ops.transpose of a dense tensor) is used as the dense array under it
     * with the transpose flag flipped, so no copy is made; other views are copied.
     */
    private static Operand operand(INDArray x, boolean transpose) {
        if (isDense(x)) return new Operand(x, transpose);
        INDArray swapped = swapLastAxes(x);
        if (isDense(swapped)) return new Operand(swapped, !transpose);
        return new Operand(x.dup('c'), transpose);
    }

    @Override
    public Object matmul(Tensor a, boolean ta, Tensor b, boolean tb, int[] outShape) {
        int rank = outShape.length;
        int m = outShape[rank - 2], n = outShape[rank - 1];
        Operand left = operand(nd(a), ta), right = operand(nd(b), tb);
        long leftItems = a.size() / ((long) a.dim(-2) * a.dim(-1)), rightItems = b.size() / ((long) b.dim(-2) * b.dim(-1));
        if (rightItems == 1 && !left.transpose()) {
            // Every item against one matrix (a weight [d, d] against [B, n, d]): one tall product
            // [items * m, k] x [k, n], which keeps BLAS at full speed where per-item products would be small.
            INDArray tall = reshaped(left.array(), leftItems * m, left.cols());
            INDArray matrix = reshaped(right.array(), right.rows(), right.cols());
            INDArray out = allocate(new int[] {Math.toIntExact(leftItems * m), n}, a.dtype());
            Nd4j.matmul(tall, matrix, out, false, right.transpose(), false);
            return reshaped(out, longs(outShape));
        }
        int[] batch = Arrays.copyOf(outShape, rank - 2);
        int items = (int) Shapes.size(batch);
        // Batch axes that broadcast (a [1, h] side against [B, h], a matrix against a batch) are spelled out
        // first: one batched product beats a loop of per-item products, and ND4J's per-item views proved fragile
        // (INDArray.slice of an offset view returned a rank-0 array).
        INDArray lefts = leftItems == items ? left.batched() : spread(left, batch, a.dtype());
        INDArray rights = rightItems == items ? right.batched() : spread(right, batch, b.dtype());
        INDArray out = allocate(new int[] {items, m, n}, a.dtype());
        // libnd4j's batched product, measured 2-4x faster than a loop of per-item products at n = 256 and as fast
        // at n = 4096.
        Nd4j.matmul(lefts, rights, out, left.transpose(), right.transpose(), false);
        return reshaped(out, longs(outShape));
    }

    /** An operand repeated over the output's batch axes, as [items, rows, cols]. */
    private static INDArray spread(Operand operand, int[] batch, DType dtype) {
        int[] from = ints(operand.array().shape());
        int[] to = Shapes.concat(batch, from[from.length - 2], from[from.length - 1]);
        INDArray out = allocate(to, dtype);
        ElementwiseKernels.broadcast(new BroadcastLoop(to, from), segment(operand.array()), segment(out), dtype == DType.FLOAT64);
        return reshaped(out, Shapes.size(batch), operand.rows(), operand.cols());
    }

    // ------------------------------------------------------------------ elementwise

    @Override
    public Object unary(Unary op, Tensor t) {
        INDArray x = dense(nd(t));
        if (op == Unary.GELU || op == Unary.GELU_DERIVATIVE) return gelu(x, op == Unary.GELU_DERIVATIVE);
        INDArray out = allocate(t.shape(), t.dtype());
        ElementwiseKernels.unary(op, segment(x), segment(out), x.length(), float64(t));
        Reference.reachabilityFence(x);
        return out;
    }

    /**
     * GELU with the exact normal distribution function, x Phi(x), or its derivative Phi(x) + x phi(x); Phi comes
     * from libnd4j's erf (its own GELU operations are approximations). Every ND4J op here writes into an array it
     * has just made.
     */
    private static INDArray gelu(INDArray x, boolean derivative) {
        INDArray scaled = x.mul(SQRT1_2);
        INDArray cdf = Nd4j.exec(new Erf(scaled, scaled)).addi(1.0).muli(0.5);
        if (!derivative) return cdf.muli(x);
        INDArray density = Transforms.exp(x.mul(x).muli(-0.5), false).muli(INV_SQRT_2PI);
        return cdf.addi(density.muli(x));
    }

    @Override
    public Object scalar(Scalar op, Tensor t, double s) {
        INDArray x = dense(nd(t));
        INDArray out = allocate(t.shape(), t.dtype());
        ElementwiseKernels.scalar(op, segment(x), s, segment(out), x.length(), float64(t));
        Reference.reachabilityFence(x);
        return out;
    }

    @Override
    public Object binary(Binary op, Tensor ta, Tensor tb, int[] outShape) {
        INDArray a = dense(nd(ta)), b = dense(nd(tb));
        INDArray out = allocate(outShape, ta.dtype());
        ElementwiseKernels.binary(op, new BroadcastLoop(outShape, ta.shape(), tb.shape()), segment(a), segment(b),
                segment(out), float64(ta));
        Reference.reachabilityFence(a);
        Reference.reachabilityFence(b);
        return out;
    }

    @Override
    public Object where(Tensor mask, Tensor ta, Tensor tb, int[] outShape) {
        INDArray m = dense(nd(mask)), a = dense(nd(ta)), b = dense(nd(tb));
        INDArray out = allocate(outShape, ta.dtype());
        ElementwiseKernels.select(new BroadcastLoop(outShape, mask.shape(), ta.shape(), tb.shape()), segment(m),
                segment(a), segment(b), segment(out), float64(ta));
        Reference.reachabilityFence(m);
        Reference.reachabilityFence(a);
        Reference.reachabilityFence(b);
        return out;
    }

    // ------------------------------------------------------------------ along an axis

    @Override
    public Object reduce(Reduce op, Tensor t, int axis) {
        INDArray x = dense(nd(t));
        INDArray out = allocate(Shapes.with(t.shape(), axis, 1), t.dtype());
        AxisKernels.reduce(op, segment(x), segment(out), Lines.of(t.shape(), axis), float64(t));
        Reference.reachabilityFence(x);
        return out;
    }

    @Override
    public Object scan(Scan op, Tensor t, int axis, boolean reverse) {
        INDArray x = dense(nd(t));
        INDArray out = allocate(t.shape(), t.dtype());
        AxisKernels.scan(op, reverse, segment(x), segment(out), Lines.of(t.shape(), axis), float64(t));
        Reference.reachabilityFence(x);
        return out;
    }

    @Override
    public Object decayScan(Tensor decay, Tensor x, int axis, boolean reverse) {
        INDArray ds = dense(nd(decay)), xs = dense(nd(x));
        INDArray out = allocate(x.shape(), x.dtype());
        AxisKernels.decayScan(reverse, segment(ds), segment(xs), segment(out), Lines.of(x.shape(), axis), float64(x));
        Reference.reachabilityFence(ds);
        Reference.reachabilityFence(xs);
        return out;
    }

    @Override
    public Object cummaxBackward(Tensor x, Tensor g, int axis) {
        INDArray xs = dense(nd(x)), gs = dense(nd(g));
        INDArray out = allocate(x.shape(), x.dtype());
        MemorySegment o = segment(out);
        ElementwiseKernels.fill(o, out.length(), 0.0, float64(x));
        AxisKernels.cummaxBackward(segment(xs), segment(gs), o, Lines.of(x.shape(), axis), float64(x));
        Reference.reachabilityFence(xs);
        Reference.reachabilityFence(gs);
        return out;
    }

    @Override
    public Object softmax(Tensor t, int axis, Tensor maskOrNull) {
        int rank = t.rank();
        INDArray mask = null;
        if (maskOrNull != null) {
            // The mask with the data's rank, as a view (size-1 axes in front).
            mask = reshaped(nd(maskOrNull), longs(Shapes.padLeft(maskOrNull.shape(), rank)));
        }
        if (axis == rank - 1) return softmaxLastAxis(nd(t), mask, t.dtype());
        // Move the axis last, where the kernel works, and the result back (a view).
        int[] perm = new int[rank];
        for (int d = 0, k = 0; d < rank; d++) if (d != axis) perm[k++] = d;
        perm[rank - 1] = axis;
        INDArray moved = softmaxLastAxis(nd(t).permute(perm), mask == null ? null : mask.permute(perm), t.dtype());
        return moved.permute(Shapes.inversePermutation(perm));
    }

    private static INDArray softmaxLastAxis(INDArray a, INDArray mask, DType dtype) {
        INDArray x = dense(a);
        int[] shape = ints(x.shape());
        int rank = shape.length, len = shape[rank - 1];
        INDArray out = allocate(shape, dtype);
        INDArray m = null;
        SoftmaxKernel.MaskRows rows = null;
        if (mask != null) {
            int[] maskShape = ints(mask.shape());
            m = dense(mask);
            if (maskShape[rank - 1] != len) {
                // A mask that repeats along the softmax axis is spelled out along it (rare).
                int[] spelled = Shapes.with(maskShape, rank - 1, len);
                INDArray expanded = allocate(spelled, dtype);
                ElementwiseKernels.broadcast(new BroadcastLoop(spelled, maskShape), segment(m), segment(expanded),
                        dtype == DType.FLOAT64);
                m = expanded;
                maskShape = spelled;
            }
            long[] strides = Shapes.broadcastStrides(maskShape, shape);
            rows = new SoftmaxKernel.MaskRows(segment(m), Arrays.copyOf(longs(shape), rank - 1), Arrays.copyOf(strides, rank - 1));
        }
        SoftmaxKernel.run(segment(x), segment(out), x.length() / len, len, rows, dtype == DType.FLOAT64);
        Reference.reachabilityFence(x);
        Reference.reachabilityFence(m);
        return out;
    }

    // ------------------------------------------------------------------ indexing

    @Override
    public Object gather(Tensor t, int axis, int[] index, int[] indexShape, int[] outShape) {
        INDArray x = dense(nd(t));
        INDArray out = allocate(outShape, t.dtype());
        Lines lines = Lines.of(t.shape(), axis);
        long block = lines.inner() * t.dtype().bytes();
        MemorySegment from = segment(x), to = segment(out);
        for (long o = 0; o < lines.outer(); o++) {
            for (int k = 0; k < index.length; k++) {
                MemorySegment.copy(from, (o * lines.len() + index[k]) * block, to, (o * index.length + k) * block, block);
            }
        }
        Reference.reachabilityFence(x);
        return out;
    }

    @Override
    public Object scatterAdd(Tensor g, int axis, int[] index, int[] indexShape, int[] outShape) {
        INDArray grad = dense(nd(g));
        INDArray out = allocate(outShape, g.dtype());
        MemorySegment from = segment(grad), to = segment(out);
        ElementwiseKernels.fill(to, out.length(), 0.0, float64(g));
        Lines lines = Lines.of(outShape, axis);
        long inner = lines.inner();
        for (long o = 0; o < lines.outer(); o++) {
            for (int k = 0; k < index.length; k++) {
                long target = (o * lines.len() + index[k]) * inner, source = (o * index.length + k) * inner;
                if (float64(g)) {
                    for (long i = 0; i < inner; i++) setD(to, target + i, getD(to, target + i) + getD(from, source + i));
                } else {
                    ElementwiseKernels.binaryRun(Binary.ADD, to, target, from, source, to, target, inner);
                }
            }
        }
        Reference.reachabilityFence(grad);
        return out;
    }

    // ------------------------------------------------------------------ fused attention

    /** Every kernel in both dtypes: float32 on the Vector API (or the scalar path), float64 on the scalar path. */
    @Override
    public boolean fusesAttention(AttentionKernel kernel, DType dtype) {
        return dtypes().contains(dtype);
    }

    /**
     * The inputs are read where they lie, with their strides (the projections hand over permuted views); the output
     * is a [B, n, h, dh] array returned as its [B, h, n, dh] view, so that merging the heads needs no copy.
     */
    @Override
    public Object fusedAttention(AttentionKernel kernel, Tensor q, Tensor k, Tensor v) {
        int b = q.dim(0), h = q.dim(1), n = q.dim(2), dh = q.dim(3);
        INDArray qa = nd(q), ka = nd(k), va = nd(v);
        INDArray out = allocate(new int[] {b, n, h, dh}, q.dtype());
        FusedAttentionKernel.run(kernel, operand(qa), operand(ka), operand(va), segment(out),
                new FusedAttentionKernel.Shape(b, h, n, dh, float64(q)), vectorAttention);
        Reference.reachabilityFence(qa);
        Reference.reachabilityFence(ka);
        Reference.reachabilityFence(va);
        return out.permute(0, 2, 1, 3);
    }

    /** A rank-4 array, view or not, as the kernel reads it: its memory from the first element and its strides. */
    @SuppressWarnings("restricted")
    private static FusedAttentionKernel.Operand operand(INDArray a) {
        long[] shape = a.shape(), stride = a.stride();
        long last = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] > 1 && stride[d] < 0) throw new IllegalStateException("fused attention: negative stride in " + Arrays.toString(stride));
            last += (shape[d] - 1) * stride[d];
        }
        long width = a.dataType().width();
        MemorySegment s = MemorySegment.ofAddress(a.data().address() + a.offset() * width).reinterpret((last + 1) * width);
        return new FusedAttentionKernel.Operand(s, stride[0], stride[1], stride[2], stride[3]);
    }

    // ------------------------------------------------------------------ Fourier

    /**
     * float32 matrices whose sizes are powers of two: {@link FourierKernel}. Otherwise JTransforms (ND4J has no FFT):
     * one full complex transform of each real [n1, n2] matrix, one part kept.
     */
    @Override
    public Object fft2(Tensor t, boolean imaginaryPart) {
        int n1 = t.dim(-2), n2 = t.dim(-1);
        int matrix = n1 * n2, part = imaginaryPart ? 1 : 0;
        long items = t.size() / matrix;
        INDArray x = dense(nd(t));
        INDArray out = allocate(t.shape(), t.dtype());
        MemorySegment in = segment(x), o = segment(out);
        if (float64(t)) {
            Consumer<double[]> fft = doubleTransform(n1, n2);
            double[] work = new double[2 * matrix];
            for (long item = 0; item < items; item++) {
                MemorySegment.copy(in, JAVA_DOUBLE_UNALIGNED, item * matrix * 8, work, 0, matrix);
                fft.accept(work);
                for (int i = 0; i < matrix; i++) setD(o, item * matrix + i, work[2 * i + part]);
            }
        } else if (FourierKernel.handles(n1, n2)) {
            new FourierKernel(n1, n2).transform(in, o, items, imaginaryPart);
        } else {
            Consumer<float[]> fft = floatTransform(n1, n2);
            float[] work = new float[2 * matrix];
            for (long item = 0; item < items; item++) {
                MemorySegment.copy(in, JAVA_FLOAT_UNALIGNED, item * matrix * 4, work, 0, matrix);
                fft.accept(work);
                for (int i = 0; i < matrix; i++) setF(o, item * matrix + i, work[2 * i + part]);
            }
        }
        Reference.reachabilityFence(x);
        return out;
    }

    /**
     * JTransforms' full real-to-complex transform of one matrix, in place: the real values in the first half of the
     * array in, interleaved (real, imaginary) pairs out. Its 2-D classes need both sizes above 1; the 2-D transform
     * of a single row or column is the 1-D transform of its values, and of a single value that value.
     */
    private static Consumer<double[]> doubleTransform(int n1, int n2) {
        if (n1 > 1 && n2 > 1) return new DoubleFFT_2D(n1, n2)::realForwardFull;
        if (n1 * n2 > 1) return new DoubleFFT_1D(n1 * n2)::realForwardFull;
        return work -> work[1] = 0;
    }

    private static Consumer<float[]> floatTransform(int n1, int n2) {
        if (n1 > 1 && n2 > 1) return new FloatFFT_2D(n1, n2)::realForwardFull;
        if (n1 * n2 > 1) return new FloatFFT_1D(n1 * n2)::realForwardFull;
        return work -> work[1] = 0;
    }
}
