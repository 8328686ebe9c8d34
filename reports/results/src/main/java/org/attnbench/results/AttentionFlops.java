package org.attnbench.results;

/**
 * The attention-core throughput by the FlashAttention convention, so GPU figures compare with published ones and
 * with PyTorch's: forward 4 B h n^2 dh FLOPs (the two n x n x dh products, a multiply-add counted as 2), halved when
 * causal; a training step 3.5 times the forward (the backward is 2.5 times it). It is computed from a row's shape and
 * median time, so it is the same formula for every backend and peer. For a row that times a whole layer (our variants
 * and the PyTorch peers do: projections included), it is a lower bound of the kernel's own rate: at n = 16384 and
 * d = 512 the projections add 8 n d^2, 6% of the core's FLOPs. {@code gflops_per_s} is the other figure: every FLOP
 * the operation layer counted (projections included, masked pairs excluded) over the same time.
 */
public final class AttentionFlops {
    private AttentionFlops() {}

    /** FLOPs of the attention core of one call by the FlashAttention convention. */
    public static double flops(long batch, long heads, long length, long headDim, boolean causal, boolean training) {
        double forward = 4.0 * batch * heads * (double) length * length * headDim / (causal ? 2 : 1);
        return training ? 3.5 * forward : forward;
    }

    /** TFLOP/s of an ok attention row by the convention, or null where it does not apply. */
    public static Double tflopsPerS(ResultRow r) {
        if (!r.ok() || !r.benchmark().equals("attention") || r.timeMedianMs() == null || r.batch() == null
                || r.heads() == null || r.headDim() == null || r.timeMedianMs() <= 0) {
            return null;
        }
        double f = flops(r.batch(), r.heads(), r.length(), r.headDim(), r.mode().equals("causal"), r.pass().equals("forward+backward"));
        return f / (r.timeMedianMs() * 1e-3) / 1e12;
    }
}
