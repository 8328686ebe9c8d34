package org.attnbench.backend.cuda;

/** bfloat16 conversions on the host (float16 has Float.floatToFloat16 and Float.float16ToFloat). */
final class HalfFloats {
    private HalfFloats() {}

    /** Round to nearest even, as __float2bfloat16_rn does; NaN stays a (quiet) NaN. */
    static short toBfloat16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7fffffff) > 0x7f800000) return (short) ((bits >>> 16) | 0x40);
        bits += 0x7fff + ((bits >>> 16) & 1);
        return (short) (bits >>> 16);
    }

    static float fromBfloat16(short h) {
        return Float.intBitsToFloat((h & 0xffff) << 16);
    }
}
