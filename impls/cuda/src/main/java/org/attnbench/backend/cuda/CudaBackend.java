package org.attnbench.backend.cuda;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.attnbench.api.AttentionKernel;
import org.attnbench.api.Backend;
import org.attnbench.api.DType;
import org.attnbench.api.Shapes;
import org.attnbench.api.Tensor;
import org.attnbench.api.UnsupportedProblemException;

/**
 * The GPU backend: tensors in device memory ({@link DeviceArray}), reached through java.lang.foreign only. Matrix
 * products go to cuBLAS, the 2-D FFT to cuFFT, everything else to the kernels in resources/.../kernels/*.cu, compiled
 * at run time by NVRTC. All work is queued on one stream; {@link #download} and the end of a {@link #callScope()}
 * synchronise, so a timed call includes the device's work.
 *
 * <p>Layout: permute, slice and (of a dense tensor) reshape are views; elementwise kernels read any strides, so views
 * are never copied for them; a matrix product takes a transposed view as cuBLAS's transposed operand; the axis
 * kernels and the FFT copy a non-dense input once. Dtypes: float32, float64, bfloat16 and float16 (stored in 16 bits,
 * computed in float32) and tf32 (float32 storage, TF32 tensor-core products).
 */
public final class CudaBackend implements Backend {
    private static final int THREADS = 256;

    private final CudaRuntime rt;

    CudaBackend(CudaRuntime rt) {
        this.rt = rt;
    }

    @Override
    public String name() {
        return CudaBackendProvider.NAME;
    }

    @Override
    public String device() {
        return "gpu";
    }

    @Override
    public String description() {
        return rt.description();
    }

    @Override
    public Set<DType> dtypes() {
        return EnumSet.of(DType.FLOAT32, DType.FLOAT64, DType.BFLOAT16, DType.FLOAT16, DType.TF32);
    }

    /** Peak and current bytes of the allocator (live tensors, and held from the driver), for memory reporting. */
    public DeviceMemory memory() {
        DeviceAllocator a = rt.allocator;
        return new DeviceMemory(a.liveBytes(), a.livePeakBytes(), a.reservedBytes(), a.reservedPeakBytes());
    }

    @Override
    public DevicePeaks devicePeaks() {
        DeviceAllocator a = rt.allocator;
        return new DevicePeaks(a.livePeakBytes(), a.reservedPeakBytes());
    }

    /** The allocator's figures: bytes in live tensors and held from the driver (live plus cached), now and at peak. */
    public record DeviceMemory(long liveBytes, long livePeakBytes, long reservedBytes, long reservedPeakBytes) {}

    @Override
    public CallScope callScope() {
        rt.enter();
        rt.allocator.pushScope();
        return () -> {
            rt.synchronize();
            rt.allocator.popScope();
        };
    }

    /** Waits until the device has done everything queued so far. */
    public void synchronize() {
        rt.synchronize();
    }

    // ------------------------------------------------------------------ arrays

    private static DeviceArray arr(Tensor t) {
        return (DeviceArray) t.handle();
    }

    private DeviceArray alloc(int[] shape, Storage s) {
        rt.enter();
        long bytes = Math.max(1, Shapes.size(shape)) * s.bytes;
        return new DeviceArray(new DeviceArray.Buffer(rt.allocator, bytes), 0, shape.clone(), Shapes.strides(shape), s);
    }

    private static DeviceArray view(DeviceArray a, long offset, int[] shape, long[] strides) {
        return new DeviceArray(a.buffer, offset, shape, strides, a.storage);
    }

    /** The array itself when dense, else a dense copy. */
    private DeviceArray dense(DeviceArray a) {
        if (a.dense()) return a;
        DeviceArray out = alloc(a.shape, a.storage);
        copyInto(out, a);
        return out;
    }

