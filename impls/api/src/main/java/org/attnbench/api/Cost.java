package org.attnbench.api;

/**
 * What the operation layer counted over a stretch of work. Counting depends only on shapes, so it is exact and
 * the same on every backend (the shape-only backend computes it without touching data).
 *
 * @param flops          matrix-product and FFT arithmetic, a multiply-add counted as 2
 * @param elementwiseOps one per output element of every other operation (softmax counted as 5 per element)
 * @param bytesMoved     bytes read from inputs plus bytes written to outputs, summed over operations
 * @param allocatedBytes bytes of every tensor allocated (views allocate nothing)
 * @param peakLiveBytes  the largest total of tensor bytes alive at once, a tensor living from the operation that
 *                       makes it to the last operation that reads it (tensors made before metering started,
 *                       such as inputs and parameters, are not counted; kept tensors live to the end)
 * @param operations     number of operations
 */
public record Cost(long flops, long elementwiseOps, long bytesMoved, long allocatedBytes, long peakLiveBytes,
                   long operations) {

    /** Arithmetic work: flops plus elementwise operations. What the declared time complexity is checked against. */
    public long work() {
        return flops + elementwiseOps;
    }
}
