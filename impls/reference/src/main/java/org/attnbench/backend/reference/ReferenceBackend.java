package org.attnbench.backend.reference;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.apache.commons.math3.special.Erf;
import org.attnbench.api.AttentionKernel;
import org.attnbench.api.Backend;
import org.attnbench.api.DType;
import org.attnbench.api.Shapes;
import org.attnbench.api.Tensor;

/**
 * Plain Java loops over row-major double arrays: slow, obvious, and the oracle every other backend is checked
 * against. Sums accumulate in double. In float32 every result is rounded to float once, at the end, so the backend
 * behaves like a float32 device with exact accumulation; in float64 it keeps full precision. Layout operations copy.
 */
public final class ReferenceBackend implements Backend {

    /** The handle of a tensor: its values in row-major order, already rounded to its dtype. */
    static final class Data {
        final double[] values;

        Data(double[] values) {
            this.values = values;
        }
    }

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
        return "attnbench reference backend: plain Java loops, one thread, double accumulation (Java "
                + Runtime.version() + ")";
    }

    @Override
    public Set<DType> dtypes() {
        return EnumSet.of(DType.FLOAT32, DType.FLOAT64);
    }

    // ------------------------------------------------------------------ helpers

    private static double[] values(Tensor t) {
        return ((Data) t.handle()).values;
    }

    /** Wraps freshly computed values, rounding them to float precision for float32 (idempotent on stored values). */
    private static Data result(double[] values, DType dtype) {
        if (dtype == DType.FLOAT32) {
            for (int i = 0; i < values.length; i++) values[i] = (float) values[i];
        }
        return new Data(values);
    }

    private static int size(int[] shape) {
        return Math.toIntExact(Shapes.size(shape));
    }

    /** Product of the dimensions before an axis. */
    private static int outer(int[] shape, int axis) {
        return size(Arrays.copyOfRange(shape, 0, axis));
    }

    /** Product of the dimensions after an axis: the stride of that axis. */
    private static int inner(int[] shape, int axis) {
        return size(Arrays.copyOfRange(shape, axis + 1, shape.length));
    }

    /**
     * For each element of a tensor of shape {@code outShape}, in row-major order, the flat position
     * {@code sum idx[d] * strides[d]}: with broadcast strides this reads a broadcast input, with permuted strides a
     * permuted one.
     */
    private static int[] offsets(int[] outShape, long[] strides) {
        int[] out = new int[size(outShape)];
        int[] idx = new int[outShape.length];
        for (int k = 0; k < out.length; k++) {
            long offset = 0;
            for (int d = 0; d < idx.length; d++) offset += idx[d] * strides[d];
            out[k] = (int) offset;
            // next row-major index: bump the last axis, carrying into earlier ones
            for (int d = idx.length - 1; d >= 0 && ++idx[d] == outShape[d]; d--) idx[d] = 0;
        }
        return out;
    }

    /** Where each element of outShape reads from in an input of shape {@code in} broadcast to it. */
    private static int[] broadcastOffsets(int[] in, int[] outShape) {
        return offsets(outShape, Shapes.broadcastStrides(in, outShape));
    }

    // ------------------------------------------------------------------ data movement

    @Override
    public Object upload(double[] rowMajor, int[] shape, DType dtype) {
        return result(rowMajor.clone(), dtype);
    }

    @Override
    public Object full(int[] shape, DType dtype, double value) {
        double[] r = new double[size(shape)];
        Arrays.fill(r, value);
        return result(r, dtype);
    }

    @Override
    public double[] download(Tensor t) {
        return values(t).clone();
    }

    @Override
    public Object cast(Tensor a, DType to) {
        return result(values(a).clone(), to);
    }

    // ------------------------------------------------------------------ layout

    @Override
    public Object reshape(Tensor a, int[] shape) {
        return result(values(a).clone(), a.dtype());
    }

    @Override
    public Object permute(Tensor a, int[] perm) {
        long[] inStrides = Shapes.strides(a.shape());
        long[] strides = new long[perm.length];
        for (int d = 0; d < perm.length; d++) strides[d] = inStrides[perm[d]];
        int[] from = offsets(Shapes.permute(a.shape(), perm), strides);
        double[] src = values(a), r = new double[from.length];
        for (int k = 0; k < r.length; k++) r[k] = src[from[k]];
        return result(r, a.dtype());
    }

    @Override
    public Object slice(Tensor a, int axis, int start, int end) {
        int[] in = a.shape();
        int outer = outer(in, axis), inner = inner(in, axis), len = end - start;
        double[] src = values(a), r = new double[outer * len * inner];
        for (int o = 0; o < outer; o++) {
            System.arraycopy(src, (o * in[axis] + start) * inner, r, o * len * inner, len * inner);
        }
        return result(r, a.dtype());
    }

    @Override
    public Object concat(List<Tensor> parts, int axis, int[] outShape) {
        int outer = outer(outShape, axis), inner = inner(outShape, axis), total = outShape[axis];
        double[] r = new double[size(outShape)];
        int at = 0;
        for (Tensor t : parts) {
            int len = t.dim(axis);
            double[] src = values(t);
            for (int o = 0; o < outer; o++) {
                System.arraycopy(src, o * len * inner, r, (o * total + at) * inner, len * inner);
            }
            at += len;
        }
        return result(r, parts.get(0).dtype());
    }

    @Override
    public Object pad(Tensor a, int axis, int before, int after, double value) {
        int[] in = a.shape();
        int outer = outer(in, axis), inner = inner(in, axis), len = in[axis], total = len + before + after;
        double[] src = values(a), r = new double[outer * total * inner];
        Arrays.fill(r, value);
        for (int o = 0; o < outer; o++) {
            System.arraycopy(src, o * len * inner, r, (o * total + before) * inner, len * inner);
        }
        return result(r, a.dtype());
    }

    @Override
    public Object broadcastTo(Tensor a, int[] shape) {
        int[] from = broadcastOffsets(a.shape(), shape);
        double[] src = values(a), r = new double[from.length];
        for (int k = 0; k < r.length; k++) r[k] = src[from[k]];
        return result(r, a.dtype());
    }

    // ------------------------------------------------------------------ arithmetic

    @Override
    public Object matmul(Tensor a, boolean transposeA, Tensor b, boolean transposeB, int[] outShape) {
        int rank = outShape.length;
        int m = outShape[rank - 2], n = outShape[rank - 1], k = transposeA ? a.dim(-2) : a.dim(-1);
        int aCols = a.dim(-1), bCols = b.dim(-1), aMatrix = a.dim(-2) * aCols, bMatrix = b.dim(-2) * bCols;
        // Which matrix of a and of b each output matrix uses, the leading axes broadcasting.
        int[] batch = Arrays.copyOf(outShape, rank - 2);
        int[] aBatch = broadcastOffsets(Arrays.copyOf(a.shape(), a.rank() - 2), batch);
        int[] bBatch = broadcastOffsets(Arrays.copyOf(b.shape(), b.rank() - 2), batch);
        double[] av = values(a), bv = values(b), r = new double[size(outShape)];
        for (int mat = 0; mat < aBatch.length; mat++) {
            int aBase = aBatch[mat] * aMatrix, bBase = bBatch[mat] * bMatrix, rBase = mat * m * n;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int p = 0; p < k; p++) {
                        double x = transposeA ? av[aBase + p * aCols + i] : av[aBase + i * aCols + p];
                        double y = transposeB ? bv[bBase + j * bCols + p] : bv[bBase + p * bCols + j];
                        sum += x * y;
                    }
                    r[rBase + i * n + j] = sum;
                }
            }
        }
        return result(r, a.dtype());
    }

    private static final double SQRT_2 = Math.sqrt(2.0);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

    @Override
    public Object unary(Unary op, Tensor a) {
        double[] src = values(a), r = new double[src.length];
        for (int i = 0; i < r.length; i++) {
            double x = src[i];
            r[i] = switch (op) {
                case NEG -> -x;
                case EXP -> Math.exp(x);
                case LOG -> Math.log(x);
                case SIGMOID -> 1.0 / (1.0 + Math.exp(-x));
                case TANH -> Math.tanh(x);
                case GELU -> x * normalCdf(x);
                case GELU_DERIVATIVE -> normalCdf(x) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
                case RELU -> Math.max(0.0, x);
                case STEP -> x > 0 ? 1.0 : 0.0;
                case SQRT -> Math.sqrt(x);
                case RECIPROCAL -> 1.0 / x;
                case SQUARE -> x * x;
                case ABS -> Math.abs(x);
                case SIGN -> Math.signum(x);
            };
        }
        return result(r, a.dtype());
    }

    /** Phi(x), the standard normal distribution function. */
    private static double normalCdf(double x) {
        return 0.5 * (1.0 + Erf.erf(x / SQRT_2));
    }

    @Override
    public Object scalar(Scalar op, Tensor a, double s) {
        double[] src = values(a), r = new double[src.length];
        for (int i = 0; i < r.length; i++) {
            double x = src[i];
            r[i] = op.apply(x, s);
        }
        return result(r, a.dtype());
    }

    @Override
    public Object binary(Binary op, Tensor a, Tensor b, int[] outShape) {
        int[] fromA = broadcastOffsets(a.shape(), outShape), fromB = broadcastOffsets(b.shape(), outShape);
        double[] av = values(a), bv = values(b), r = new double[fromA.length];
        for (int k = 0; k < r.length; k++) {
            double x = av[fromA[k]], y = bv[fromB[k]];
            r[k] = op.apply(x, y);
        }
        return result(r, a.dtype());
    }

    @Override
    public Object where(Tensor mask, Tensor a, Tensor b, int[] outShape) {
        int[] fromMask = broadcastOffsets(mask.shape(), outShape);
        int[] fromA = broadcastOffsets(a.shape(), outShape), fromB = broadcastOffsets(b.shape(), outShape);
        double[] mv = values(mask), av = values(a), bv = values(b), r = new double[fromA.length];
        for (int k = 0; k < r.length; k++) r[k] = mv[fromMask[k]] != 0 ? av[fromA[k]] : bv[fromB[k]];
        return result(r, a.dtype());
    }

    // ------------------------------------------------------------------ along one axis
    // A tensor is seen as [outer, len, inner]: line (o, i) along the axis starts at o * len * inner + i, stride inner.

    @Override
    public Object reduce(Reduce op, Tensor a, int axis) {
        int[] in = a.shape();
        int outer = outer(in, axis), len = in[axis], inner = inner(in, axis);
        double[] src = values(a), r = new double[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int start = o * len * inner + i;
                double acc = op == Reduce.MAX ? Double.NEGATIVE_INFINITY : 0.0;
                for (int j = 0; j < len; j++) {
                    double x = src[start + j * inner];
                    acc = op == Reduce.MAX ? Math.max(acc, x) : acc + x;
                }
                r[o * inner + i] = op == Reduce.MEAN ? acc / len : acc;
            }
        }
        return result(r, a.dtype());
    }

    @Override
    public Object scan(Scan op, Tensor a, int axis, boolean reverse) {
        int[] in = a.shape();
        int outer = outer(in, axis), len = in[axis], inner = inner(in, axis);
        double[] src = values(a), r = new double[src.length];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int start = o * len * inner + i;
                double acc = op == Scan.MAX ? Double.NEGATIVE_INFINITY : 0.0;
                for (int step = 0; step < len; step++) {
                    int p = start + (reverse ? len - 1 - step : step) * inner;
                    acc = op == Scan.MAX ? Math.max(acc, src[p]) : acc + src[p];
                    r[p] = acc;
                }
            }
        }
        return result(r, a.dtype());
    }

    @Override
    public Object decayScan(Tensor decay, Tensor x, int axis, boolean reverse) {
        int[] in = x.shape();
        int outer = outer(in, axis), len = in[axis], inner = inner(in, axis);
        double[] d = values(decay), src = values(x), r = new double[src.length];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int start = o * len * inner + i;
                double acc = 0.0;
                for (int step = 0; step < len; step++) {
                    int p = start + (reverse ? len - 1 - step : step) * inner;
                    acc = step == 0 ? src[p] : d[p] * acc + src[p];
                    r[p] = acc;
                }
            }
        }
        return result(r, x.dtype());
    }

    @Override
    public Object cummaxBackward(Tensor x, Tensor g, int axis) {
        int[] in = x.shape();
        int outer = outer(in, axis), len = in[axis], inner = inner(in, axis);
        double[] xv = values(x), gv = values(g), r = new double[xv.length];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int start = o * len * inner + i;
                // The running maximum moves only to a value strictly greater than all before it.
                int setAt = start;
                for (int j = 0; j < len; j++) {
                    int p = start + j * inner;
                    if (xv[p] > xv[setAt]) setAt = p;
                    r[setAt] += gv[p];
                }
            }
        }
        return result(r, x.dtype());
    }

    @Override
    public Object softmax(Tensor a, int axis, Tensor maskOrNull) {
        int[] in = a.shape();
        int outer = outer(in, axis), len = in[axis], inner = inner(in, axis);
        double[] src = values(a), r = new double[src.length];
        boolean[] allowed = new boolean[src.length];
        if (maskOrNull == null) {
            Arrays.fill(allowed, true);
        } else {
            int[] fromMask = broadcastOffsets(maskOrNull.shape(), in);
            double[] mv = values(maskOrNull);
            for (int k = 0; k < allowed.length; k++) allowed[k] = mv[fromMask[k]] != 0;
        }
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int start = o * len * inner + i;
                boolean any = false;
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < len; j++) {
                    int p = start + j * inner;
                    if (allowed[p]) {
                        any = true;
                        max = Math.max(max, src[p]);
                    }
                }
                if (!any) continue; // a fully masked line stays all 0
                double sum = 0;
                for (int j = 0; j < len; j++) {
                    int p = start + j * inner;
                    if (allowed[p]) {
                        r[p] = Math.exp(src[p] - max);
                        sum += r[p];
                    }
                }
                for (int j = 0; j < len; j++) {
                    int p = start + j * inner;
                    if (allowed[p]) r[p] /= sum;
                }
            }
        }
        return result(r, a.dtype());
    }

    // ------------------------------------------------------------------ fused attention

    /** Every kernel: the reference is the oracle the fused kernels of other backends are checked against. */
    @Override
    public boolean fusesAttention(AttentionKernel kernel, DType dtype) {
        return dtypes().contains(dtype);
    }

    /** The definition, a row at a time in double: logits of the visible keys, their weights, the weighted values. */
    @Override
    public Object fusedAttention(AttentionKernel kernel, Tensor q, Tensor k, Tensor v) {
        int[] shape = q.shape();
        int heads = shape[0] * shape[1], n = shape[2], dh = shape[3];
        double[] qv = values(q), kv = values(k), vv = values(v), r = new double[qv.length];
        double[] w = new double[n];
        boolean softmax = kernel.weighting() == AttentionKernel.Weighting.SOFTMAX;
        for (int h = 0; h < heads; h++) {
            int base = h * n * dh;
            for (int i = 0; i < n; i++) {
                int from = kernel.firstKey(i), to = kernel.endKey(i, n);
                double max = Double.NEGATIVE_INFINITY;
                for (int j = from; j < to; j++) {
                    double dot = 0;
                    for (int c = 0; c < dh; c++) dot += qv[base + i * dh + c] * kv[base + j * dh + c];
                    w[j] = kernel.scale() * dot;
                    max = Math.max(max, w[j]);
                }
                double sum = 0;
                for (int j = from; j < to; j++) {
                    w[j] = softmax ? Math.exp(w[j] - max) : 1.0 / (1.0 + Math.exp(-(w[j] + kernel.bias())));
                    sum += w[j];
                }
                double norm = softmax ? 1.0 / sum : 1.0;
                for (int j = from; j < to; j++) {
                    for (int c = 0; c < dh; c++) r[base + i * dh + c] += w[j] * norm * vv[base + j * dh + c];
                }
            }
        }
        return result(r, q.dtype());
    }

    // ------------------------------------------------------------------ indexing
    // Both see a as [outer, len, inner] and the gathered tensor as [outer, index.length, inner]: the index shape
    // occupies the middle in row-major order, so flattening it is enough.

    @Override
    public Object gather(Tensor a, int axis, int[] index, int[] indexShape, int[] outShape) {
        int[] in = a.shape();
        int outer = outer(in, axis), len = in[axis], inner = inner(in, axis);
        double[] src = values(a), r = new double[size(outShape)];
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < index.length; k++) {
                System.arraycopy(src, (o * len + index[k]) * inner, r, (o * index.length + k) * inner, inner);
            }
        }
        return result(r, a.dtype());
    }

    @Override
    public Object scatterAdd(Tensor g, int axis, int[] index, int[] indexShape, int[] outShape) {
        int outer = outer(outShape, axis), len = outShape[axis], inner = inner(outShape, axis);
        double[] src = values(g), r = new double[size(outShape)];
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < index.length; k++) {
                int from = (o * index.length + k) * inner, to = (o * len + index[k]) * inner;
                for (int i = 0; i < inner; i++) r[to + i] += src[from + i];
            }
        }
        return result(r, g.dtype());
    }

    // ------------------------------------------------------------------ Fourier

    @Override
    public Object fft2(Tensor a, boolean imaginaryPart) {
        int[] shape = a.shape();
        int n1 = shape[shape.length - 2], n2 = shape[shape.length - 1], matrixSize = n1 * n2;
        UnitRoots w1 = new UnitRoots(n1), w2 = new UnitRoots(n2);
        double[] src = values(a), r = new double[src.length];
        double[] re = new double[matrixSize], im = new double[matrixSize];
        for (int base = 0; base < src.length; base += matrixSize) {
            // Along the last axis: T[j][l] = sum_m x[j][m] e^{-2 pi i m l / n2}.
            for (int j = 0; j < n1; j++) {
                for (int l = 0; l < n2; l++) {
                    double sumRe = 0, sumIm = 0;
                    for (int m = 0; m < n2; m++) {
                        int t = (int) ((long) m * l % n2);
                        double x = src[base + j * n2 + m];
                        sumRe += x * w2.cos[t];
                        sumIm -= x * w2.sin[t];
                    }
                    re[j * n2 + l] = sumRe;
                    im[j * n2 + l] = sumIm;
                }
            }
            // Along the other axis: Y[k][l] = sum_j T[j][l] e^{-2 pi i j k / n1}, with
            // (tr + i ti)(c - i s) = (tr c + ti s) + i (ti c - tr s).
            for (int k = 0; k < n1; k++) {
                for (int l = 0; l < n2; l++) {
                    double sumRe = 0, sumIm = 0;
                    for (int j = 0; j < n1; j++) {
                        int t = (int) ((long) j * k % n1);
                        double tr = re[j * n2 + l], ti = im[j * n2 + l], c = w1.cos[t], s = w1.sin[t];
                        sumRe += tr * c + ti * s;
                        sumIm += ti * c - tr * s;
                    }
                    r[base + k * n2 + l] = imaginaryPart ? sumIm : sumRe;
                }
            }
        }
        return result(r, a.dtype());
    }

    /**
     * cos and sin of 2 pi t / n for t in [0, n). Each angle is split into the nearest whole quarter turn, applied
     * exactly by swapping and negating, plus a remainder of at most pi/4 whose integer numerator 4t - qn is exact:
     * quarter and half turns come out as exact 0 and +-1, and mirrored angles as equal magnitudes.
     */
    private static final class UnitRoots {
        final double[] cos, sin;

        UnitRoots(int n) {
            cos = new double[n];
            sin = new double[n];
            for (int t = 0; t < n; t++) {
                long quarters = Math.round(4.0 * t / n);
                double rest = 2 * Math.PI * (4L * t - quarters * n) / (4.0 * n);
                double c = Math.cos(rest), s = Math.sin(rest);
                switch ((int) (quarters % 4)) {
                    case 0 -> { cos[t] = c; sin[t] = s; }
                    case 1 -> { cos[t] = -s; sin[t] = c; }
                    case 2 -> { cos[t] = -c; sin[t] = -s; }
                    default -> { cos[t] = s; sin[t] = -c; }
                }
            }
        }
    }
}
