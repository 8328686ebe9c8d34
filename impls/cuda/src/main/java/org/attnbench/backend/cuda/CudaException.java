package org.attnbench.backend.cuda;

/** A CUDA call that failed; the message names the function and the library's own name for the error. */
public class CudaException extends RuntimeException {
    public CudaException(String message) {
        super(message);
    }

    /**
     * What a downcall threw, for rethrowing: runtime exceptions and errors as they are (an out-of-memory error stays
     * one), anything else (MethodHandle.invokeExact declares Throwable) as a CudaException naming the library.
     */
    static RuntimeException rethrow(Throwable t, String library) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new CudaException(library + ": " + t);
    }
}
