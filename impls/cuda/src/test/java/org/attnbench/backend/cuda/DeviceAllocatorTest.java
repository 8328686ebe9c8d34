package org.attnbench.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The allocator's bookkeeping on a fake driver: size classes, reuse, scopes, stale leases, peaks, out of memory. */
class DeviceAllocatorTest {

    /** Hands out addresses from a counter, up to a capacity. */
    static final class FakeDriver implements DeviceAllocator.Driver {
        final long capacity;
        long used, next = 1 << 20, syncs;
        final List<Long> allocations = new ArrayList<>(), frees = new ArrayList<>();
        private final java.util.Map<Long, Long> sizes = new java.util.HashMap<>();

        FakeDriver(long capacity) {
            this.capacity = capacity;
        }

        @Override
        public long allocate(long bytes) {
            if (used + bytes > capacity) return 0;
            long p = next;
            next += bytes;
            used += bytes;
            sizes.put(p, bytes);
            allocations.add(bytes);
            return p;
        }

        @Override
        public void free(long pointer) {
            used -= sizes.remove(pointer);
            frees.add(pointer);
        }

        @Override
        public void synchronize() {
            syncs++;
        }

        @Override
        public long[] memoryInfo() {
            return new long[] {capacity - used, capacity};
        }
    }

    @Test
    void sizeClasses() {
        assertEquals(512, DeviceAllocator.sizeClass(1));
        assertEquals(512, DeviceAllocator.sizeClass(512));
        assertEquals(1024, DeviceAllocator.sizeClass(513));
        assertEquals(1L << 20, DeviceAllocator.sizeClass((1L << 20) - 1));
        assertEquals(2L << 20, DeviceAllocator.sizeClass((1L << 20) + 1));
        assertEquals(4L << 20, DeviceAllocator.sizeClass((2L << 20) + 1));
    }

    @Test
    void aClosedScopeGivesItsBlocksBackAndTheNextCallReusesThem() {
        FakeDriver d = new FakeDriver(1L << 30);
        DeviceAllocator a = new DeviceAllocator(d);
        for (int call = 0; call < 3; call++) {
            a.pushScope();
            a.allocate(3000, null);
            a.allocate(5L << 20, null);
            a.popScope();
        }
        assertEquals(2, d.allocations.size(), "the second and third calls take everything from the cache");
        assertEquals(0, a.liveBytes());
        assertEquals(3000 + (5L << 20), a.livePeakBytes());
        assertEquals(DeviceAllocator.sizeClass(3000) + DeviceAllocator.sizeClass(5L << 20), a.reservedPeakBytes());
        assertEquals(2, a.cachedBlocks());
    }

    @Test
    void aStaleLeaseDoesNotFreeTheBlockItsNextUserHolds() {
        DeviceAllocator a = new DeviceAllocator(new FakeDriver(1L << 30));
        DeviceAllocator.Lease first = a.allocate(1000, null);
        a.release(first);
        DeviceAllocator.Lease second = a.allocate(1000, null);
        assertEquals(first.pointer(), second.pointer(), "the block is reused");
        a.release(first); // e.g. a cleaner running late
        assertEquals(1000, a.liveBytes());
        assertNotEquals(second.pointer(), a.allocate(1000, null).pointer(), "the block is still in use");
    }

    @Test
    void aMuchLargerCachedBlockIsNotUsedForASmallRequest() {
        FakeDriver d = new FakeDriver(1L << 30);
        DeviceAllocator a = new DeviceAllocator(d);
        a.release(a.allocate(64L << 20, null));
        a.allocate(4L << 20, null);
        assertEquals(2, d.allocations.size());
    }

    @Test
    void outOfMemoryGivesTheCacheBackBeforeFailing() {
        FakeDriver d = new FakeDriver(8L << 20);
        DeviceAllocator a = new DeviceAllocator(d);
        a.release(a.allocate(6L << 20, null));
        DeviceAllocator.Lease big = a.allocate(7L << 20, null); // only fits once the cached 6 MiB are freed
        assertEquals(1, d.frees.size());
        assertTrue(d.syncs >= 1, "the stream is synchronised before cached blocks are freed");
        CudaOutOfMemoryError e = assertThrows(CudaOutOfMemoryError.class, () -> a.allocate(4L << 20, null));
        assertTrue(e.getMessage().startsWith("CUDA out of memory: cuMemAlloc_v2 of 4.0 MiB failed"), e.getMessage());
        a.release(big);
    }

    @Test
    void unreachableOwnersGiveTheirBlocksBack() throws InterruptedException {
        DeviceAllocator a = new DeviceAllocator(new FakeDriver(1L << 30));
        for (int i = 0; i < 10; i++) a.allocate(1000, new Object());
        for (int i = 0; i < 50 && a.liveBytes() > 0; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(0, a.liveBytes());
    }
}
