package org.attnbench.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.stream.IntStream;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Softmax over the rows of a row-major [rows, len] buffer, with an optional 0/1 mask of [maskRows, len] that
 * repeats over the rows (row r uses mask row r % maskRows: a causal mask shared by every batch item and head).
 * Masked entries come out exactly 0 and a row with nothing allowed comes out all 0. One pass for the maximum,
 * one that writes exp(x - max) and sums it, one that scales: a row is small enough to stay in cache, so memory
 * sees one read and one write. Rows are split across all cores.
 *
 * <p>It exists because libnd4j's softmax returns NaN for rows of very negative logits in float64 (the masked
 * rows), needs separate passes to apply a mask, and was twice as slow on [8, 4096, 4096] in float32.
 */
final class SoftmaxKernel {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    /** Rows per parallel task: enough work per task to amortise scheduling. */
    private static final int ROWS_PER_TASK = 64;

    private SoftmaxKernel() {}

    static void run(MemorySegment in, MemorySegment out, long rows, int len, MemorySegment mask, long maskRows, boolean float64) {
        int tasks = (int) ((rows + ROWS_PER_TASK - 1) / ROWS_PER_TASK);
        IntStream.range(0, tasks).parallel().forEach(task -> {
            long end = Math.min(rows, (long) (task + 1) * ROWS_PER_TASK);
            for (long r = (long) task * ROWS_PER_TASK; r < end; r++) {
                long maskRow = mask == null ? -1 : r % maskRows;
                if (float64) rowDouble(in, out, r * len, len, mask, maskRow * len);
                else rowFloat(in, out, r * len, len, mask, maskRow * len);
            }
        });
    }

    private static void rowFloat(MemorySegment in, MemorySegment out, long start, int len, MemorySegment mask, long maskStart) {
        long base = start * 4, maskBase = maskStart * 4;
        int upper = F.loopBound(len);
        FloatVector maxV = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        float max = Float.NEGATIVE_INFINITY;
        int i = 0;
        for (; i < upper; i += F.length()) {
            FloatVector x = FloatVector.fromMemorySegment(F, in, base + i * 4L, ByteOrder.nativeOrder());
            if (mask != null) {
                VectorMask<Float> allowed = FloatVector.fromMemorySegment(F, mask, maskBase + i * 4L, ByteOrder.nativeOrder())
                        .compare(VectorOperators.NE, 0f);
                x = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY).blend(x, allowed);
            }
            maxV = maxV.max(x);
        }
        max = maxV.reduceLanes(VectorOperators.MAX);
        for (; i < len; i++) {
            if (mask == null || mask.get(FLOAT, maskBase + i * 4L) != 0f) max = Math.max(max, in.get(FLOAT, base + i * 4L));
        }
        if (max == Float.NEGATIVE_INFINITY) {
            out.asSlice(base, len * 4L).fill((byte) 0);
            return;
        }
        FloatVector sumV = FloatVector.zero(F);
        for (i = 0; i < upper; i += F.length()) {
            FloatVector e = FloatVector.fromMemorySegment(F, in, base + i * 4L, ByteOrder.nativeOrder()).sub(max)
                    .lanewise(VectorOperators.EXP);
            if (mask != null) {
                VectorMask<Float> allowed = FloatVector.fromMemorySegment(F, mask, maskBase + i * 4L, ByteOrder.nativeOrder())
                        .compare(VectorOperators.NE, 0f);
                e = FloatVector.zero(F).blend(e, allowed);
            }
            e.intoMemorySegment(out, base + i * 4L, ByteOrder.nativeOrder());
            sumV = sumV.add(e);
        }
        float sum = sumV.reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) {
            float e = mask == null || mask.get(FLOAT, maskBase + i * 4L) != 0f ? (float) Math.exp(in.get(FLOAT, base + i * 4L) - max) : 0f;
            out.set(FLOAT, base + i * 4L, e);
            sum += e;
        }
        float scale = 1f / sum;
        for (i = 0; i < upper; i += F.length()) {
            FloatVector.fromMemorySegment(F, out, base + i * 4L, ByteOrder.nativeOrder()).mul(scale)
                    .intoMemorySegment(out, base + i * 4L, ByteOrder.nativeOrder());
        }
        for (; i < len; i++) out.set(FLOAT, base + i * 4L, out.get(FLOAT, base + i * 4L) * scale);
    }

    private static void rowDouble(MemorySegment in, MemorySegment out, long start, int len, MemorySegment mask, long maskStart) {
        long base = start * 8, maskBase = maskStart * 8;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < len; i++) {
            if (mask == null || mask.get(DOUBLE, maskBase + i * 8L) != 0) max = Math.max(max, in.get(DOUBLE, base + i * 8L));
        }
        if (max == Double.NEGATIVE_INFINITY) {
            out.asSlice(base, len * 8L).fill((byte) 0);
            return;
        }
        double sum = 0;
        for (int i = 0; i < len; i++) {
            double e = mask == null || mask.get(DOUBLE, maskBase + i * 8L) != 0 ? Math.exp(in.get(DOUBLE, base + i * 8L) - max) : 0;
            out.set(DOUBLE, base + i * 8L, e);
            sum += e;
        }
        for (int i = 0; i < len; i++) out.set(DOUBLE, base + i * 8L, out.get(DOUBLE, base + i * 8L) / sum);
    }
}
