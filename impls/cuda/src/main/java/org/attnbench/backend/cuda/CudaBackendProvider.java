package org.attnbench.backend.cuda;

import org.attnbench.api.Backend;
import org.attnbench.api.BackendProvider;
import org.attnbench.api.BackendUnavailableException;

/**
 * Registers the CUDA backend as "cuda" on device "gpu" (what {@code --device gpu} selects). Cheap to construct: the
 * driver is probed on the first {@link #unavailableReason()}, and the device context made on the first open.
 */
public final class CudaBackendProvider implements BackendProvider {
    public static final String NAME = "cuda";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String device() {
        return "gpu";
    }

    @Override
    public String summary() {
        return "NVIDIA GPU through java.lang.foreign: cuBLAS, cuFFT, NVRTC-compiled kernels, fused attention; "
                + "float32, tf32, bfloat16, float16, float64";
    }

    @Override
    public String unavailableReason() {
        return CudaRuntime.unavailableReason();
    }

    @Override
    public Backend open() {
        String why = unavailableReason();
        if (why != null) throw new BackendUnavailableException("backend '" + NAME + "' cannot run here: " + why);
        try {
            return new CudaBackend(CudaRuntime.get());
        } catch (NativeLibrary.Missing e) {
            throw new BackendUnavailableException("backend '" + NAME + "' cannot run here: " + e.getMessage());
        }
    }
}
