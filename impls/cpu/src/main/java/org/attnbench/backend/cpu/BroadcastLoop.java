package org.attnbench.backend.cpu;

import java.util.Arrays;

import org.attnbench.api.Shapes;

/**
 * The loop nest of an elementwise operation whose operands (up to three, each contiguous row-major) broadcast to
 * one contiguous row-major output. Axes of size 1 are dropped and neighbouring axes that every operand walks
 * through in the same way are merged, so the common cases become few long runs: equal shapes are one flat run, a
 * bias [d] against [B, n, d] is runs of d against the same d values, row statistics [.., n, 1] against
 * [.., n, n] are runs of n against one value each. Along a run an operand either advances one element per
 * output element (step 1) or repeats one value (step 0).
 */
final class BroadcastLoop {
    /** Sizes of the merged output axes, outermost first; the last is the run axis. */
    private final long[] dims;
    /** Element strides of each operand along the merged axes, 0 where it repeats. */
    private final long[][] strides;
    private final long size;

    BroadcastLoop(int[] outShape, int[]... operandShapes) {
        int rank = outShape.length, operands = operandShapes.length;
        long[][] full = new long[operands][];
        for (int k = 0; k < operands; k++) full[k] = Shapes.broadcastStrides(operandShapes[k], outShape);
        long[] mergedDims = new long[Math.max(1, rank)];
        long[][] mergedStrides = new long[operands][mergedDims.length];
        // Built from the innermost axis outwards; slot `count - 1` is the outermost group so far.
        int count = 0;
        for (int axis = rank - 1; axis >= 0; axis--) {
            if (outShape[axis] == 1) continue;
            boolean merges = count > 0;
            for (int k = 0; k < operands && merges; k++) {
                merges = full[k][axis] == mergedStrides[k][count - 1] * mergedDims[count - 1];
            }
            if (merges) {
                mergedDims[count - 1] *= outShape[axis];
            } else {
                mergedDims[count] = outShape[axis];
                for (int k = 0; k < operands; k++) mergedStrides[k][count] = full[k][axis];
                count++;
            }
        }
        if (count == 0) {
            mergedDims[0] = 1;
            count = 1;
        }
        dims = reverse(Arrays.copyOf(mergedDims, count));
        strides = new long[operands][];
        for (int k = 0; k < operands; k++) strides[k] = reverse(Arrays.copyOf(mergedStrides[k], count));
        size = Shapes.size(outShape);
    }

    private static long[] reverse(long[] a) {
        for (int i = 0, j = a.length - 1; i < j; i++, j--) {
            long t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    long size() {
        return size;
    }

    /** True when operand k advances along runs; false when it repeats one value across each run. */
    boolean steps(int k) {
        return strides[k][dims.length - 1] != 0;
    }

    /** One run: output elements [out, out + length) from operands starting at the given element offsets. */
    interface Run {
        void apply(long out, long in0, long in1, long in2, long length);
    }

    /** Visits every run, in parallel chunks of the output. */
    void forEach(Run run) {
        Parallel.forRange(size, Parallel.GRAIN, (from, to) -> visit(from, to, run));
    }

    private void visit(long from, long to, Run run) {
        int outerAxes = dims.length - 1;
        long runLength = dims[outerAxes];
        long[] index = new long[outerAxes];
        long rest = from / runLength, along = from % runLength;
        for (int d = outerAxes - 1; d >= 0; d--) {
            index[d] = rest % dims[d];
            rest /= dims[d];
        }
        for (long at = from; at < to; ) {
            long length = Math.min(runLength - along, to - at);
            run.apply(at, offset(0, index, along), offset(1, index, along), offset(2, index, along), length);
            at += length;
            along = 0;
            for (int d = outerAxes - 1; d >= 0 && ++index[d] == dims[d]; d--) index[d] = 0;
        }
    }

    private long offset(int k, long[] index, long along) {
        if (k >= strides.length) return 0;
        long[] s = strides[k];
        long o = along * s[index.length];
        for (int d = 0; d < index.length; d++) o += index[d] * s[d];
        return o;
    }
}
