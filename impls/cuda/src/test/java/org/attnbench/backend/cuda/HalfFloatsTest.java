package org.attnbench.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** bfloat16 on the host rounds to nearest even, as the device's __float2bfloat16_rn does. */
class HalfFloatsTest {
    @Test
    void exactValuesSurvive() {
        for (float f : new float[] {0f, 1f, -2f, 0.5f, 3.0f, 1024f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            assertEquals(f, HalfFloats.fromBfloat16(HalfFloats.toBfloat16(f)));
        }
    }

    @Test
    void roundsToNearestEven() {
        // 1 + 2^-8 lies halfway between 1 and 1 + 2^-7: ties go to the even mantissa (1).
        assertEquals(1f, HalfFloats.fromBfloat16(HalfFloats.toBfloat16(1f + 0x1p-8f)));
        // 1 + 3 * 2^-8 lies halfway between 1 + 2^-7 (odd) and 1 + 2^-6 (even).
        assertEquals(1f + 0x1p-6f, HalfFloats.fromBfloat16(HalfFloats.toBfloat16(1f + 3 * 0x1p-8f)));
        // just above the halfway point rounds up
        assertEquals(1f + 0x1p-7f, HalfFloats.fromBfloat16(HalfFloats.toBfloat16(1f + 0x1p-8f + 0x1p-20f)));
        assertEquals((short) 0x3f80, HalfFloats.toBfloat16(1f));
    }

    @Test
    void relativeErrorIsAtMostHalfAnUlp() {
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < 10_000; i++) {
            float f = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(10) - 5));
            float back = HalfFloats.fromBfloat16(HalfFloats.toBfloat16(f));
            assertTrue(Math.abs(back - f) <= Math.abs(f) * 0x1p-8f, f + " -> " + back);
        }
    }

    @Test
    void nanStaysNan() {
        assertTrue(Float.isNaN(HalfFloats.fromBfloat16(HalfFloats.toBfloat16(Float.NaN))));
    }
}
