package org.attnbench.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.LongStream;

/** Splits a loop over [0, size) into chunks run on the common fork-join pool (the caller takes part too). */
final class Parallel {
    /**
     * Elements per task for streaming kernels: 128 KB of float32, large enough that forking (some microseconds)
     * costs little, small enough to balance two to many cores. Loops of one chunk or less run on the caller, so
     * tiny tensors pay nothing for this.
     */
    static final long GRAIN = 1 << 15;

    private Parallel() {}

    interface Range {
        void run(long from, long to);
    }

    /** Threads that run kernels: the common pool's workers and the calling thread. */
    static int threads() {
        return ForkJoinPool.getCommonPoolParallelism() + 1;
    }

    static void forRange(long size, long grain, Range body) {
        long chunk = Math.max(1, grain);
        long tasks = (size + chunk - 1) / chunk;
        if (tasks <= 1) {
            if (size > 0) body.run(0, size);
            return;
        }
        LongStream.range(0, tasks).parallel().forEach(t -> body.run(t * chunk, Math.min(size, (t + 1) * chunk)));
    }

    /** Items of a given cost each, grouped so that one task holds about GRAIN elements of work. */
    static void forItems(long items, long elementsPerItem, Range body) {
        forRange(items, GRAIN / Math.max(1, elementsPerItem), body);
    }
}
