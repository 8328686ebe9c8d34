package org.attnbench.backend.cuda;

import org.attnbench.api.DType;

/** How a dtype is held in device memory, and the suffix of its kernels (unary_f32, unary_bf16, ...). */
enum Storage {
    F32("f32", 4), F64("f64", 8), BF16("bf16", 2), F16("f16", 2);

    final String suffix;
    final int bytes;

    Storage(String suffix, int bytes) {
        this.suffix = suffix;
        this.bytes = bytes;
    }

    /** TF32 is float32 storage: only matrix products differ. */
    static Storage of(DType t) {
        return switch (t) {
            case FLOAT32, TF32 -> F32;
            case FLOAT64 -> F64;
            case BFLOAT16 -> BF16;
            case FLOAT16 -> F16;
        };
    }
}
