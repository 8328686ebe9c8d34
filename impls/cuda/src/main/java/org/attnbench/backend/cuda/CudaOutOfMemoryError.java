package org.attnbench.backend.cuda;

/**
 * The device has no memory left for an allocation, even after the allocator gave back everything it had cached. An
 * {@link OutOfMemoryError}, so that a sweep records the configuration as {@code oom} and goes on, as it does when the
 * JVM's own memory runs out.
 */
public final class CudaOutOfMemoryError extends OutOfMemoryError {
    public CudaOutOfMemoryError(String message) {
        super(message);
    }
}
