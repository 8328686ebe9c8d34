package org.attnbench.api;

import java.util.Arrays;

/** Shape arithmetic shared by the operation layer and the backends. Shapes are int[] of dimension sizes. */
public final class Shapes {
    private Shapes() {}

    public static long size(int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    /** Row-major strides in elements. */
    public static long[] strides(int[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    public static String toString(int[] shape) {
        return Arrays.toString(shape);
    }

    /** Normalises a possibly negative axis (-1 is the last) and checks it. */
    public static int axis(int axis, int rank, String op) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new ShapeException(op + ": axis " + axis + " is out of range for a tensor of rank " + rank);
        }
        return a;
    }

    /** Numpy broadcasting of two shapes; throws a ShapeException naming both shapes if they do not broadcast. */
    public static int[] broadcast(int[] a, int[] b, String op) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new ShapeException(op + ": shapes " + toString(a) + " and " + toString(b) + " do not broadcast");
            }
            out[i] = Math.max(da, db);
        }
        return out;
    }

    /** The shape padded on the left with 1s to the given rank. */
    public static int[] padLeft(int[] shape, int rank) {
        int[] out = new int[rank];
        Arrays.fill(out, 1);
        System.arraycopy(shape, 0, out, rank - shape.length, shape.length);
        return out;
    }

    public static int[] concat(int[] a, int... b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    public static int[] with(int[] shape, int axis, int value) {
        int[] out = shape.clone();
        out[axis] = value;
        return out;
    }

    public static int[] permute(int[] shape, int[] perm) {
        int[] out = new int[shape.length];
        for (int i = 0; i < perm.length; i++) out[i] = shape[perm[i]];
        return out;
    }

    public static int[] inversePermutation(int[] perm) {
        int[] inv = new int[perm.length];
        for (int i = 0; i < perm.length; i++) inv[perm[i]] = i;
        return inv;
    }

    /** For an output index in row-major order over outShape, the flat index into an input of shape in (broadcast). */
    public static long[] broadcastStrides(int[] in, int[] outShape) {
        int[] padded = padLeft(in, outShape.length);
        long[] s = strides(padded);
        for (int i = 0; i < padded.length; i++) {
            if (padded[i] == 1 && outShape[i] != 1) s[i] = 0;
        }
        return s;
    }
}
