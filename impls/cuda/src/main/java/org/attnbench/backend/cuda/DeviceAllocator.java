package org.attnbench.backend.cuda;

import java.lang.ref.Cleaner;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A caching allocator of device memory. Sizes are rounded to classes (multiples of 512 bytes below 1 MiB, of 2 MiB
 * above), and a freed block goes to a cache from which the next request of a close size takes it, so a repeated
 * call (a benchmark's steady state) allocates nothing from the driver after the first. Memory comes back to the
 * cache in two ways: when a call scope closes (every block allocated inside it, after the stream is synchronised),
 * and when the Java object holding a block becomes unreachable (a {@link Cleaner}). All work is on one stream, so a
 * block handed out again is only used by work queued after everything that used it before.
 *
 * <p>Accounting is exact: live bytes are the bytes requested by blocks in use, reserved bytes what is held from the
 * driver (in use plus cached); both peaks are kept. When the driver has no memory left, the cache is given back and,
 * since unreachable tensors may still hold blocks, the JVM's collector is asked to run before the allocation is tried
 * again; only then is it an out-of-memory error.
 */
final class DeviceAllocator {
    private static final long SMALL = 1L << 20;
    private static final long SMALL_STEP = 512;
    private static final long LARGE_STEP = 2L << 20;
    private static final Cleaner CLEANER = Cleaner.create();

    /** One allocation from the driver; handed out again and again, each time with a new generation. */
    static final class Block {
        final long pointer;
        final long size;
        long generation;
        long requested;
        boolean free;

        Block(long pointer, long size) {
            this.pointer = pointer;
            this.size = size;
        }
    }

    /** One use of a block; releasing a stale lease (the block was given out again since) does nothing. */
    record Lease(Block block, long generation, long bytes) {
        long pointer() {
            return block.pointer;
        }
    }

    /** What the allocator needs from the driver (an interface so its bookkeeping is tested without a GPU). */
    interface Driver {
        /** A device allocation of exactly this size, or 0 when the device has no memory for it. */
        long allocate(long bytes);

        void free(long pointer);

        /** Waits until the stream has finished all queued work. */
        void synchronize();

        /** {free, total} bytes of the device. */
        long[] memoryInfo();
    }

    /** The real driver, on one stream. */
    static Driver of(CudaDriver cu, long stream) {
        return new Driver() {
            @Override
            public long allocate(long bytes) {
                return cu.allocOrZero(bytes);
            }

            @Override
            public void free(long pointer) {
                cu.free(pointer);
            }

            @Override
            public void synchronize() {
                cu.synchronize(stream);
            }

            @Override
            public long[] memoryInfo() {
                return cu.memoryInfo();
            }
        };
    }

    private final Driver cu;
    private final TreeMap<Long, ArrayDeque<Block>> cache = new TreeMap<>();
    private final ArrayDeque<List<Lease>> scopes = new ArrayDeque<>();
    private long live, livePeak, reserved, reservedPeak;

    DeviceAllocator(Driver driver) {
        this.cu = driver;
    }

    static long sizeClass(long bytes) {
        long b = Math.max(bytes, 1);
        long step = b < SMALL ? SMALL_STEP : LARGE_STEP;
        return (b + step - 1) / step * step;
    }

    /**
     * A lease of at least {@code bytes} that goes back to the cache when {@code owner} becomes unreachable or the
     * innermost open scope closes, whichever comes first.
     */
    Lease allocate(long bytes, Object owner) {
        Lease lease = tryAllocate(bytes);
        for (int attempt = 0; lease == null && attempt < 3; attempt++) {
            synchronized (this) {
                emptyCache();
            }
            lease = tryAllocate(bytes);
            if (lease == null) {
                System.gc(); // unreachable tensors still holding blocks give them back through the cleaner
                try {
                    Thread.sleep(20L << attempt);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                synchronized (this) {
                    emptyCache();
                }
                lease = tryAllocate(bytes);
            }
        }
        if (lease == null) {
            long[] info = cu.memoryInfo();
            throw new CudaOutOfMemoryError(String.format(Locale.ROOT,
                    "CUDA out of memory: cuMemAlloc_v2 of %s failed (this process holds %s in live tensors, %s from the driver; "
                            + "the device has %s free of %s)", bytes(bytes), bytes(live), bytes(reserved), bytes(info[0]), bytes(info[1])));
        }
        Lease l = lease;
        if (owner != null) CLEANER.register(owner, () -> release(l));
        return lease;
    }

    private synchronized Lease tryAllocate(long bytes) {
        long size = sizeClass(bytes);
        Block block = null;
        // The smallest cached block that fits, unless it wastes more than a quarter of itself.
        Map.Entry<Long, ArrayDeque<Block>> e = cache.ceilingEntry(size);
        if (e != null && e.getKey() - size <= e.getKey() / 4) {
            block = e.getValue().poll();
            if (e.getValue().isEmpty()) cache.remove(e.getKey());
        }
        if (block == null) {
            long pointer = cu.allocate(size);
            if (pointer == 0) return null;
            block = new Block(pointer, size);
            reserved += size;
            reservedPeak = Math.max(reservedPeak, reserved);
        }
        block.free = false;
        block.generation++;
        block.requested = bytes;
        live += bytes;
        livePeak = Math.max(livePeak, live);
        Lease lease = new Lease(block, block.generation, bytes);
        if (!scopes.isEmpty()) scopes.peek().add(lease);
        return lease;
    }

    /** Gives a lease back to the cache (no-op when it was already given back). */
    synchronized void release(Lease lease) {
        Block b = lease.block();
        if (b.free || b.generation != lease.generation()) return;
        b.free = true;
        live -= b.requested;
        cache.computeIfAbsent(b.size, k -> new ArrayDeque<>()).add(b);
    }

    /** Frees every cached block to the driver, after the stream has finished with them. */
    private void emptyCache() {
        if (cache.isEmpty()) return;
        cu.synchronize();
        for (ArrayDeque<Block> blocks : cache.values()) {
            for (Block b : blocks) {
                cu.free(b.pointer);
                reserved -= b.size;
            }
        }
        cache.clear();
    }

    synchronized void pushScope() {
        scopes.push(new ArrayList<>());
    }

    /** Closes the innermost scope: everything allocated in it goes back to the cache. The caller synchronises first. */
    synchronized void popScope() {
        List<Lease> leases = scopes.pop();
        for (Lease l : leases) release(l);
    }

    synchronized long liveBytes() {
        return live;
    }

    synchronized long livePeakBytes() {
        return livePeak;
    }

    synchronized long reservedBytes() {
        return reserved;
    }

    /** Blocks in the cache, free for reuse. */
    synchronized int cachedBlocks() {
        int n = 0;
        for (ArrayDeque<Block> b : cache.values()) n += b.size();
        return n;
    }

    synchronized long reservedPeakBytes() {
        return reservedPeak;
    }

    /** Starts both peaks again from what is held now. */
    synchronized void resetPeaks() {
        livePeak = live;
        reservedPeak = reserved;
    }

    static String bytes(long b) {
        return b >= 1L << 30 ? String.format(Locale.ROOT, "%.2f GiB", b / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.1f MiB", b / (double) (1L << 20));
    }
}
