package org.attnbench.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Element types a tensor can hold. Backends declare which ones they support. */
public enum DType {
    FLOAT32("float32", 4),
    FLOAT64("float64", 8),
    /** Storage in bfloat16, accumulation in float32 (GPU only). */
    BFLOAT16("bfloat16", 2),
    /** Storage in float16, accumulation in float32 (GPU only). */
    FLOAT16("float16", 2),
    /**
     * Storage and elementwise arithmetic in float32, matrix products on TF32 tensor cores (10-bit mantissa inputs,
     * float32 accumulation): NVIDIA's opt-in fast float32 (GPU only), reported as its own dtype so it is never mistaken
     * for float32.
     */
    TF32("tf32", 4);

    private final String id;
    private final int bytes;

    DType(String id, int bytes) {
        this.id = id;
        this.bytes = bytes;
    }

    /** The name used on the command line and in result rows, e.g. "float32". */
    public String id() {
        return id;
    }

    public int bytes() {
        return bytes;
    }

    public static DType parse(String s) {
        String key = s.trim().toLowerCase(Locale.ROOT);
        for (DType t : values()) {
            if (t.id.equals(key)) return t;
        }
        throw new IllegalArgumentException("unknown dtype '" + s + "' (known: "
                + Arrays.stream(values()).map(DType::id).collect(Collectors.joining(", ")) + ")");
    }

    @Override
    public String toString() {
        return id;
    }
}
