package org.attnbench.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import org.attnbench.api.Backend;
import org.attnbench.api.Backends;
import org.attnbench.api.DType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What the cpu backend's tests share: one open backend and comparisons scaled to the dtype. */
final class TestValues {
    private static Backend backend;

    private TestValues() {}

    static synchronized Backend backend() {
        if (backend == null) backend = Backends.open("cpu");
        return backend;
    }

    /** Error allowed relative to 1 + |expected|: float32 rounding after a few operations, float64 near exact. */
    static double tolerance(DType dtype) {
        return dtype == DType.FLOAT32 ? 2e-6 : 1e-12;
    }

    static void assertClose(double[] expected, double[] actual, DType dtype) {
        assertClose(expected, actual, tolerance(dtype));
    }

    static void assertClose(double[] expected, double[] actual, double tolerance) {
        assertEquals(expected.length, actual.length, "number of values");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            boolean same = Double.compare(e, a) == 0 || Math.abs(e - a) <= tolerance * (1 + Math.abs(e));
            if (!same) fail("value " + i + ": expected " + e + " but was " + a + " (tolerance " + tolerance + ")");
        }
    }

    /** The row-major values of a handle, read through ND4J (an independent path from the backend's download). */
    static double[] values(Object handle) {
        return ((INDArray) handle).dup('c').data().asDouble();
    }

    static int[] shape(Object handle) {
        long[] s = ((INDArray) handle).shape();
        int[] r = new int[s.length];
        for (int i = 0; i < s.length; i++) r[i] = Math.toIntExact(s[i]);
        return r;
    }
}
