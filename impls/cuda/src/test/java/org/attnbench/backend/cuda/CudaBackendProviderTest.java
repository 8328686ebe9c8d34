package org.attnbench.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.attnbench.api.BackendUnavailableException;
import org.attnbench.api.Backends;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The provider is found by ServiceLoader, and says in one line why it cannot run where there is no GPU. */
class CudaBackendProviderTest {

    private static boolean driverInstalled() {
        for (String dir : new String[] {"/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/cuda/lib64"}) {
            if (Files.exists(Path.of(dir, "libcuda.so.1"))) return true;
        }
        return false;
    }

    @Test
    void registeredAsCudaOnTheGpuDevice() {
        CudaBackendProvider p = (CudaBackendProvider) Backends.provider("cuda");
        assertEquals("cuda", p.name());
        assertEquals("gpu", p.device());
    }

    @Test
    void withoutADriverTheReasonIsOneLineNamingIt() {
        Assumptions.assumeFalse(driverInstalled(), "this machine has a CUDA driver (libcuda.so.1)");
        String why = new CudaBackendProvider().unavailableReason();
        assertNotNull(why);
        assertFalse(why.contains("\n"), why);
        assertTrue(why.startsWith("CUDA driver not found (no libcuda.so.1 or libcuda.so on the system library path or in "), why);
    }

    @Test
    void openingWithoutAGpuFailsWithTheReason() {
        String why = new CudaBackendProvider().unavailableReason();
        Assumptions.assumeTrue(why != null, "a GPU is usable here");
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> Backends.open("cuda"));
        assertEquals("backend 'cuda' cannot run here: " + why, e.getMessage());
    }

    @Test
    void withAGpuItOpensAndDescribesTheDevice() {
        String why = new CudaBackendProvider().unavailableReason();
        Assumptions.assumeTrue(why == null, () -> "no GPU here: " + why);
        String d = Backends.open("cuda").description();
        assertTrue(d.startsWith("CUDA on "), d);
        assertFalse(d.contains("\n"), d);
    }
}
