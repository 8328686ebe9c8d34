package org.attnbench.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.attnbench.api.Backend;
import org.attnbench.api.DType;
import org.attnbench.api.Shapes;
import org.attnbench.api.Tensor;
import org.jtransforms.fft.DoubleFFT_2D;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.controlflow.Select;
import org.nd4j.linalg.api.ops.impl.transforms.custom.CumSum;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The CPU backend on ND4J (OpenBLAS for matrix products, libnd4j for the rest), float32 and float64.
 *
 * <p>Two things shape this class. Layout: INDArray.mmul into a fresh row-major result ran up to 8x slower than
 * BLAS itself, so every product is written into a compact row-major array allocated here (by libnd4j's matmul,
 * batched where the batch axes agree), which measured as fast as a column-major result from 8x8 to 4096x4096;
 * callers always get row-major results. Memory: fresh off-heap buffers are slow to
 * touch on first use (page faults, 0.4 to 3.5 ms per MB measured on the 2-core VM, growing while garbage waits for
 * collection), so {@link #callScope()} runs a timed call inside an ND4J workspace whose memory the next call
 * reuses, as a caching allocator would.
 */
public final class Nd4jBackend implements Backend {
    private static final WorkspaceConfiguration CALL_WORKSPACE = WorkspaceConfiguration.builder()
            .initialSize(0).policyAllocation(AllocationPolicy.STRICT).policyLearning(LearningPolicy.FIRST_LOOP)
            .policySpill(SpillPolicy.REALLOCATE).build();
    private static final String WORKSPACE_ID = "attnbench-call";

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
        return "ND4J " + Nd4jBackendProvider.ND4J_VERSION + " (" + env.get("blas.vendor") + ", "
                + Nd4jBackendProvider.NATIVES + ", " + env.get("omp.threads") + " threads)";
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

    private static long[] longs(int[] shape) {
        long[] l = new long[shape.length];
        for (int i = 0; i < shape.length; i++) l[i] = shape[i];
        return l;
    }

    /** A row-major array that fills its own buffer from offset 0: what BLAS and the Java kernels want. */
    private static INDArray compact(INDArray a) {
        return isCompact(a) ? a : a.dup('c');
    }

    /**
     * ND4J's isView() is false for a permuted array (same buffer, same length), so row-major compactness is
     * checked from the strides themselves.
     */
    private static boolean isCompact(INDArray a) {
        if (a.offset() != 0 || a.data().length() != a.length()) return false;
        long expected = 1;
        long[] shape = a.shape(), stride = a.stride();
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && stride[d] != expected) return false;
            expected *= shape[d];
        }
        return true;
    }

    private static INDArray empty(int[] shape, DType dtype) {
        return Nd4j.createUninitialized(type(dtype), longs(shape), 'c');
    }

    // ------------------------------------------------------------------ data movement

    @Override
    public Object upload(double[] rowMajor, int[] shape, DType dtype) {
        if (dtype == DType.FLOAT64) return Nd4j.create(rowMajor, longs(shape), DataType.DOUBLE);
        float[] f = new float[rowMajor.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) rowMajor[i];
        return Nd4j.create(f, longs(shape), 'c');
    }

    @Override
    public Object full(int[] shape, DType dtype, double value) {
        return Nd4j.valueArrayOf(longs(shape), value, type(dtype));
    }

    @Override
    public Object band(int rows, int cols, int lower, int upper, DType dtype) {
        float[] v = new float[Math.multiplyExact(rows, cols)];
        for (int i = 0; i < rows; i++) {
            int from = Math.max(0, i + lower), to = Math.min(cols - 1, i + upper);
            if (from <= to) Arrays.fill(v, i * cols + from, i * cols + to + 1, 1f);
        }
        INDArray m = Nd4j.create(v, new long[] {rows, cols}, 'c');
        return dtype == DType.FLOAT32 ? m : m.castTo(DataType.DOUBLE);
    }

    @Override
    public double[] download(Tensor t) {
        INDArray a = compact(nd(t));
        return a.length() == 0 ? new double[0] : a.reshape('c', new long[] {a.length()}).toDoubleVector();
    }

    @Override
    public Object cast(Tensor a, DType to) {
        return nd(a).castTo(type(to));
    }

    // ------------------------------------------------------------------ layout

    @Override
    public Object reshape(Tensor a, int[] shape) {
        return nd(a).reshape('c', longs(shape));
    }

    @Override
    public Object permute(Tensor a, int[] perm) {
        return nd(a).permute(perm);
    }

    @Override
    public Object slice(Tensor a, int axis, int start, int end) {
        var indices = new org.nd4j.linalg.indexing.INDArrayIndex[a.rank()];
        for (int d = 0; d < indices.length; d++) indices[d] = d == axis ? NDArrayIndex.interval(start, end) : NDArrayIndex.all();
        return nd(a).get(indices);
    }

    @Override
    public Object concat(List<Tensor> parts, int axis, int[] outShape) {
        INDArray[] arrays = new INDArray[parts.size()];
        for (int i = 0; i < arrays.length; i++) arrays[i] = compact(nd(parts.get(i)));
        return Nd4j.concat(axis, arrays);
    }

    @Override
    public Object pad(Tensor a, int axis, int before, int after, double value) {
        List<INDArray> pieces = new ArrayList<>();
        DataType t = type(a.dtype());
        if (before > 0) pieces.add(Nd4j.valueArrayOf(longs(Shapes.with(a.shape(), axis, before)), value, t));
        pieces.add(compact(nd(a)));
        if (after > 0) pieces.add(Nd4j.valueArrayOf(longs(Shapes.with(a.shape(), axis, after)), value, t));
        return Nd4j.concat(axis, pieces.toArray(new INDArray[0]));
    }

    @Override
    public Object broadcastTo(Tensor a, int[] shape) {
        return expand(nd(a), shape);
    }

    /**
     * Numpy broadcasting of an array to a shape, as a new array; the same array if it has the shape. Written as
     * zeros + x, which libnd4j broadcasts natively: INDArray.broadcast() took 0.9 s for [1, 8, 2048, 1] to
     * [1, 8, 2048, 2048] against about 0.06 s this way.
     */
    private static INDArray expand(INDArray x, int[] shape) {
        long[] target = longs(shape);
        if (Arrays.equals(x.shape(), target)) return x;
        return Nd4j.zeros(x.dataType(), target).addi(padRank(x, shape.length));
    }

    /** The array with size-1 axes added in front up to a rank (a view). */
    private static INDArray padRank(INDArray x, int rank) {
        if (x.rank() >= rank) return x;
        long[] padded = new long[rank];
        Arrays.fill(padded, 1);
        System.arraycopy(x.shape(), 0, padded, rank - x.rank(), x.rank());
        return x.reshape('c', padded);
    }

    // ------------------------------------------------------------------ products

    @Override
    public Object matmul(Tensor a, boolean ta, Tensor b, boolean tb, int[] outShape) {
        int rank = outShape.length;
        int m = outShape[rank - 2], n = outShape[rank - 1];
        DType dtype = a.dtype();
        if (a.rank() == 2 && b.rank() == 2) {
            INDArray out = empty(outShape, dtype);
            Nd4j.matmul(compact(nd(a)), compact(nd(b)), out, ta, tb, false);
            return out;
        }
        // A 2-D right operand shared by every batch item: one tall product [batch * m, k] x [k, n].
        if (b.rank() == 2 && !ta) {
            INDArray flat = compact(nd(a)).reshape('c', new long[] {Shapes.size(a.shape()) / a.dim(-1), a.dim(-1)});
            INDArray out = empty(new int[] {(int) flat.size(0), n}, dtype);
            Nd4j.matmul(flat, compact(nd(b)), out, false, tb, false);
            return out.reshape('c', longs(outShape));
        }
        int[] batch = Arrays.copyOf(outShape, rank - 2);
        int batches = (int) Shapes.size(batch);
        INDArray as = batched(a), bs = batched(b);
        INDArray out = empty(new int[] {batches, m, n}, dtype);
        if (as.size(0) == batches && bs.size(0) == batches) {
            // Same batch axes on both sides: libnd4j's batched product, measured 2-4x faster than a loop of
            // per-item products at n = 256 and as fast at n = 4096.
            Nd4j.matmul(as, bs, out, ta, tb, false);
            return out.reshape('c', longs(outShape));
        }
        // Broadcast batch axes: one product per output item, each operand item picked by broadcasting.
        long[] aStride = Shapes.broadcastStrides(Arrays.copyOf(a.shape(), a.rank() - 2), batch);
        long[] bStride = Shapes.broadcastStrides(Arrays.copyOf(b.shape(), b.rank() - 2), batch);
        int[] idx = new int[batch.length];
        for (int i = 0; i < batches; i++) {
            INDArray ai = as.tensorAlongDimension(offset(idx, aStride), 1, 2), bi = bs.tensorAlongDimension(offset(idx, bStride), 1, 2);
            Nd4j.getBlasWrapper().level3().gemm('c', 'N', 'N', 1.0, ta ? ai.transpose() : ai, tb ? bi.transpose() : bi, 0.0,
                    out.tensorAlongDimension(i, 1, 2));
            for (int d = idx.length - 1; d >= 0 && ++idx[d] == batch[d]; d--) idx[d] = 0;
        }
        return out.reshape('c', longs(outShape));
    }

    /** A matrix operand as [batch items, rows, cols], contiguous. */
    private static INDArray batched(Tensor t) {
        int items = (int) (t.size() / ((long) t.dim(-2) * t.dim(-1)));
        return compact(nd(t)).reshape('c', new long[] {items, t.dim(-2), t.dim(-1)});
    }

    private static int offset(int[] idx, long[] strides) {
        long o = 0;
        for (int d = 0; d < idx.length; d++) o += idx[d] * strides[d];
        return (int) o;
    }

    // ------------------------------------------------------------------ elementwise

    private static final double SQRT1_2 = Math.sqrt(0.5);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

    @Override
    public Object unary(Unary op, Tensor t) {
        INDArray a = nd(t);
        return switch (op) {
            case NEG -> a.neg();
            case EXP -> Transforms.exp(a, true);
            case LOG -> Transforms.log(a, true);
            case SIGMOID -> Transforms.sigmoid(a, true);
            case TANH -> Transforms.tanh(a, true);
            case GELU -> a.mul(phi(a));
            case GELU_DERIVATIVE -> phi(a).addi(a.mul(Transforms.exp(a.mul(a).muli(-0.5), false)).muli(INV_SQRT_2PI));
            case RELU -> Transforms.relu(a, true);
            case STEP -> a.gt(0.0).castTo(a.dataType());
            case SQRT -> Transforms.sqrt(a, true);
            case RECIPROCAL -> a.rdiv(1.0);
            case SQUARE -> a.mul(a);
            case ABS -> Transforms.abs(a, true);
            case SIGN -> Transforms.sign(a, true);
        };
    }

    /** The standard normal CDF, 0.5 (1 + erf(x / sqrt 2)), exactly (ND4J's own GELU ops are approximations). */
    private static INDArray phi(INDArray x) {
        INDArray scaled = x.mul(SQRT1_2);
        return Nd4j.exec(new Erf(scaled, scaled)).addi(1.0).muli(0.5);
    }

    @Override
    public Object scalar(Scalar op, Tensor t, double s) {
        INDArray a = nd(t);
        return switch (op) {
            case ADD -> a.add(s);
            case MUL -> a.mul(s);
            case POW -> Transforms.pow(a, s, true);
            case MAXIMUM -> Transforms.max(a, s, true);
            case MINIMUM -> Transforms.min(a, s, true);
        };
    }

    @Override
    public Object binary(Binary op, Tensor ta, Tensor tb, int[] outShape) {
        long[] out = longs(outShape);
        INDArray a = padRank(nd(ta), outShape.length), b = padRank(nd(tb), outShape.length);
        boolean aFull = Arrays.equals(a.shape(), out), bFull = Arrays.equals(b.shape(), out);
        // libnd4j broadcasts size-1 axes of the second operand natively (measured 10x faster than expanding it
        // first); arithmetic therefore puts the full-shape operand first, using the reversed operation if needed.
        if (!aFull && bFull && (op == Binary.ADD || op == Binary.SUB || op == Binary.MUL || op == Binary.DIV)) {
            return switch (op) {
                case ADD -> b.add(a);
                case SUB -> b.rsub(a);
                case MUL -> b.mul(a);
                default -> b.rdiv(a);
            };
        }
        if (!aFull) a = expand(a, outShape);
        if (op != Binary.ADD && op != Binary.SUB && op != Binary.MUL && op != Binary.DIV && !bFull) b = expand(b, outShape);
        return switch (op) {
            case ADD -> a.add(b);
            case SUB -> a.sub(b);
            case MUL -> a.mul(b);
            case DIV -> a.div(b);
            case MAXIMUM -> Transforms.max(a, b, true);
            case MINIMUM -> Transforms.min(a, b, true);
            case GREATER -> a.gt(b).castTo(a.dataType());
            case EQUAL -> a.eq(b).castTo(a.dataType());
        };
    }

    @Override
    public Object reduce(Reduce op, Tensor t, int axis) {
        INDArray a = nd(t);
        return switch (op) {
            case SUM -> a.sum(true, axis);
            case MAX -> a.max(true, axis);
            case MEAN -> a.mean(true, axis);
        };
    }

    @Override
    public Object scan(Scan op, Tensor t, int axis, boolean reverse) {
        if (op == Scan.SUM) {
            INDArray a = compact(nd(t));
            return Nd4j.exec(new CumSum(a, empty(t.shape(), t.dtype()), false, reverse, axis))[0];
        }
        // A running maximum has no libnd4j op; it is rare (a stabiliser in AFT), so it runs on the host.
        double[] v = download(t);
        lines(t.shape(), axis, (start, stride, len) -> {
            double run = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < len; j++) {
                int p = start + (reverse ? len - 1 - j : j) * stride;
                run = Math.max(run, v[p]);
                v[p] = run;
            }
        });
        return upload(v, t.shape(), t.dtype());
    }

    @Override
    public Object cummaxBackward(Tensor x, Tensor g, int axis) {
        double[] xs = download(x), gs = download(g), r = new double[xs.length];
        lines(x.shape(), axis, (start, stride, len) -> {
            int argmax = start;
            for (int j = 0; j < len; j++) {
                int p = start + j * stride;
                if (xs[p] > xs[argmax]) argmax = p;
                r[argmax] += gs[p];
            }
        });
        return upload(r, x.shape(), x.dtype());
    }

    private interface Line {
        void visit(int start, int stride, int length);
    }

    private static void lines(int[] shape, int axis, Line line) {
        int outer = (int) Shapes.size(Arrays.copyOf(shape, axis));
        int len = shape[axis];
        int inner = (int) (Shapes.size(shape) / outer / len);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) line.visit(o * len * inner + i, inner, len);
        }
    }

    @Override
    public Object softmax(Tensor t, int axis, Tensor mask) {
        int rank = t.rank();
        if (axis != rank - 1) {
            // Move the axis last, where the kernel works, and the result back.
            int[] perm = new int[rank];
            for (int d = 0, k = 0; d < rank; d++) if (d != axis) perm[k++] = d;
            perm[rank - 1] = axis;
            int[] inverse = Shapes.inversePermutation(perm);
            INDArray moved = nd(t).permute(perm);
            INDArray movedMask = mask == null ? null : expand(nd(mask), t.shape()).permute(perm);
            return softmaxLastAxis(moved, movedMask, t.dtype()).permute(inverse);
        }
        return softmaxLastAxis(nd(t), mask == null ? null : nd(mask), t.dtype());
    }

    private static INDArray softmaxLastAxis(INDArray a, INDArray mask, DType dtype) {
        INDArray in = compact(a);
        long[] shape = in.shape();
        int len = (int) shape[shape.length - 1];
        long rows = in.length() / len;
        INDArray out = Nd4j.createUninitialized(in.dataType(), shape, 'c');
        MemorySegment maskSegment = null;
        long maskRows = 0;
        if (mask != null) {
            // A mask that matches the trailing axes repeats over the leading ones (a causal [n, n] mask over
            // [batch, heads, n, n]); any other broadcast is expanded in full.
            INDArray m = trailingMatch(mask.shape(), shape) ? compact(mask) : compact(expand(mask, toInts(shape)));
            maskSegment = segment(m);
            maskRows = m.length() / len;
        }
        SoftmaxKernel.run(segment(in), segment(out), rows, len, maskSegment, maskRows, dtype == DType.FLOAT64);
        return out;
    }

    /** True when a mask shape, after its leading 1s, equals the trailing axes of the data shape. */
    private static boolean trailingMatch(long[] mask, long[] data) {
        int lead = 0;
        while (lead < mask.length && mask[lead] == 1 && mask.length - lead > 1) lead++;
        int k = mask.length - lead;
        if (k > data.length) return false;
        for (int i = 0; i < k; i++) {
            if (mask[lead + i] != data[data.length - k + i]) return false;
        }
        return true;
    }

    private static int[] toInts(long[] shape) {
        int[] s = new int[shape.length];
        for (int i = 0; i < s.length; i++) s[i] = Math.toIntExact(shape[i]);
        return s;
    }

    /** The off-heap memory of a compact array, for the Java kernels. */
    private static MemorySegment segment(INDArray a) {
        long elementBytes = a.dataType().width();
        return MemorySegment.ofAddress(a.data().address() + a.offset() * elementBytes).reinterpret(a.length() * elementBytes);
    }

    // ------------------------------------------------------------------ indexing

    @Override
    public Object gather(Tensor t, int axis, int[] index, int[] indexShape, int[] outShape) {
        int[] shape = t.shape();
        int outer = (int) Shapes.size(Arrays.copyOf(shape, axis));
        int len = shape[axis];
        int inner = (int) (t.size() / outer / len);
        INDArray src = compact(nd(t)).reshape('c', new long[] {outer, len, inner});
        INDArray out = empty(new int[] {outer, index.length, inner}, t.dtype());
        for (int o = 0; o < outer; o++) {
            INDArray from = src.tensorAlongDimension(o, 1, 2);
            INDArray to = out.tensorAlongDimension(o, 1, 2);
            for (int k = 0; k < index.length; k++) to.putRow(k, from.getRow(index[k]));
        }
        return out.reshape('c', longs(outShape));
    }

    @Override
    public Object scatterAdd(Tensor g, int axis, int[] index, int[] indexShape, int[] outShape) {
        int outer = (int) Shapes.size(Arrays.copyOf(outShape, axis));
        int len = outShape[axis];
        int inner = (int) (Shapes.size(outShape) / outer / len);
        INDArray src = compact(nd(g)).reshape('c', new long[] {outer, index.length, inner});
        INDArray out = Nd4j.zeros(type(g.dtype()), outer, len, inner);
        for (int o = 0; o < outer; o++) {
            INDArray from = src.tensorAlongDimension(o, 1, 2);
            INDArray to = out.tensorAlongDimension(o, 1, 2);
            for (int k = 0; k < index.length; k++) to.getRow(index[k]).addi(from.getRow(k));
        }
        return out.reshape('c', longs(outShape));
    }

    @Override
    public Object where(Tensor mask, Tensor ta, Tensor tb, int[] outShape) {
        INDArray m = expand(nd(mask), outShape), a = expand(nd(ta), outShape), b = expand(nd(tb), outShape);
        // Exact selection, no arithmetic blending.
        INDArray out = empty(outShape, ta.dtype());
        Nd4j.exec(new Select(new INDArray[] {m.neq(0.0), compact(a), compact(b)}, new INDArray[] {out}));
        return out;
    }

    // ------------------------------------------------------------------ Fourier

    @Override
    public Object fft2(Tensor t, boolean imaginaryPart) {
        int[] shape = t.shape();
        int n1 = shape[shape.length - 2], n2 = shape[shape.length - 1];
        double[] v = download(t);
        double[] r = new double[v.length];
        DoubleFFT_2D fft = new DoubleFFT_2D(n1, n2);
        double[] work = new double[2 * n1 * n2];
        for (int base = 0; base < v.length; base += n1 * n2) {
            System.arraycopy(v, base, work, 0, n1 * n2);
            fft.realForwardFull(work);
            for (int i = 0; i < n1 * n2; i++) r[base + i] = work[2 * i + (imaginaryPart ? 1 : 0)];
        }
        return upload(r, shape, t.dtype());
    }
}
