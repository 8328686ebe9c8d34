package org.attnbench.api;

import java.util.ArrayList;
import java.util.List;

/**
 * Counts the cost of the operations run while it is active ({@link Ops#startMetering()}) and tracks when each
 * allocated tensor is last read, so that the peak of live bytes is exact for an allocator that frees every
 * tensor right after its last use.
 */
public final class CostMeter {
    static final class Allocation {
        final CostMeter meter;
        final long bytes;
        final long born;
        long lastUse;

        Allocation(CostMeter meter, long bytes, long born) {
            this.meter = meter;
            this.bytes = bytes;
            this.born = born;
            this.lastUse = born;
        }
    }

    private final List<Allocation> allocations = new ArrayList<>();
    private long step;
    private long flops;
    private long elementwise;
    private long bytesMoved;
    private long allocated;
    private boolean stopped;

    Allocation allocate(long bytes) {
        Allocation a = new Allocation(this, bytes, step);
        allocations.add(a);
        allocated += bytes;
        return a;
    }

    /** Records one operation: its inputs are read at the current step, its output is born at it. */
    void record(long opFlops, long opElementwise, Tensor[] inputs, long outputBytes) {
        step++;
        flops += opFlops;
        elementwise += opElementwise;
        bytesMoved += outputBytes;
        for (Tensor t : inputs) {
            bytesMoved += t.bytes();
            touch(t);
        }
    }

    private void touch(Tensor t) {
        if (t.allocation != null && t.allocation.meter == this) t.allocation.lastUse = step;
    }

    boolean active() {
        return !stopped;
    }

    /** Stops counting. The tensors given (the results) are treated as alive to the end. */
    public Cost stop(Tensor... keep) {
        stopped = true;
        long end = step + 1;
        for (Tensor t : keep) {
            if (t.allocation != null && t.allocation.meter == this) t.allocation.lastUse = end;
        }
        long[] delta = new long[(int) end + 2];
        for (Allocation a : allocations) {
            delta[(int) a.born] += a.bytes;
            delta[(int) a.lastUse + 1] -= a.bytes;
        }
        long live = 0, peak = 0;
        for (long d : delta) {
            live += d;
            peak = Math.max(peak, live);
        }
        return new Cost(flops, elementwise, bytesMoved, allocated, peak, step);
    }
}
