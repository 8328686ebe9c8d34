package org.attnbench.tck;

/** Comparisons used by the kit. Tolerances are relative to the scale of the expected values. */
public final class Numerics {
    private Numerics() {}

    /** The largest absolute difference, scaled by max(1, largest |expected|). */
    public static double scaledError(double[] actual, double[] expected) {
        if (actual.length != expected.length) {
            throw new AssertionError("lengths differ: " + actual.length + " vs " + expected.length);
        }
        double maxDiff = 0, scale = 1;
        for (int i = 0; i < actual.length; i++) {
            if (Double.isNaN(actual[i]) != Double.isNaN(expected[i])) return Double.POSITIVE_INFINITY;
            if (Double.isNaN(actual[i])) continue;
            maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return maxDiff / scale;
    }

    /** Fails with the position and values of the worst element when the scaled error exceeds tol. */
    public static void assertClose(String what, double[] actual, double[] expected, double tol) {
        double err = scaledError(actual, expected);
        if (!(err <= tol)) {
            int worst = 0;
            double w = -1;
            for (int i = 0; i < actual.length; i++) {
                double d = Math.abs(actual[i] - expected[i]);
                if (Double.isNaN(d) || d > w) {
                    w = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
                    worst = i;
                }
            }
            throw new AssertionError(String.format("%s: scaled error %.3g exceeds %.3g (worst at flat index %d: got %.9g, expected %.9g)",
                    what, err, tol, worst, actual[worst], expected[worst]));
        }
    }

    public static void assertFinite(String what, double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new AssertionError(what + ": value at flat index " + i + " is " + values[i]);
            }
        }
    }

    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
