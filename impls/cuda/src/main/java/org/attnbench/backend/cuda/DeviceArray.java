package org.attnbench.backend.cuda;

import java.util.Arrays;

import org.attnbench.api.Shapes;

/**
 * The handle of a tensor on the CUDA backend: a view (offset, shape, strides in elements) of a device buffer. Views
 * made by permute, slice and reshape share their base's buffer; the buffer's memory goes back to the allocator when
 * no view of it is reachable any more, or when the call scope it was made in closes.
 */
final class DeviceArray {
    /** The memory a tensor and its views share; the allocator's cleaner watches this object. */
    static final class Buffer {
        final DeviceAllocator.Lease lease;

        Buffer(DeviceAllocator allocator, long bytes) {
            this.lease = allocator.allocate(bytes, this);
        }
    }

    final Buffer buffer;
    final long offset;
    final int[] shape;
    final long[] strides;
    final Storage storage;

    DeviceArray(Buffer buffer, long offset, int[] shape, long[] strides, Storage storage) {
        if (shape.length > 8) throw new IllegalArgumentException("the cuda backend takes tensors of rank up to 8, got " + shape.length);
        this.buffer = buffer;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
        this.storage = storage;
    }

    /** Device address of the first element. */
    long address() {
        return buffer.lease.pointer() + offset * storage.bytes;
    }

    long size() {
        return Shapes.size(shape);
    }

    /** Row-major and gap-free from the offset (the strides of size-1 axes do not matter). */
    boolean dense() {
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != expected) return false;
            expected *= shape[d];
        }
        return true;
    }

    /** Strides that read this array broadcast to a larger shape: 0 along axes it repeats. */
    long[] broadcastStrides(int[] target) {
        long[] out = new long[target.length];
        int lead = target.length - shape.length;
        for (int d = 0; d < target.length; d++) {
            int src = d - lead;
            out[d] = src < 0 || shape[src] == 1 ? 0 : strides[src];
        }
        return out;
    }

    @Override
    public String toString() {
        return "DeviceArray" + Arrays.toString(shape) + " strides " + Arrays.toString(strides) + " " + storage;
    }
}
