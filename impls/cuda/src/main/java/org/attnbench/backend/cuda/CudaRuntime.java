package org.attnbench.backend.cuda;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The process's one CUDA device: driver, primary context of device 0, one non-blocking stream, the caching allocator,
 * the kernels, cuBLAS and cuFFT. Made once, on first use, and kept for the life of the JVM (a context costs a second
 * or so to create, and a benchmark fork opens the backend more than once). Every thread that calls in makes the
 * context current first ({@link #enter()}).
 */
final class CudaRuntime {
    private static volatile CudaRuntime instance;
    private static volatile String unavailable;
    private static volatile boolean probed;

    final CudaDriver cu;
    final Nvrtc nvrtc;
    final Cublas cublas;
    final Cufft cufft;
    final long context;
    final long stream;
    final DeviceAllocator allocator;
    final Kernels kernels;
    final int device;
    final String deviceName;
    final int major, minor, multiprocessors, sharedOptIn, driverVersion;
    final long totalMemory;
    private final DeviceAllocator.Lease cublasWorkspace;
    private final Map<String, Cufft.Plan> fftPlans = new HashMap<>();
    private final ThreadLocal<Boolean> current = ThreadLocal.withInitial(() -> false);

    private CudaRuntime() throws NativeLibrary.Missing {
        cu = CudaDriver.load();
        cu.check("cuInit", cu.init());
        device = cu.device(0);
        deviceName = cu.deviceName(device);
        major = cu.attribute(CudaDriver.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device);
        minor = cu.attribute(CudaDriver.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device);
        multiprocessors = cu.attribute(CudaDriver.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, device);
        sharedOptIn = cu.attribute(CudaDriver.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN, device);
        totalMemory = cu.totalMemory(device);
        driverVersion = cu.driverVersion();
        context = cu.primaryContext(device);
        cu.setCurrent(context);
        current.set(true);
        stream = cu.createStream();
        allocator = new DeviceAllocator(DeviceAllocator.of(cu, stream));
        nvrtc = Nvrtc.open();
        kernels = new Kernels(cu, nvrtc, major, minor, driverVersion);
        cublasWorkspace = allocator.allocate(Cublas.WORKSPACE_BYTES, null);
        cublas = Cublas.open(stream, cublasWorkspace.pointer());
        cufft = Cufft.open();
    }

    /**
     * Null when a CUDA device can be used here, else one line saying why not: no driver, cuInit's error (e.g.
     * CUDA_ERROR_NO_DEVICE), no device, or a missing library (cuBLAS, cuFFT, NVRTC). Probed once per process.
     */
    static String unavailableReason() {
        if (!probed) {
            synchronized (CudaRuntime.class) {
                if (!probed) {
                    unavailable = probe();
                    probed = true;
                }
            }
        }
        return unavailable;
    }

    private static String probe() {
        CudaDriver cu;
        try {
            cu = CudaDriver.load();
        } catch (NativeLibrary.Missing e) {
            return e.getMessage();
        } catch (RuntimeException | LinkageError e) {
            return "the CUDA driver did not load: " + e.getMessage();
        }
        int status = cu.init();
        if (status != CudaDriver.CUDA_SUCCESS) return "cuInit failed: " + cu.describe(status);
        if (cu.deviceCount() == 0) return "the CUDA driver sees no device";
        try {
            get();
            return null;
        } catch (NativeLibrary.Missing e) {
            return e.getMessage();
        } catch (RuntimeException e) {
            return "CUDA start-up failed: " + e.getMessage();
        }
    }

    static CudaRuntime get() throws NativeLibrary.Missing {
        if (instance == null) {
            synchronized (CudaRuntime.class) {
                if (instance == null) instance = new CudaRuntime();
            }
        }
        return instance;
    }

    /** Makes the context current on this thread (once per thread). */
    void enter() {
        if (!current.get()) {
            cu.setCurrent(context);
            current.set(true);
        }
    }

    void synchronize() {
        enter();
        cu.synchronize(stream);
    }

    /** A cached 2-D real-to-complex plan (plans are costly to make and hold no data). */
    synchronized Cufft.Plan fftPlan(int n1, int n2, int batch, boolean wide) {
        return fftPlans.computeIfAbsent(n1 + "x" + n2 + "x" + batch + (wide ? "d" : "f"),
                k -> cufft.plan2d(n1, n2, batch, wide, stream));
    }

    String description() {
        int dv = driverVersion;
        return String.format(Locale.ROOT, "CUDA on %s (sm_%d%d, %d SMs, %s), driver API %d.%d, cuBLAS %d, cuFFT %d, NVRTC %s; "
                        + "kernels compiled at run time for %s; fused attention: tensor cores (mma.sync) for bfloat16/float16 at "
                        + "head width 64 and 128, CUDA cores otherwise", deviceName, major, minor, multiprocessors,
                DeviceAllocator.bytes(totalMemory), dv / 1000, dv % 1000 / 10, cublas.version(), cufft.version(), nvrtc.version(),
                kernels.arch());
    }
}
