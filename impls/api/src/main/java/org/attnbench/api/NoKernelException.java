package org.attnbench.api;

/**
 * The backend has no kernel for an operation the variant uses (a fused attention kernel, for one): the problem is
 * fine, this backend cannot run it, and nothing computes it another way. A sweep records it as an 'unsupported' row;
 * the conformance kit skips the backend's checks with this message rather than failing them.
 */
public final class NoKernelException extends UnsupportedProblemException {
    public NoKernelException(String message) {
        super(message);
    }
}
