package org.attnbench.backend.reference;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.apache.commons.math3.special.Erf;
import org.attnbench.api.Backend;
import org.attnbench.api.DType;
import org.attnbench.api.Shapes;
import org.attnbench.api.Tensor;

/**
 * Plain Java loops over row-major double arrays: slow, obvious, and the oracle every other backend is checked
 * against. In float32 every result is rounded to float, so it behaves like a float32 backend; in float64 it keeps
 * full precision. Layout operations copy.
 */
public final class ReferenceBackend implements Backend {

    /** The data of one tensor: row-major values and the shape they have. */
    record Data(double[] v, int[] shape, DType dtype) {}

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public String device() {
        return "cpu";
    }

    @Override
    public String description() {
        return "attnbench reference backend: plain Java loops, one thread";
    }

    @Override
    public Set<DType> dtypes() {
        return EnumSet.of(DType.FLOAT32, DType.FLOAT64);
    }

    private static Data data(Tensor t) {
        return (Data) t.handle();
    }

    private static double[] v(Tensor t) {
        return data(t).v();
    }

    /** Wraps computed values, rounding to float precision for float32. */
    private static Data out(double[] values, int[] shape, DType dtype) {
        if (dtype == DType.FLOAT32) {
            for (int i = 0; i < values.length; i++) values[i] = (float) values[i];
        }
        return new Data(values, shape, dtype);
    }

    private static double[] alloc(int[] shape) {
        return new double[Math.toIntExact(Shapes.size(shape))];
    }

    @Override
    public Object upload(double[] rowMajor, int[] shape, DType dtype) {
        return out(rowMajor.clone(), shape.clone(), dtype);
    }

    @Override
    public Object full(int[] shape, DType dtype, double value) {
        double[] r = alloc(shape);
        java.util.Arrays.fill(r, value);
        return out(r, shape.clone(), dtype);
    }

    @Override
    public double[] download(Tensor t) {
        return v(t).clone();
    }

    @Override
    public Object cast(Tensor a, DType to) {
        return out(v(a).clone(), a.shape(), to);
    }

    @Override
    public Object reshape(Tensor a, int[] shape) {
        return new Data(v(a).clone(), shape.clone(), a.dtype());
    }

    @Override
    public Object permute(Tensor a, int[] perm) {
        int[] in = a.shape();
        int[] outShape = Shapes.permute(in, perm);
        long[] inStrides = Shapes.strides(in);
        double[] src = v(a), r = alloc(outShape);
        int[] idx = new int[outShape.length];
        for (int k = 0; k < r.length; k++) {
            long from = 0;
            for (int d = 0; d < idx.length; d++) from += idx[d] * inStrides[perm[d]];
            r[k] = src[(int) from];
            increment(idx, outShape);
        }
        return new Data(r, outShape, a.dtype());
    }

    /** Advances a row-major multi-index by one. */
    private static void increment(int[] idx, int[] shape) {
        for (int d = idx.length - 1; d >= 0; d--) {
            if (++idx[d] < shape[d]) return;
            idx[d] = 0;
        }
    }

    @Override
    public Object slice(Tensor a, int axis, int start, int end) {
        int[] in = a.shape();
        int[] outShape = Shapes.with(in, axis, end - start);
        int outer = (int) Shapes.size(java.util.Arrays.copyOf(in, axis));
        int inner = (int) (Shapes.size(in) / outer / in[axis]);
        double[] src = v(a), r = alloc(outShape);
        int len = end - start;
        for (int o = 0; o < outer; o++) {
            System.arraycopy(src, (o * in[axis] + start) * inner, r, o * len * inner, len * inner);
        }
        return new Data(r, outShape, a.dtype());
    }

    @Override
    public Object concat(List<Tensor> parts, int axis, int[] outShape) {
        int outer = (int) Shapes.size(java.util.Arrays.copyOf(outShape, axis));
        int inner = (int) (Shapes.size(outShape) / outer / outShape[axis]);
        double[] r = alloc(outShape);
        int offset = 0;
        for (Tensor t : parts) {
            int len = t.dim(axis);
            double[] src = v(t);
            for (int o = 0; o < outer; o++) {
                System.arraycopy(src, o * len * inner, r, (o * outShape[axis] + offset) * inner, len * inner);
            }
            offset += len;
        }
        return new Data(r, outShape.clone(), parts.get(0).dtype());
    }

