package org.attnbench.suites.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** How a failed fork is read: what JMH printed decides between 'oom' and 'error', with one line of why. */
class JmhLauncherTest {
    private static final Exception FAILED = new RuntimeException("Benchmark had encountered error, and fail on error was requested");

    @Test
    void aJavaOutOfMemoryErrorIsOom() {
        JmhLauncher.Failure f = JmhLauncher.classify("""
                # Warmup Iteration   1:
                <failure>
                java.lang.OutOfMemoryError: Cannot reserve 1073741824 bytes of direct buffer memory
                \tat java.base/java.nio.Bits.reserveMemory(Bits.java:178)
                """, FAILED);
        assertEquals("oom", f.status);
        assertEquals("java.lang.OutOfMemoryError: Cannot reserve 1073741824 bytes of direct buffer memory", f.getMessage());
    }

    @Test
    void theCudaBackendsOutOfMemoryErrorIsOom() {
        JmhLauncher.Failure f = JmhLauncher.classify("""
                <failure>
                org.attnbench.backend.cuda.CudaOutOfMemoryError: CUDA out of memory: cuMemAlloc_v2 of 16.00 GiB failed (this process holds 60.00 GiB in live tensors, 61.00 GiB from the driver; the device has 12.00 GiB free of 79.19 GiB)
                	at org.attnbench.backend.cuda.DeviceAllocator.allocate(DeviceAllocator.java:120)
                """, FAILED);
        assertEquals("oom", f.status);
        assertEquals("org.attnbench.backend.cuda.CudaOutOfMemoryError: CUDA out of memory: cuMemAlloc_v2 of 16.00 GiB failed "
                + "(this process holds 60.00 GiB in live tensors, 61.00 GiB from the driver; the device has 12.00 GiB free of 79.19 GiB)", f.getMessage());
    }

    @Test
    void aForkKilledByTheKernelIsOom() {
        JmhLauncher.Failure f = JmhLauncher.classify("<forked VM failed with exit code 137>\n", FAILED);
        assertEquals("oom", f.status);
    }

    @Test
    void anyOtherFailureIsAnErrorWithItsFirstLine() {
        JmhLauncher.Failure f = JmhLauncher.classify("""
                <failure>
                java.lang.IllegalStateException: the kernel cache is corrupt
                \tat org.example.Foo.bar(Foo.java:1)
                Caused by: java.io.IOException: bad magic
                """, FAILED);
        assertEquals("error", f.status);
        assertEquals("java.lang.IllegalStateException: the kernel cache is corrupt", f.getMessage());
    }

    @Test
    void forkedJvmsGetTheAttnbenchPropertiesOfThisOne() {
        System.setProperty("attnbench.classpath", "/tmp/a.jar:/tmp/b.jar");
        try {
            List<String> args = JmhLauncher.forkArguments(List.of("-Dother=1"));
            assertEquals("-Dother=1", args.get(0));
            assertTrue(args.contains("-Dattnbench.classpath=/tmp/a.jar:/tmp/b.jar"), args.toString());
            assertTrue(args.stream().skip(1).allMatch(a -> a.startsWith("-Dattnbench.")), args.toString());
        } finally {
            System.clearProperty("attnbench.classpath");
        }
    }

    /** A refusal found only in the fork (a kernel its backend lacks) is 'unsupported', with the refusal as the line. */
    @Test
    void aRefusalInTheForkIsUnsupported() {
        JmhLauncher.Failure f = JmhLauncher.classify("""
                <failure>
                org.attnbench.api.NoKernelException: backend 'gpu' has no fused kernel for sigmoid causal scale 1.0 attention in float64
                \tat org.attnbench.api.Ops.fusedAttention(Ops.java:440)
                """, FAILED);
        assertEquals("unsupported", f.status);
        assertEquals("backend 'gpu' has no fused kernel for sigmoid causal scale 1.0 attention in float64", f.getMessage());
    }
}
