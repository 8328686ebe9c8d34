package org.attnbench.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.attnbench.api.Shapes;
import org.junit.jupiter.api.Test;

/**
 * The layouts handed to the elementwise kernels: coalescing axes must leave every operand's k-th element where it was.
 * The kernels' offset arithmetic (common.cuh's offsets) is written out here to compare before and after.
 */
class LayoutTest {

    /** What common.cuh computes: operand t's offset of the row-major index i. */
    static long offset(long[] layout, int operand, long i) {
        long off = 0;
        for (int d = (int) layout[0] - 1; d >= 0; d--) {
            long s = layout[2 + d], q = i / s;
            off += (i - q * s) * layout[10 + 8 * operand + d];
            i = q;
        }
        return off;
    }

    static long[] uncoalesced(int[] shape, long[]... strides) {
        long[] l = new long[34];
        l[0] = shape.length;
        l[1] = Shapes.size(shape);
        for (int d = 0; d < shape.length; d++) l[2 + d] = shape[d];
        for (int t = 0; t < strides.length; t++) System.arraycopy(strides[t], 0, l, 10 + 8 * t, shape.length);
        return l;
    }

    @Test
    void denseOperandsBecomeOneAxis() {
        int[] shape = {2, 3, 4};
        long[] l = CudaBackend.layout(shape, Shapes.strides(shape), Shapes.strides(shape));
        assertEquals(1, l[0]);
        assertEquals(24, l[2]);
        assertEquals(1, l[10]);
    }

    @Test
    void aBroadcastAxisStaysApart() {
        int[] shape = {8, 16, 32};
        long[] bias = {0, 0, 1}; // a [32] vector added to [8, 16, 32]
        long[][] c = CudaBackend.coalesce(shape, Shapes.strides(shape), bias);
        assertArrayEquals(new long[] {128, 32}, c[0]);
        assertArrayEquals(new long[] {32, 1}, c[1]);
        assertArrayEquals(new long[] {0, 1}, c[2]);
    }

    @Test
    void everyElementIsWhereItWasForRandomViews() {
        Random r = new Random(3);
        for (int trial = 0; trial < 500; trial++) {
            int rank = 1 + r.nextInt(6);
            int[] shape = new int[rank];
            for (int d = 0; d < rank; d++) shape[d] = 1 + r.nextInt(4);
            long[][] strides = new long[3][];
            for (int t = 0; t < 3; t++) {
                // dense, permuted, broadcast or sliced strides
                long[] dense = Shapes.strides(shape);
                strides[t] = dense.clone();
                for (int d = 0; d < rank; d++) {
                    int kind = r.nextInt(4);
                    if (kind == 1) strides[t][d] = 0;
                    else if (kind == 2) strides[t][d] = dense[d] * 3;
                    else if (kind == 3) strides[t][d] = dense[rank - 1 - d];
                }
            }
            long[] before = uncoalesced(shape, strides), after = CudaBackend.layout(shape, strides);
            for (long i = 0; i < Shapes.size(shape); i++) {
                for (int t = 0; t < 3; t++) assertEquals(offset(before, t, i), offset(after, t, i), "trial " + trial);
            }
        }
    }
}
