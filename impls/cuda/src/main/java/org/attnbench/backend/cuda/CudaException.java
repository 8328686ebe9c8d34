package org.attnbench.backend.cuda;

/** A CUDA call that failed; the message names the function and the library's own name for the error. */
public class CudaException extends RuntimeException {
    public CudaException(String message) {
        super(message);
    }
}
