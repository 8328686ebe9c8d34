package org.attnbench.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;

import org.attnbench.api.Backend;
import org.attnbench.api.BackendProvider;
import org.attnbench.api.Backends;
import org.attnbench.api.DType;
import org.junit.jupiter.api.Test;

class Nd4jBackendProviderTest {

    @Test
    void registeredAsCpuAndOpens() {
        BackendProvider provider = Backends.provider("cpu");
        assertInstanceOf(Nd4jBackendProvider.class, provider);
        assertEquals("cpu", provider.device());
        assertNull(provider.unavailableReason());
        Backend backend = provider.open();
        assertEquals("cpu", backend.name());
        assertEquals("cpu", backend.device());
        assertEquals(EnumSet.of(DType.FLOAT32, DType.FLOAT64), backend.dtypes());
    }

    @Test
    void descriptionNamesVersionsNativesAndThreads() {
        String d = TestValues.backend().description();
        assertTrue(d.startsWith("ND4J 1.0.0-M2.1 (linux-x86_64-avx2) on OPENBLAS 0.3.19"), d);
        assertTrue(d.matches(".*, \\d+ threads; Java kernels on \\d+ threads; fused attention on the (Vector API \\(\\d+ float lanes\\)|scalar path .*)"), d);
        assertTrue(Backends.provider("cpu").summary().contains("ND4J 1.0.0-M2.1 on OpenBLAS 0.3.19"));
    }
}