    /** out (any view) <- in (any view of the same shape). */
    private void copyInto(DeviceArray out, DeviceArray in) {
        long n = in.size();
        if (n == 0) return;
        try (Kernels.Args args = new Kernels.Args()) {
            args.pointer(out.address()).pointer(in.address()).struct(layout(in.shape, out.strides, in.strides));
            launch("elementwise.cu", "copy_" + in.storage.suffix, n, args);
        }
    }

    /**
     * common.cuh's Layout: rank, size, shape[8], then the strides of up to three operands, with the shape first
     * {@link #coalesce coalesced} so a kernel does as few index divisions per element as the operands allow.
     */
    static long[] layout(int[] shape, long[]... strides) {
        long[][] merged = coalesce(shape, strides);
        long[] dims = merged[0];
        long[] l = new long[2 + 8 + 24];
        l[0] = dims.length;
        l[1] = Shapes.size(shape);
        for (int d = 0; d < dims.length; d++) l[2 + d] = dims[d];
        for (int t = 0; t < strides.length; t++) {
            for (int d = 0; d < dims.length; d++) l[10 + 8 * t + d] = merged[1 + t][d];
        }
        return l;
    }

    /**
     * The same index space with fewer axes: size-1 axes dropped, and each axis merged into the next where every
     * operand steps over both as over one (stride[d] = stride[d + 1] * shape[d + 1]). Row-major order is kept, so
     * the k-th element is the same element of each operand before and after. Returns {shape, strides of each operand}.
     */
    static long[][] coalesce(int[] shape, long[]... strides) {
        int ops = strides.length;
        long[] dims = new long[shape.length];
        long[][] st = new long[ops][shape.length];
        int rank = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) continue;
            dims[rank] = shape[d];
            for (int t = 0; t < ops; t++) st[t][rank] = strides[t][d];
            rank++;
        }
        int out = 0;
        for (int d = 0; d < rank; d++) {
            if (out > 0) {
                boolean mergeable = true;
                for (int t = 0; t < ops && mergeable; t++) mergeable = st[t][out - 1] == st[t][d] * dims[d];
                if (mergeable) {
                    dims[out - 1] *= dims[d];
                    for (int t = 0; t < ops; t++) st[t][out - 1] = st[t][d];
                    continue;
                }
            }
            dims[out] = dims[d];
            for (int t = 0; t < ops; t++) st[t][out] = st[t][d];
            out++;
        }
        long[][] result = new long[1 + ops][];
        result[0] = Arrays.copyOf(dims, out);
        for (int t = 0; t < ops; t++) result[1 + t] = Arrays.copyOf(st[t], out);
        return result;
    }

    /** common.cuh's Lines for a dense tensor along an axis, with the mask's strides over the full shape. */
    private static long[] lines(int[] shape, int axis, long[] maskStrides) {
        long outer = 1, inner = 1;
        for (int d = 0; d < axis; d++) outer *= shape[d];
        for (int d = axis + 1; d < shape.length; d++) inner *= shape[d];
        long[] l = new long[5 + 16];
        l[0] = outer;
        l[1] = shape[axis];
        l[2] = inner;
        l[3] = shape.length;
        l[4] = axis;
        for (int d = 0; d < shape.length; d++) {
            l[5 + d] = shape[d];
            if (maskStrides != null) l[13 + d] = maskStrides[d];
        }
        return l;
    }

    /** A grid-stride launch over n elements. */
    private void launch(String file, String function, long n, Kernels.Args args) {
        long blocks = Math.max(1, Math.min((n + THREADS - 1) / THREADS, (long) rt.multiprocessors * 32));
        launchGrid(file, function, (int) blocks, 1, THREADS, 0, args);
    }

    private void launchGrid(String file, String function, int gridX, int gridY, int block, int shared, Kernels.Args args) {
        rt.enter();
        long f = rt.kernels.function(file, function);
        rt.kernels.allowSharedMemory(f, shared);
        rt.cu.launch(function, f, gridX, gridY, 1, block, shared, rt.stream, args.array());
    }

    /** One block per line, for the kernels that split a line over a block. */
    private void launchLines(String function, long lineCount, Kernels.Args args) {
        int blocks = (int) Math.max(1, Math.min(lineCount, (long) rt.multiprocessors * 64));
        launchGrid("axis.cu", function, blocks, 1, THREADS, 0, args);
    }

    // ------------------------------------------------------------------ data movement

    @Override
    public Object upload(double[] rowMajor, int[] shape, DType dtype) {
        Storage s = Storage.of(dtype);
        DeviceArray out = alloc(shape, s);
        int n = rowMajor.length;
        if (n == 0) return out;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment host = a.allocate((long) n * s.bytes, 8);
            switch (s) {
                case F64 -> MemorySegment.copy(rowMajor, 0, host, JAVA_DOUBLE, 0, n);
                case F32 -> {
                    float[] f = new float[n];
                    for (int i = 0; i < n; i++) f[i] = (float) rowMajor[i];
                    MemorySegment.copy(f, 0, host, JAVA_FLOAT, 0, n);
                }
                case BF16 -> {
                    short[] h = new short[n];
                    for (int i = 0; i < n; i++) h[i] = HalfFloats.toBfloat16((float) rowMajor[i]);
                    MemorySegment.copy(h, 0, host, JAVA_SHORT, 0, n);
                }
                case F16 -> {
                    short[] h = new short[n];
                    for (int i = 0; i < n; i++) h[i] = Float.floatToFloat16((float) rowMajor[i]);
                    MemorySegment.copy(h, 0, host, JAVA_SHORT, 0, n);
                }
            }
            rt.cu.copyToDevice(out.address(), host, host.byteSize(), rt.stream);
            rt.cu.synchronize(rt.stream); // the host memory is freed when this arena closes
        }
        return out;
    }

    @Override
    public Object full(int[] shape, DType dtype, double value) {
        DeviceArray out = alloc(shape, Storage.of(dtype));
        fill(out, value);
        return out;
    }

    private void fill(DeviceArray dense, double value) {
        long n = dense.size();
        if (n == 0) return;
        if (value == 0 && Double.doubleToRawLongBits(value) == 0) {
            rt.cu.zero(dense.address(), n * dense.storage.bytes, rt.stream);
            return;
        }
        try (Kernels.Args args = new Kernels.Args()) {
            args.pointer(dense.address()).i64(n).f64(value);
            launch("elementwise.cu", "fill_" + dense.storage.suffix, n, args);
        }
    }

    @Override
    public double[] download(Tensor t) {
        rt.enter();
        DeviceArray a = dense(arr(t));
        int n = Math.toIntExact(a.size());
        double[] out = new double[n];
        if (n == 0) return out;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = arena.allocate((long) n * a.storage.bytes, 8);
            rt.cu.copyToHost(host, a.address(), host.byteSize(), rt.stream);
            rt.cu.synchronize(rt.stream);
            switch (a.storage) {
                case F64 -> MemorySegment.copy(host, JAVA_DOUBLE, 0, out, 0, n);
                case F32 -> {
                    for (int i = 0; i < n; i++) out[i] = host.getAtIndex(JAVA_FLOAT, i);
                }
                case BF16 -> {
                    for (int i = 0; i < n; i++) out[i] = HalfFloats.fromBfloat16(host.getAtIndex(JAVA_SHORT, i));
                }
                case F16 -> {
                    for (int i = 0; i < n; i++) out[i] = Float.float16ToFloat(host.getAtIndex(JAVA_SHORT, i));
                }
            }
        }
        return out;
    }

    @Override
    public Object band(int rows, int cols, int lower, int upper, DType dtype) {
        DeviceArray out = alloc(new int[] {rows, cols}, Storage.of(dtype));
        try (Kernels.Args args = new Kernels.Args()) {
            args.pointer(out.address()).i64(rows).i64(cols).i64(lower).i64(upper);
            launch("elementwise.cu", "band_" + out.storage.suffix, (long) rows * cols, args);
        }
        return out;
    }

    @Override
    public Object cast(Tensor t, DType to) {
        DeviceArray a = arr(t);
        Storage s = Storage.of(to);
        DeviceArray out = alloc(a.shape, s);
        if (a.size() == 0) return out;
        try (Kernels.Args args = new Kernels.Args()) {
            args.pointer(out.address()).pointer(a.address()).struct(layout(a.shape, a.strides));
            launch("elementwise.cu", "cast_" + a.storage.suffix + "_" + s.suffix, a.size(), args);
        }
        return out;
    }

    // ------------------------------------------------------------------ layout

    @Override
    public Object reshape(Tensor t, int[] shape) {
        DeviceArray a = dense(arr(t));
        return view(a, a.offset, shape.clone(), Shapes.strides(shape));
    }

    @Override
    public Object permute(Tensor t, int[] perm) {
        DeviceArray a = arr(t);
        int[] shape = new int[perm.length];
        long[] strides = new long[perm.length];
        for (int d = 0; d < perm.length; d++) {
            shape[d] = a.shape[perm[d]];
            strides[d] = a.strides[perm[d]];
        }
        return view(a, a.offset, shape, strides);
    }

    @Override
    public Object slice(Tensor t, int axis, int start, int end) {
        DeviceArray a = arr(t);
        int[] shape = a.shape.clone();
        shape[axis] = end - start;
        return view(a, a.offset + start * a.strides[axis], shape, a.strides.clone());
    }

    @Override
    public Object concat(List<Tensor> parts, int axis, int[] outShape) {
        DeviceArray out = alloc(outShape, arr(parts.get(0)).storage);
        int at = 0;
        for (Tensor p : parts) {
            DeviceArray a = arr(p);
            copyInto(view(out, at * out.strides[axis], a.shape, out.strides), a);
            at += a.shape[axis];
        }
        return out;
    }

    @Override
    public Object pad(Tensor t, int axis, int before, int after, double value) {
        DeviceArray a = arr(t);
        int[] shape = a.shape.clone();
        shape[axis] += before + after;
        DeviceArray out = alloc(shape, a.storage);
        fill(out, value);
        copyInto(view(out, before * out.strides[axis], a.shape, out.strides), a);
        return out;
    }

    @Override
    public Object broadcastTo(Tensor t, int[] shape) {
        DeviceArray a = arr(t);
        DeviceArray out = alloc(shape, a.storage);
        copyInto(out, view(a, a.offset, shape, a.broadcastStrides(shape)));
        return out;
    }

    // ------------------------------------------------------------------ matrix products

    /** How cuBLAS reads one operand: its memory as a column-major matrix with leading dimension ld, transposed or not. */
    private record Operand(DeviceArray array, int op, int ld) {}

    /**
     * For op(x) of a row-major [.., r, c] view: a row-major matrix (unit column stride) is cuBLAS's column-major x^T; a
     * column-major one (a transposed view, unit row stride) is x itself; anything else is copied dense first.
     */
    private Operand operand(DeviceArray x, boolean transposed) {
        int rank = x.shape.length, r = x.shape[rank - 2], c = x.shape[rank - 1];
        long sr = x.strides[rank - 2], sc = x.strides[rank - 1];
        boolean rowMajor = (c == 1 || sc == 1) && (r == 1 || sr >= c);
        boolean colMajor = !rowMajor && (r == 1 || sr == 1) && (c == 1 || sc >= r);
        if (!rowMajor && !colMajor) {
            x = dense(x);
            rowMajor = true;
            sr = c;
        }
        int ld = rowMajor ? (int) (r == 1 ? Math.max(1, c) : sr) : (int) (c == 1 ? Math.max(1, r) : sc);
        int op = rowMajor != transposed ? Cublas.CUBLAS_OP_N : Cublas.CUBLAS_OP_T;
        return new Operand(x, op, ld);
    }

    @Override
    public Object matmul(Tensor ta, boolean transposeA, Tensor tb, boolean transposeB, int[] outShape) {
        int rank = outShape.length;
        int m = outShape[rank - 2], n = outShape[rank - 1];
        int k = transposeA ? ta.dim(-2) : ta.dim(-1);
        DeviceArray out = alloc(outShape, arr(ta).storage);
        if (Shapes.size(outShape) == 0) return out;
        if (k == 0) {
            fill(out, 0);
            return out;
        }
        Operand a = operand(arr(ta), transposeA), b = operand(arr(tb), transposeB);
        Cublas.Types types = Cublas.types(out.storage, ta.dtype() == DType.TF32);
        // Batch axes: each operand's strides over the output's batch shape (0 where it broadcasts), merged from the
        // innermost while one stride describes them all; the axes left over are looped over here.
        int nb = rank - 2;
        int[] batch = Arrays.copyOf(outShape, nb);
        long[] sa = batchStrides(a.array(), batch), sb = batchStrides(b.array(), batch), sc = Arrays.copyOf(out.strides, nb);
        int inner = nb;
        long count = 1, strideA = 0, strideB = 0, strideC = (long) m * n;
        while (inner > 0) {
            int d = inner - 1;
            if (batch[d] == 1) {
                inner--;
                continue;
            }
            if (count == 1) {
                strideA = sa[d];
                strideB = sb[d];
                strideC = sc[d];
            } else if (sa[d] != strideA * count || sb[d] != strideB * count || sc[d] != strideC * count) {
                break;
            }
            count *= batch[d];
            inner--;
        }
        long outerCount = 1;
        for (int d = 0; d < inner; d++) outerCount *= batch[d];
        rt.enter();
        for (long o = 0; o < outerCount; o++) {
            long offA = 0, offB = 0, offC = 0, rest = o;
            for (int d = inner - 1; d >= 0; d--) {
                long x = rest % batch[d];
                rest /= batch[d];
                offA += x * sa[d];
                offB += x * sb[d];
                offC += x * sc[d];
            }
            int es = out.storage.bytes;
            // Row-major C = op(A) op(B) is column-major C^T = op(B)^T op(A)^T: B first, then A, m and n swapped.
            rt.cublas.gemm(types, b.op(), a.op(), n, m, k, b.array().address() + offB * es, b.ld(), strideB,
                    a.array().address() + offA * es, a.ld(), strideA, out.address() + offC * es, n, strideC,
                    Math.toIntExact(count));
        }
        return out;
    }

    private static long[] batchStrides(DeviceArray x, int[] batch) {
        int xb = x.shape.length - 2;
        long[] out = new long[batch.length];
        for (int d = 0; d < batch.length; d++) {
            int src = d - (batch.length - xb);
            out[d] = src < 0 || x.shape[src] == 1 ? 0 : x.strides[src];
        }
        return out;
    }

    // ------------------------------------------------------------------ elementwise

    static int unaryCode(Unary op) {
        return switch (op) {
            case NEG -> 0;
            case EXP -> 1;
            case LOG -> 2;
            case SIGMOID -> 3;
            case TANH -> 4;
            case GELU -> 5;
            case GELU_DERIVATIVE -> 6;
            case RELU -> 7;
            case STEP -> 8;
            case SQRT -> 9;
            case RECIPROCAL -> 10;
            case SQUARE -> 11;
            case ABS -> 12;
            case SIGN -> 13;
        };
    }

    static int scalarCode(Scalar op) {
        return switch (op) {
            case ADD -> 0;
            case MUL -> 1;
            case POW -> 2;
            case MAXIMUM -> 3;
            case MINIMUM -> 4;
        };
    }

    static int binaryCode(Binary op) {
        return switch (op) {
            case ADD -> 0;
            case SUB -> 1;
            case MUL -> 2;
            case DIV -> 3;
            case MAXIMUM -> 4;
            case MINIMUM -> 5;
            case GREATER -> 6;
            case EQUAL -> 7;
        };
    }

    @Override
    public Object unary(Unary op, Tensor t) {
        DeviceArray a = arr(t), out = alloc(a.shape, a.storage);
        if (a.size() == 0) return out;
        try (Kernels.Args args = new Kernels.Args()) {
            args.pointer(out.address()).pointer(a.address()).struct(layout(a.shape, a.strides)).i32(unaryCode(op));
            launch("elementwise.cu", "unary_" + a.storage.suffix, a.size(), args);
        }
        return out;
    }

    @Override
    public Object scalar(Scalar op, Tensor t, double s) {
        DeviceArray a = arr(t), out = alloc(a.shape, a.storage);
        if (a.size() == 0) return out;
        try (Kernels.Args args = new Kernels.Args()) {
            args.pointer(out.address()).pointer(a.address()).struct(layout(a.shape, a.strides)).i32(scalarCode(op)).f64(s);
            launch("elementwise.cu", "scalar_" + a.storage.suffix, a.size(), args);
        }
        return out;
    }

    @Override
    public Object binary(Binary op, Tensor ta, Tensor tb, int[] outShape) {
        DeviceArray a = arr(ta), b = arr(tb), out = alloc(outShape, a.storage);
        long n = Shapes.size(outShape);
        if (n == 0) return out;
        try (Kernels.Args args = new Kernels.Args()) {
            args.pointer(out.address()).pointer(a.address()).pointer(b.address())
                    .struct(layout(outShape, a.broadcastStrides(outShape), b.broadcastStrides(outShape))).i32(binaryCode(op));
            launch("elementwise.cu", "binary_" + a.storage.suffix, n, args);
        }
        return out;
    }

    @Override
    public Object where(Tensor mask, Tensor ta, Tensor tb, int[] outShape) {
        DeviceArray m = arr(mask), a = arr(ta), b = arr(tb), out = alloc(outShape, a.storage);
        long n = Shapes.size(outShape);
        if (n == 0) return out;
        try (Kernels.Args args = new Kernels.Args()) {
            args.pointer(out.address()).pointer(m.address()).pointer(a.address()).pointer(b.address())
                    .struct(layout(outShape, m.broadcastStrides(outShape), a.broadcastStrides(outShape), b.broadcastStrides(outShape)));
            launch("elementwise.cu", "where_" + a.storage.suffix, n, args);
        }
        return out;
    }

    // ------------------------------------------------------------------ along one axis

    static int reduceCode(Reduce op) {
        return switch (op) {
            case SUM -> 0;
            case MAX -> 1;
            case MEAN -> 2;
        };
    }

    static int scanCode(Scan op) {
        return switch (op) {
            case SUM -> 0;
            case MAX -> 1;
        };
    }

    @Override
    public Object reduce(Reduce op, Tensor t, int axis) {
        DeviceArray a = dense(arr(t));
        int[] shape = a.shape.clone();
        shape[axis] = 1;
        DeviceArray out = alloc(shape, a.storage);
        long[] l = lines(a.shape, axis, null);
        if (l[0] * l[2] == 0) return out;
        try (Kernels.Args args = new Kernels.Args()) {
            args.pointer(out.address()).pointer(a.address()).struct(l).i32(reduceCode(op));
            launchLines("reduce_" + a.storage.suffix, l[0] * l[2], args);
        }
        return out;
    }

    @Override
    public Object scan(Scan op, Tensor t, int axis, boolean reverse) {
        DeviceArray a = dense(arr(t)), out = alloc(a.shape, a.storage);
        long[] l = lines(a.shape, axis, null);
        if (a.size() == 0) return out;
        try (Kernels.Args args = new Kernels.Args()) {
            args.pointer(out.address()).pointer(a.address()).struct(l).i32(scanCode(op)).i32(reverse ? 1 : 0);
            launch("axis.cu", "scan_" + a.storage.suffix, l[0] * l[2], args);
        }
        return out;
    }

    @Override
    public Object decayScan(Tensor decay, Tensor x, int axis, boolean reverse) {
        DeviceArray d = dense(arr(decay)), a = dense(arr(x)), out = alloc(a.shape, a.storage);
        long[] l = lines(a.shape, axis, null);
        if (a.size() == 0) return out;
        try (Kernels.Args args = new Kernels.Args()) {
            args.pointer(out.address()).pointer(d.address()).pointer(a.address()).struct(l).i32(reverse ? 1 : 0);
            launch("axis.cu", "decay_scan_" + a.storage.suffix, l[0] * l[2], args);
        }
        return out;
    }

    @Override
    public Object cummaxBackward(Tensor x, Tensor g, int axis) {
        DeviceArray a = dense(arr(x)), gd = dense(arr(g)), out = alloc(a.shape, a.storage);
        long[] l = lines(a.shape, axis, null);
        if (a.size() == 0) return out;
        try (Kernels.Args args = new Kernels.Args()) {
            args.pointer(out.address()).pointer(a.address()).pointer(gd.address()).struct(l);
            launch("axis.cu", "cummax_backward_" + a.storage.suffix, l[0] * l[2], args);
        }
        return out;
    }

    @Override
    public Object softmax(Tensor t, int axis, Tensor maskOrNull) {
        DeviceArray a = dense(arr(t)), out = alloc(a.shape, a.storage);
        DeviceArray m = maskOrNull == null ? null : arr(maskOrNull);
        long[] l = lines(a.shape, axis, m == null ? null : m.broadcastStrides(a.shape));
        if (a.size() == 0) return out;
        try (Kernels.Args args = new Kernels.Args()) {
            args.pointer(out.address()).pointer(a.address()).pointer(m == null ? 0 : m.address()).struct(l);
            launchLines("softmax_" + a.storage.suffix, l[0] * l[2], args);
        }
        return out;
    }

    // ------------------------------------------------------------------ indexing

    /** Small int arrays (indices) to the device; released once the kernel using them is queued. */
    private DeviceAllocator.Lease uploadInts(int[] values) {
        rt.enter();
        DeviceAllocator.Lease lease = rt.allocator.allocate(4L * Math.max(1, values.length), null);
        if (values.length > 0) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment host = a.allocateFrom(JAVA_INT, values);
                rt.cu.copyToDevice(lease.pointer(), host, host.byteSize(), rt.stream);
                rt.cu.synchronize(rt.stream);
            }
        }
        return lease;
    }

    @Override
    public Object gather(Tensor t, int axis, int[] index, int[] indexShape, int[] outShape) {
        DeviceArray a = dense(arr(t)), out = alloc(outShape, a.storage);
        long[] l = lines(a.shape, axis, null);
        long n = Shapes.size(outShape);
        if (n == 0) return out;
        DeviceAllocator.Lease idx = uploadInts(index);
        try (Kernels.Args args = new Kernels.Args()) {
            args.pointer(out.address()).pointer(a.address()).pointer(idx.pointer()).struct(l).i64(index.length);
            launch("index.cu", "gather_" + a.storage.suffix, n, args);
        } finally {
            rt.allocator.release(idx); // later work on the stream runs after this kernel
        }
        return out;
    }

    @Override
    public Object scatterAdd(Tensor t, int axis, int[] index, int[] indexShape, int[] outShape) {
        DeviceArray g = dense(arr(t)), out = alloc(outShape, g.storage);
        long[] l = lines(outShape, axis, null);
        int len = outShape[axis];
        // Inverse index: the sources of each position, in index order (so sums are always taken in one order).
        int[] starts = new int[len + 1];
        for (int i : index) starts[i + 1]++;
        for (int j = 0; j < len; j++) starts[j + 1] += starts[j];
        int[] from = new int[index.length], fill = Arrays.copyOf(starts, len);
        for (int k = 0; k < index.length; k++) from[fill[index[k]]++] = k;
        long n = Shapes.size(outShape);
        if (n == 0) return out;
        DeviceAllocator.Lease s = uploadInts(starts), f = uploadInts(from);
        try (Kernels.Args args = new Kernels.Args()) {
            args.pointer(out.address()).pointer(g.address()).pointer(s.pointer()).pointer(f.pointer()).struct(l).i64(index.length);
            launch("index.cu", "scatter_add_" + g.storage.suffix, n, args);
        } finally {
            rt.allocator.release(s);
            rt.allocator.release(f);
        }
        return out;
    }

    // ------------------------------------------------------------------ Fourier

    @Override
    public Object fft2(Tensor t, boolean imaginaryPart) {
        DeviceArray in = arr(t);
        int rank = in.shape.length, n1 = in.shape[rank - 2], n2 = in.shape[rank - 1];
        DeviceArray out = alloc(in.shape, in.storage);
        long size = in.size();
        if (size == 0) return out;
        int batch = Math.toIntExact(size / ((long) n1 * n2));
        boolean wide = in.storage == Storage.F64;
        // cuFFT takes float or double: 16-bit inputs are widened to float first (a dense copy in any case).
        DeviceArray real = wide || in.storage == Storage.F32 ? dense(in) : castTo(in, Storage.F32);
        rt.enter();
        Cufft.Plan plan = rt.fftPlan(n1, n2, batch, wide);
        long halfElements = (long) batch * n1 * (n2 / 2 + 1) * 2;
        DeviceAllocator.Lease half = rt.allocator.allocate(halfElements * (wide ? 8 : 4), null);
        DeviceAllocator.Lease work = rt.allocator.allocate(Math.max(1, plan.workBytes()), null);
        try {
            rt.cufft.setWorkArea(plan, work.pointer());
            rt.cufft.forward(plan, wide, real.address(), half.pointer());
            try (Kernels.Args args = new Kernels.Args()) {
                args.pointer(out.address()).pointer(half.pointer()).i64(batch).i64(n1).i64(n2).i32(imaginaryPart ? 1 : 0);
                launch("index.cu", (wide ? "fft_expand_c128_" : "fft_expand_c64_") + out.storage.suffix, size, args);
            }
        } finally {
            rt.allocator.release(work);
            rt.allocator.release(half);
        }
        return out;
    }

    /** A dense copy in another storage type. */
    private DeviceArray castTo(DeviceArray a, Storage s) {
        DeviceArray out = alloc(a.shape, s);
        try (Kernels.Args args = new Kernels.Args()) {
            args.pointer(out.address()).pointer(a.address()).struct(layout(a.shape, a.strides));
            launch("elementwise.cu", "cast_" + a.storage.suffix + "_" + s.suffix, a.size(), args);
        }
        return out;
    }

    // ------------------------------------------------------------------ fused attention

    @Override
    public boolean fusesAttention(AttentionKernel kernel, DType dtype) {
        return dtypes().contains(dtype);
    }

    @Override
    public Object fusedAttention(AttentionKernel kernel, Tensor q, Tensor k, Tensor v) {
        int dh = q.dim(3);
        if (dh > FusedAttention.MAX_HEAD_DIM) {
            throw new UnsupportedProblemException("backend '" + name() + "': the fused attention kernels take head widths up to "
                    + FusedAttention.MAX_HEAD_DIM + ", got " + dh);
        }
        return new FusedAttention(this, rt).run(kernel, arr(q), arr(k), arr(v));
    }

    // package-private access for FusedAttention
    DeviceArray allocate(int[] shape, Storage s) {
        return alloc(shape, s);
    }

    DeviceArray denseCopy(DeviceArray a) {
        return dense(a);
    }

    void launchKernel(String file, String function, int gridX, int gridY, int block, int shared, Kernels.Args args) {
        launchGrid(file, function, gridX, gridY, block, shared, args);
    }
}