    @Override
    public Object pad(Tensor a, int axis, int before, int after, double value) {
        int[] in = a.shape();
        int[] outShape = Shapes.with(in, axis, in[axis] + before + after);
        int outer = (int) Shapes.size(java.util.Arrays.copyOf(in, axis));
        int inner = (int) (Shapes.size(in) / outer / in[axis]);
        double[] src = v(a), r = alloc(outShape);
        java.util.Arrays.fill(r, value);
        for (int o = 0; o < outer; o++) {
            System.arraycopy(src, o * in[axis] * inner, r, (o * outShape[axis] + before) * inner, in[axis] * inner);
        }
        return out(r, outShape, a.dtype());
    }

    @Override
    public Object broadcastTo(Tensor a, int[] shape) {
        long[] s = Shapes.broadcastStrides(a.shape(), shape);
        double[] src = v(a), r = alloc(shape);
        int[] idx = new int[shape.length];
        for (int k = 0; k < r.length; k++) {
            r[k] = src[(int) offset(idx, s)];
            increment(idx, shape);
        }
        return new Data(r, shape.clone(), a.dtype());
    }

    private static long offset(int[] idx, long[] strides) {
        long o = 0;
        for (int d = 0; d < idx.length; d++) o += idx[d] * strides[d];
        return o;
    }

