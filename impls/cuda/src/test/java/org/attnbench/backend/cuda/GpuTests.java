package org.attnbench.backend.cuda;

import org.attnbench.api.Backends;
import org.junit.jupiter.api.Assumptions;

/** Opens the CUDA backend for a test, or skips the test with the reason there is no usable GPU. */
final class GpuTests {
    private GpuTests() {}

    static CudaBackend backend() {
        String why = new CudaBackendProvider().unavailableReason();
        Assumptions.assumeTrue(why == null, () -> "backend cuda cannot run here: " + why);
        return (CudaBackend) Backends.open(CudaBackendProvider.NAME);
    }
}
