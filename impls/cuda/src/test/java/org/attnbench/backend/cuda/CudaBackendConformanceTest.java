package org.attnbench.backend.cuda;

import org.attnbench.tck.BackendConformance;

/**
 * The CUDA backend against the backend kit: every operation in float64 and float32 against the reference, gradients
 * against finite differences, cost, untouched inputs, and the fused kernels against their definition. Skipped, with
 * the provider's reason, on a machine without a usable GPU.
 */
class CudaBackendConformanceTest extends BackendConformance {
    @Override
    protected String backendName() {
        return CudaBackendProvider.NAME;
    }
}