    @Override
    public Object matmul(Tensor a, boolean ta, Tensor b, boolean tb, int[] outShape) {
        int rank = outShape.length;
        int m = outShape[rank - 2], n = outShape[rank - 1];
        int k = ta ? a.dim(-2) : a.dim(-1);
        int[] batch = java.util.Arrays.copyOf(outShape, rank - 2);
        long[] aBatch = Shapes.broadcastStrides(java.util.Arrays.copyOf(a.shape(), a.rank() - 2), batch);
        long[] bBatch = Shapes.broadcastStrides(java.util.Arrays.copyOf(b.shape(), b.rank() - 2), batch);
        int aRows = a.dim(-2), aCols = a.dim(-1), bRows = b.dim(-2), bCols = b.dim(-1);
        double[] av = v(a), bv = v(b), r = alloc(outShape);
        int[] idx = new int[batch.length];
        int batches = (int) Shapes.size(batch);
        for (int bi = 0; bi < batches; bi++) {
            int aOff = (int) (offset(idx, aBatch) * aRows * aCols), bOff = (int) (offset(idx, bBatch) * bRows * bCols);
            int rOff = bi * m * n;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        double x = ta ? av[aOff + p * aCols + i] : av[aOff + i * aCols + p];
                        double y = tb ? bv[bOff + j * bCols + p] : bv[bOff + p * bCols + j];
                        s += x * y;
                    }
                    r[rOff + i * n + j] = s;
                }
            }
            increment(idx, batch);
        }
        return out(r, outShape.clone(), a.dtype());
    }

    private static final double SQRT2 = Math.sqrt(2.0);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

    @Override
    public Object unary(Unary op, Tensor a) {
        double[] src = v(a), r = new double[src.length];
        for (int i = 0; i < r.length; i++) {
            double x = src[i];
            r[i] = switch (op) {
                case NEG -> -x;
                case EXP -> Math.exp(x);
                case LOG -> Math.log(x);
                case SIGMOID -> 1.0 / (1.0 + Math.exp(-x));
                case TANH -> Math.tanh(x);
                case GELU -> 0.5 * x * (1.0 + Erf.erf(x / SQRT2));
                case GELU_DERIVATIVE -> 0.5 * (1.0 + Erf.erf(x / SQRT2)) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
                case RELU -> Math.max(0.0, x);
                case STEP -> x > 0 ? 1.0 : 0.0;
                case SQRT -> Math.sqrt(x);
                case RECIPROCAL -> 1.0 / x;
                case SQUARE -> x * x;
                case ABS -> Math.abs(x);
                case SIGN -> Math.signum(x);
            };
        }
        return out(r, a.shape(), a.dtype());
    }

    @Override
    public Object scalar(Scalar op, Tensor a, double s) {
        double[] src = v(a), r = new double[src.length];
        for (int i = 0; i < r.length; i++) {
            double x = src[i];
            r[i] = switch (op) {
                case ADD -> x + s;
                case MUL -> x * s;
                case POW -> Math.pow(x, s);
                case MAXIMUM -> Math.max(x, s);
                case MINIMUM -> Math.min(x, s);
            };
        }
        return out(r, a.shape(), a.dtype());
    }

    @Override
    public Object binary(Binary op, Tensor a, Tensor b, int[] outShape) {
        long[] as = Shapes.broadcastStrides(a.shape(), outShape), bs = Shapes.broadcastStrides(b.shape(), outShape);
        double[] av = v(a), bv = v(b), r = alloc(outShape);
        int[] idx = new int[outShape.length];
        for (int k = 0; k < r.length; k++) {
            double x = av[(int) offset(idx, as)], y = bv[(int) offset(idx, bs)];
            r[k] = switch (op) {
                case ADD -> x + y;
                case SUB -> x - y;
                case MUL -> x * y;
                case DIV -> x / y;
                case MAXIMUM -> Math.max(x, y);
                case MINIMUM -> Math.min(x, y);
                case GREATER -> x > y ? 1.0 : 0.0;
                case EQUAL -> x == y ? 1.0 : 0.0;
            };
            increment(idx, outShape);
        }
        return out(r, outShape.clone(), a.dtype());
    }

    /** Visits every line along an axis: the callback gets the flat offset of its first element and the stride. */
    private interface Line {
        void visit(int start, int stride);
    }

    private static void lines(int[] shape, int axis, Line line) {
        int outer = (int) Shapes.size(java.util.Arrays.copyOf(shape, axis));
        int inner = (int) (Shapes.size(shape) / outer / shape[axis]);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) line.visit(o * shape[axis] * inner + i, inner);
        }
    }

    @Override
    public Object reduce(Reduce op, Tensor a, int axis) {
        int[] in = a.shape();
        int len = in[axis];
        int[] outShape = Shapes.with(in, axis, 1);
        double[] src = v(a), r = alloc(outShape);
        int inner = (int) (Shapes.size(in) / Shapes.size(java.util.Arrays.copyOf(in, axis)) / len);
        lines(in, axis, (start, stride) -> {
            double acc = op == Reduce.MAX ? Double.NEGATIVE_INFINITY : 0.0;
            for (int j = 0; j < len; j++) {
                double x = src[start + j * stride];
                acc = op == Reduce.MAX ? Math.max(acc, x) : acc + x;
            }
            int o = start / (len * inner) * inner + start % inner;
            r[o] = op == Reduce.MEAN ? acc / len : acc;
        });
        return out(r, outShape, a.dtype());
    }

    @Override
    public Object scan(Scan op, Tensor a, int axis, boolean reverse) {
        int[] in = a.shape();
        int len = in[axis];
        double[] src = v(a), r = new double[src.length];
        lines(in, axis, (start, stride) -> {
            double acc = op == Scan.MAX ? Double.NEGATIVE_INFINITY : 0.0;
            for (int j = 0; j < len; j++) {
                int p = start + (reverse ? len - 1 - j : j) * stride;
                acc = op == Scan.MAX ? Math.max(acc, src[p]) : acc + src[p];
                r[p] = acc;
            }
        });
        return out(r, in, a.dtype());
    }

    @Override
    public Object cummaxBackward(Tensor x, Tensor g, int axis) {
        int[] in = x.shape();
        int len = in[axis];
        double[] xs = v(x), gs = v(g), r = new double[xs.length];
        lines(in, axis, (start, stride) -> {
            int argmax = start;
            for (int j = 0; j < len; j++) {
                int p = start + j * stride;
                if (xs[p] > xs[argmax]) argmax = p;
                r[argmax] += gs[p];
            }
        });
        return out(r, in, x.dtype());
    }

    @Override
    public Object softmax(Tensor a, int axis, Tensor mask) {
        int[] in = a.shape();
        int len = in[axis];
        double[] src = v(a), r = new double[src.length];
        double[] m = mask == null ? null : ((Data) broadcastTo(mask, in)).v();
        lines(in, axis, (start, stride) -> {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < len; j++) {
                int p = start + j * stride;
                if (m == null || m[p] != 0) max = Math.max(max, src[p]);
            }
            if (max == Double.NEGATIVE_INFINITY) return; // nothing allowed: the line stays 0
            double sum = 0;
            for (int j = 0; j < len; j++) {
                int p = start + j * stride;
                if (m == null || m[p] != 0) sum += r[p] = Math.exp(src[p] - max);
            }
            for (int j = 0; j < len; j++) r[start + j * stride] /= sum;
        });
        return out(r, in, a.dtype());
    }

    @Override
    public Object gather(Tensor a, int axis, int[] index, int[] indexShape, int[] outShape) {
        int[] in = a.shape();
        int outer = (int) Shapes.size(java.util.Arrays.copyOf(in, axis));
        int inner = (int) (Shapes.size(in) / outer / in[axis]);
        double[] src = v(a), r = alloc(outShape);
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < index.length; k++) {
                System.arraycopy(src, (o * in[axis] + index[k]) * inner, r, (o * index.length + k) * inner, inner);
            }
        }
        return new Data(r, outShape.clone(), a.dtype());
    }

    @Override
    public Object scatterAdd(Tensor g, int axis, int[] index, int[] indexShape, int[] outShape) {
        int outer = (int) Shapes.size(java.util.Arrays.copyOf(outShape, axis));
        int inner = (int) (Shapes.size(outShape) / outer / outShape[axis]);
        double[] src = v(g), r = alloc(outShape);
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < index.length; k++) {
                int from = (o * index.length + k) * inner, to = (o * outShape[axis] + index[k]) * inner;
                for (int i = 0; i < inner; i++) r[to + i] += src[from + i];
            }
        }
        return out(r, outShape.clone(), g.dtype());
    }

    @Override
    public Object where(Tensor mask, Tensor a, Tensor b, int[] outShape) {
        long[] ms = Shapes.broadcastStrides(mask.shape(), outShape);
        long[] as = Shapes.broadcastStrides(a.shape(), outShape), bs = Shapes.broadcastStrides(b.shape(), outShape);
        double[] mv = v(mask), av = v(a), bv = v(b), r = alloc(outShape);
        int[] idx = new int[outShape.length];
        for (int k = 0; k < r.length; k++) {
            r[k] = mv[(int) offset(idx, ms)] != 0 ? av[(int) offset(idx, as)] : bv[(int) offset(idx, bs)];
            increment(idx, outShape);
        }
        return new Data(r, outShape.clone(), a.dtype());
    }

    @Override
    public Object fft2(Tensor a, boolean imaginaryPart) {
        int[] shape = a.shape();
        int n1 = shape[shape.length - 2], n2 = shape[shape.length - 1];
        double[] src = v(a), r = new double[src.length];
        double[] c1 = cosines(n1), s1 = sines(n1), c2 = cosines(n2), s2 = sines(n2);
        int matrices = src.length / (n1 * n2);
        double[] re = new double[n1 * n2], im = new double[n1 * n2];
        for (int mtx = 0; mtx < matrices; mtx++) {
            int base = mtx * n1 * n2;
            // Along the last axis: T[j][l] = sum_m x[j][m] e^{-2 pi i m l / n2}.
            for (int j = 0; j < n1; j++) {
                for (int l = 0; l < n2; l++) {
                    double sr = 0, si = 0;
                    for (int m = 0; m < n2; m++) {
                        int t = (int) ((long) m * l % n2);
                        double x = src[base + j * n2 + m];
                        sr += x * c2[t];
                        si -= x * s2[t];
                    }
                    re[j * n2 + l] = sr;
                    im[j * n2 + l] = si;
                }
            }
            // Along the other axis: Y[k][l] = sum_j T[j][l] e^{-2 pi i j k / n1}.
            for (int k = 0; k < n1; k++) {
                for (int l = 0; l < n2; l++) {
                    double yr = 0, yi = 0;
                    for (int j = 0; j < n1; j++) {
                        int t = (int) ((long) j * k % n1);
                        double tr = re[j * n2 + l], ti = im[j * n2 + l];
                        // (tr + i ti)(c - i s) = tr c + ti s + i (ti c - tr s)
                        yr += tr * c1[t] + ti * s1[t];
                        yi += ti * c1[t] - tr * s1[t];
                    }
                    r[base + k * n2 + l] = imaginaryPart ? yi : yr;
                }
            }
        }
        return out(r, shape, a.dtype());
    }

    /** cos(2 pi t / n) for t in [0, n), so twiddles come from exact integer phases. */
    private static double[] cosines(int n) {
        double[] c = new double[n];
        for (int t = 0; t < n; t++) c[t] = Math.cos(2 * Math.PI * t / n);
        return c;
    }

    private static double[] sines(int n) {
        double[] s = new double[n];
        for (int t = 0; t < n; t++) s[t] = Math.sin(2 * Math.PI * t / n);
        return s;
    }
}
