package org.attnbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class AttentionFlopsTest {
    @Test
    void theFlashAttentionConvention() {
        // B = 1, h = 8, n = 16384, dh = 64: 4 * 8 * 16384^2 * 64 = 5.50e11 FLOPs forward, half of it causal.
        assertEquals(549755813888.0, AttentionFlops.flops(1, 8, 16384, 64, false, false), 0.5);
        assertEquals(274877906944.0, AttentionFlops.flops(1, 8, 16384, 64, true, false), 0.5);
        assertEquals(3.5 * 549755813888.0, AttentionFlops.flops(1, 8, 16384, 64, false, true), 0.5);
    }

    @Test
    void fromARow() {
        // Rows.ok has batch 1, 8 heads, head_dim 64, causal forward and a median of 2.5 ms
        ResultRow r = Rows.ok("dense", 1024);
        assertEquals(4.0 * 8 * 1024 * 1024 * 64 / 2 / 2.5e-3 / 1e12, AttentionFlops.tflopsPerS(r), 1e-9);
        assertNull(AttentionFlops.tflopsPerS(Rows.unsupported("dense", 1024)));
        assertNull(AttentionFlops.tflopsPerS(Rows.gemm(4096)));
    }
}
