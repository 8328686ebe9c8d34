package org.attnbench.backend.cpu;

import static org.attnbench.backend.cpu.ElementwiseKernels.getD;
import static org.attnbench.backend.cpu.ElementwiseKernels.getF;
import static org.attnbench.backend.cpu.ElementwiseKernels.load;
import static org.attnbench.backend.cpu.ElementwiseKernels.setD;
import static org.attnbench.backend.cpu.ElementwiseKernels.setF;
import static org.attnbench.backend.cpu.ElementwiseKernels.store;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Softmax over the rows of a row-major [rows, len] buffer, with an optional 0/1 mask whose rows broadcast over the
 * data's rows (a causal [n, n] mask shared by every batch item and head, a padding mask [B, 1, 1, n] shared by
 * heads and queries). Masked entries come out exactly 0 and a row with nothing allowed comes out all 0. One pass
 * for the maximum, one that writes exp(x - max) and sums it, one that scales: a row is small enough to stay in
 * cache, so memory sees one read and one write. Rows are split across all cores.
 *
 * <p>It exists because libnd4j's softmax returns NaN for rows of very negative logits in float64 (the masked
 * rows), needs separate passes to apply a mask, and was twice as slow on [8, 4096, 4096] in float32.
 */
final class SoftmaxKernel {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = F.length();
    /**
     * A float64 mask that allows everything, read with step 0 for rows without a mask, so that the float64 loop
     * loads the mask unconditionally (see ElementwiseKernels.REPEATS for why loads under a condition are avoided).
     * float32 rows have a loop of their own for each case instead, since blending with a mask costs 20% where
     * rows stay in cache.
     */
    private static final MemorySegment ALLOW_DOUBLE = Arena.global().allocate(8, 8);

    static {
        ElementwiseKernels.fill(ALLOW_DOUBLE, 1, 1.0, true);
    }

    private SoftmaxKernel() {}

    /**
     * Where each data row finds its mask row: the data's leading axes (all but the softmax axis) and the mask's
     * element strides along them, 0 where the mask repeats. The mask's last axis is contiguous and has len entries.
     */
    record MaskRows(MemorySegment mask, long[] rowDims, long[] rowStrides) {
        long offset(long row) {
            long offset = 0;
            for (int d = rowDims.length - 1; d >= 0; d--) {
                offset += row % rowDims[d] * rowStrides[d];
                row /= rowDims[d];
            }
            return offset;
        }
    }

    static void run(MemorySegment in, MemorySegment out, long rows, int len, MaskRows mask, boolean float64) {
        MemorySegment allowDouble = mask == null ? ALLOW_DOUBLE : mask.mask();
        long step = mask == null ? 0 : 1;
        Parallel.forItems(rows, len, (from, to) -> {
            for (long r = from; r < to; r++) {
                long start = r * len;
                if (float64) rowDouble(in, out, start, len, allowDouble, mask == null ? 0 : mask.offset(r), step);
                else if (mask == null) rowFloat(in, out, start, len);
                else rowFloatMasked(in, out, start, len, mask.mask(), mask.offset(r));
            }
        });
    }

    private static void rowFloat(MemorySegment in, MemorySegment out, long start, int len) {
        FloatVector maxV = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int upper = F.loopBound(len), i = 0;
        for (; i < upper; i += LANES) maxV = maxV.max(load(in, start + i));
        float max = maxV.reduceLanes(VectorOperators.MAX);
        for (; i < len; i++) max = Math.max(max, getF(in, start + i));
        if (max == Float.NEGATIVE_INFINITY) {
            out.asSlice(start * 4, len * 4L).fill((byte) 0);
            return;
        }
        FloatVector sumV = FloatVector.zero(F);
        for (i = 0; i < upper; i += LANES) {
            FloatVector e = load(in, start + i).sub(max).lanewise(VectorOperators.EXP);
            store(e, out, start + i);
            sumV = sumV.add(e);
        }
        float sum = sumV.reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) {
            float e = (float) Math.exp(getF(in, start + i) - max);
            setF(out, start + i, e);
            sum += e;
        }
        scale(out, start, len, 1f / sum);
    }

    private static void rowFloatMasked(MemorySegment in, MemorySegment out, long start, int len, MemorySegment mask,
                                       long maskStart) {
        FloatVector minusInfinity = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY), zero = FloatVector.zero(F);
        FloatVector maxV = minusInfinity;
        int upper = F.loopBound(len), i = 0;
        for (; i < upper; i += LANES) {
            VectorMask<Float> allowed = load(mask, maskStart + i).compare(VectorOperators.NE, 0f);
            maxV = maxV.max(minusInfinity.blend(load(in, start + i), allowed));
        }
        float max = maxV.reduceLanes(VectorOperators.MAX);
        for (; i < len; i++) {
            if (getF(mask, maskStart + i) != 0f) max = Math.max(max, getF(in, start + i));
        }
        if (max == Float.NEGATIVE_INFINITY) {
            out.asSlice(start * 4, len * 4L).fill((byte) 0);
            return;
        }
        FloatVector sumV = zero;
        for (i = 0; i < upper; i += LANES) {
            VectorMask<Float> allowed = load(mask, maskStart + i).compare(VectorOperators.NE, 0f);
            FloatVector e = zero.blend(load(in, start + i).sub(max).lanewise(VectorOperators.EXP), allowed);
            store(e, out, start + i);
            sumV = sumV.add(e);
        }
        float sum = sumV.reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) {
            float e = getF(mask, maskStart + i) != 0f ? (float) Math.exp(getF(in, start + i) - max) : 0f;
            setF(out, start + i, e);
            sum += e;
        }
        scale(out, start, len, 1f / sum);
    }

    private static void scale(MemorySegment out, long start, int len, float factor) {
        int upper = F.loopBound(len), i = 0;
        for (; i < upper; i += LANES) store(load(out, start + i).mul(factor), out, start + i);
        for (; i < len; i++) setF(out, start + i, getF(out, start + i) * factor);
    }

    private static void rowDouble(MemorySegment in, MemorySegment out, long start, int len, MemorySegment mask,
                                  long maskStart, long maskStep) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < len; i++) {
            if (getD(mask, maskStart + i * maskStep) != 0) max = Math.max(max, getD(in, start + i));
        }
        if (max == Double.NEGATIVE_INFINITY) {
            out.asSlice(start * 8, len * 8L).fill((byte) 0);
            return;
        }
        double sum = 0;
        for (int i = 0; i < len; i++) {
            double e = getD(mask, maskStart + i * maskStep) != 0 ? Math.exp(getD(in, start + i) - max) : 0;
            setD(out, start + i, e);
            sum += e;
        }
        for (int i = 0; i < len; i++) setD(out, start + i, getD(out, start + i) / sum);
    }
}
