package org.attnbench.backend.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Map;

/**
 * The CUDA driver API (libcuda.so.1) through java.lang.foreign: device, context, memory, streams, events, modules and
 * kernel launches. Every call's status is checked; a failure becomes a {@link CudaException} naming the function and
 * the driver's name and text for the error (cuGetErrorName, cuGetErrorString).
 *
 * <p>Handles (CUcontext, CUstream, CUmodule, CUfunction, CUevent) are pointers and CUdeviceptr is an unsigned 64-bit
 * integer: all are held as long. The symbol names are the ones cuda.h maps its API names to (cuMemAlloc is
 * cuMemAlloc_v2, ...); {@link #SYMBOLS} lists them and a test checks each against cuda.h where it is installed.
 */
final class CudaDriver {
    // Values from /usr/local/cuda/include/cuda.h (CUDA 13.0); CudaHeadersTest checks each one there.
    /** enum cudaError_enum: CUDA_SUCCESS = 0. */
    static final int CUDA_SUCCESS = 0;
    /** enum cudaError_enum: CUDA_ERROR_OUT_OF_MEMORY = 2. */
    static final int CUDA_ERROR_OUT_OF_MEMORY = 2;
    /** enum CUdevice_attribute_enum: CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT = 16. */
    static final int CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT = 16;
    /** enum CUdevice_attribute_enum: CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75. */
    static final int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75;
    /** enum CUdevice_attribute_enum: CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76. */
    static final int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76;
    /** enum CUdevice_attribute_enum: CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN = 97. */
    static final int CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN = 97;
    /** enum CUfunction_attribute_enum: CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES = 8. */
    static final int CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES = 8;
    /** enum CUstream_flags_enum: CU_STREAM_NON_BLOCKING = 0x1. */
    static final int CU_STREAM_NON_BLOCKING = 0x1;
    /** enum CUevent_flags_enum: CU_EVENT_DEFAULT = 0x0. */
    static final int CU_EVENT_DEFAULT = 0x0;

    /** Every function bound here, by the symbol the library exports, with its C signature as java.lang.foreign sees it. */
    static final Map<String, FunctionDescriptor> FUNCTIONS = Map.ofEntries(
            Map.entry("cuGetErrorName", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS)),
            Map.entry("cuGetErrorString", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS)),
            Map.entry("cuInit", FunctionDescriptor.of(JAVA_INT, JAVA_INT)),
            Map.entry("cuDriverGetVersion", FunctionDescriptor.of(JAVA_INT, ADDRESS)),
            Map.entry("cuDeviceGetCount", FunctionDescriptor.of(JAVA_INT, ADDRESS)),
            Map.entry("cuDeviceGet", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT)),
            Map.entry("cuDeviceGetName", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT)),
            Map.entry("cuDeviceGetAttribute", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT)),
            Map.entry("cuDeviceTotalMem_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT)),
            Map.entry("cuDevicePrimaryCtxRetain", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT)),
            Map.entry("cuCtxSetCurrent", FunctionDescriptor.of(JAVA_INT, JAVA_LONG)),
            Map.entry("cuMemAlloc_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG)),
            Map.entry("cuMemFree_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG)),
            Map.entry("cuMemGetInfo_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS)),
            Map.entry("cuMemcpyHtoDAsync_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG)),
            Map.entry("cuMemcpyDtoHAsync_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG)),
            Map.entry("cuMemcpyDtoDAsync_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG)),
            Map.entry("cuMemsetD8Async", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_BYTE, JAVA_LONG, JAVA_LONG)),
            Map.entry("cuStreamCreate", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT)),
            Map.entry("cuStreamSynchronize", FunctionDescriptor.of(JAVA_INT, JAVA_LONG)),
            Map.entry("cuEventCreate", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT)),
            Map.entry("cuEventRecord", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG)),
            Map.entry("cuEventSynchronize", FunctionDescriptor.of(JAVA_INT, JAVA_LONG)),
            Map.entry("cuModuleLoadData", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS)),
            Map.entry("cuModuleGetFunction", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS)),
            Map.entry("cuFuncSetAttribute", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT)),
            Map.entry("cuLaunchKernel", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS)),
            Map.entry("cuEventElapsedTime_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG)));

    static final List<String> SYMBOLS = List.copyOf(new java.util.TreeSet<>(FUNCTIONS.keySet()));

    private final NativeLibrary lib;
    private final MethodHandle getErrorName, getErrorString, init, driverGetVersion, deviceGetCount, deviceGet,
            deviceGetName, deviceGetAttribute, deviceTotalMem, primaryCtxRetain, ctxSetCurrent, memAlloc, memFree,
            memGetInfo, memcpyHtoDAsync, memcpyDtoHAsync, memcpyDtoDAsync, memsetD8Async, streamCreate,
            streamSynchronize, eventCreate, eventRecord, eventSynchronize, eventElapsedTime, moduleLoadData,
            moduleGetFunction, funcSetAttribute, launchKernel;

    private CudaDriver(NativeLibrary lib) {
        this.lib = lib;
        getErrorName = lib.function("cuGetErrorName", FUNCTIONS.get("cuGetErrorName"));
        getErrorString = lib.function("cuGetErrorString", FUNCTIONS.get("cuGetErrorString"));
        init = lib.function("cuInit", FUNCTIONS.get("cuInit"));
        driverGetVersion = lib.function("cuDriverGetVersion", FUNCTIONS.get("cuDriverGetVersion"));
        deviceGetCount = lib.function("cuDeviceGetCount", FUNCTIONS.get("cuDeviceGetCount"));
        deviceGet = lib.function("cuDeviceGet", FUNCTIONS.get("cuDeviceGet"));
        deviceGetName = lib.function("cuDeviceGetName", FUNCTIONS.get("cuDeviceGetName"));
        deviceGetAttribute = lib.function("cuDeviceGetAttribute", FUNCTIONS.get("cuDeviceGetAttribute"));
        deviceTotalMem = lib.function("cuDeviceTotalMem_v2", FUNCTIONS.get("cuDeviceTotalMem_v2"));
        primaryCtxRetain = lib.function("cuDevicePrimaryCtxRetain", FUNCTIONS.get("cuDevicePrimaryCtxRetain"));
        ctxSetCurrent = lib.function("cuCtxSetCurrent", FUNCTIONS.get("cuCtxSetCurrent"));
        memAlloc = lib.function("cuMemAlloc_v2", FUNCTIONS.get("cuMemAlloc_v2"));
        memFree = lib.function("cuMemFree_v2", FUNCTIONS.get("cuMemFree_v2"));
        memGetInfo = lib.function("cuMemGetInfo_v2", FUNCTIONS.get("cuMemGetInfo_v2"));
        memcpyHtoDAsync = lib.function("cuMemcpyHtoDAsync_v2", FUNCTIONS.get("cuMemcpyHtoDAsync_v2"));
        memcpyDtoHAsync = lib.function("cuMemcpyDtoHAsync_v2", FUNCTIONS.get("cuMemcpyDtoHAsync_v2"));
        memcpyDtoDAsync = lib.function("cuMemcpyDtoDAsync_v2", FUNCTIONS.get("cuMemcpyDtoDAsync_v2"));
        memsetD8Async = lib.function("cuMemsetD8Async", FUNCTIONS.get("cuMemsetD8Async"));
        streamCreate = lib.function("cuStreamCreate", FUNCTIONS.get("cuStreamCreate"));
        streamSynchronize = lib.function("cuStreamSynchronize", FUNCTIONS.get("cuStreamSynchronize"));
        eventCreate = lib.function("cuEventCreate", FUNCTIONS.get("cuEventCreate"));
        eventRecord = lib.function("cuEventRecord", FUNCTIONS.get("cuEventRecord"));
        eventSynchronize = lib.function("cuEventSynchronize", FUNCTIONS.get("cuEventSynchronize"));
        // CUDA 13's cuda.h maps cuEventElapsedTime to _v2; a CUDA 12 driver has only the first version.
        eventElapsedTime = lib.firstOf(FUNCTIONS.get("cuEventElapsedTime_v2"), "cuEventElapsedTime_v2", "cuEventElapsedTime");
        moduleLoadData = lib.function("cuModuleLoadData", FUNCTIONS.get("cuModuleLoadData"));
        moduleGetFunction = lib.function("cuModuleGetFunction", FUNCTIONS.get("cuModuleGetFunction"));
        funcSetAttribute = lib.function("cuFuncSetAttribute", FUNCTIONS.get("cuFuncSetAttribute"));
        launchKernel = lib.function("cuLaunchKernel", FUNCTIONS.get("cuLaunchKernel"));
    }

    /** Opens libcuda; throws Missing with one line when there is no driver. */
    static CudaDriver load() throws NativeLibrary.Missing {
        return new CudaDriver(NativeLibrary.open("CUDA driver", "libcuda.so.1", "libcuda.so"));
    }

    String library() {
        return lib.loaded();
    }

    // ------------------------------------------------------------------ status

    /** "CUDA_ERROR_OUT_OF_MEMORY (out of memory)" for a status. */
    String describe(int status) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment name = a.allocate(ADDRESS), text = a.allocate(ADDRESS);
            int r1 = (int) getErrorName.invokeExact(status, name);
            int r2 = (int) getErrorString.invokeExact(status, text);
            String n = r1 == CUDA_SUCCESS ? cString(name.get(ADDRESS, 0)) : "CUresult " + status;
            String t = r2 == CUDA_SUCCESS ? cString(text.get(ADDRESS, 0)) : "";
            return t.isEmpty() ? n : n + " (" + t + ")";
        } catch (Throwable e) {
            return "CUresult " + status;
        }
    }

    void check(String function, int status) {
        if (status != CUDA_SUCCESS) throw new CudaException(function + " failed: " + describe(status));
    }

    @SuppressWarnings("restricted")
    static String cString(MemorySegment p) {
        return p.equals(MemorySegment.NULL) ? "" : p.reinterpret(Long.MAX_VALUE).getString(0);
    }

    private static RuntimeException rethrow(Throwable t) {
        return CudaException.rethrow(t, "CUDA driver");
    }

    // ------------------------------------------------------------------ device and context

    /** The status of cuInit(0): the caller turns a failure into the reason the backend cannot run. */
    int init() {
        try {
            return (int) init.invokeExact(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int driverVersion() {
        return intOut("cuDriverGetVersion", driverGetVersion);
    }

    int deviceCount() {
        return intOut("cuDeviceGetCount", deviceGetCount);
    }

    private int intOut(String name, MethodHandle h) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_INT);
            check(name, (int) h.invokeExact(out));
            return out.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int device(int ordinal) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_INT);
            check("cuDeviceGet", (int) deviceGet.invokeExact(out, ordinal));
            return out.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    String deviceName(int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(256);
            check("cuDeviceGetName", (int) deviceGetName.invokeExact(out, 256, device));
            return out.getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int attribute(int attribute, int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_INT);
            check("cuDeviceGetAttribute", (int) deviceGetAttribute.invokeExact(out, attribute, device));
            return out.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    long totalMemory(int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_LONG);
            check("cuDeviceTotalMem_v2", (int) deviceTotalMem.invokeExact(out, device));
            return out.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    long primaryContext(int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_LONG);
            check("cuDevicePrimaryCtxRetain", (int) primaryCtxRetain.invokeExact(out, device));
            return out.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void setCurrent(long context) {
        try {
            check("cuCtxSetCurrent", (int) ctxSetCurrent.invokeExact(context));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ------------------------------------------------------------------ memory

    /** A device allocation, or 0 when the device is out of memory (any other failure throws). */
    long allocOrZero(long bytes) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_LONG);
            int status = (int) memAlloc.invokeExact(out, bytes);
            if (status == CUDA_ERROR_OUT_OF_MEMORY) return 0;
            check("cuMemAlloc_v2", status);
            return out.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void free(long pointer) {
        try {
            check("cuMemFree_v2", (int) memFree.invokeExact(pointer));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {free, total} bytes of the device as the driver sees it (other processes included). */
    long[] memoryInfo() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment free = a.allocate(JAVA_LONG), total = a.allocate(JAVA_LONG);
            check("cuMemGetInfo_v2", (int) memGetInfo.invokeExact(free, total));
            return new long[] {free.get(JAVA_LONG, 0), total.get(JAVA_LONG, 0)};
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Host to device on the stream; the host memory must stay valid until the stream has been synchronised. */
    void copyToDevice(long dst, MemorySegment src, long bytes, long stream) {
        try {
            check("cuMemcpyHtoDAsync_v2", (int) memcpyHtoDAsync.invokeExact(dst, src, bytes, stream));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void copyToHost(MemorySegment dst, long src, long bytes, long stream) {
        try {
            check("cuMemcpyDtoHAsync_v2", (int) memcpyDtoHAsync.invokeExact(dst, src, bytes, stream));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void copyOnDevice(long dst, long src, long bytes, long stream) {
        try {
            check("cuMemcpyDtoDAsync_v2", (int) memcpyDtoDAsync.invokeExact(dst, src, bytes, stream));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void zero(long dst, long bytes, long stream) {
        try {
            check("cuMemsetD8Async", (int) memsetD8Async.invokeExact(dst, (byte) 0, bytes, stream));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ------------------------------------------------------------------ streams and events

    long createStream() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_LONG);
            check("cuStreamCreate", (int) streamCreate.invokeExact(out, CU_STREAM_NON_BLOCKING));
            return out.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void synchronize(long stream) {
        try {
            check("cuStreamSynchronize", (int) streamSynchronize.invokeExact(stream));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    long createEvent() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_LONG);
            check("cuEventCreate", (int) eventCreate.invokeExact(out, CU_EVENT_DEFAULT));
            return out.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void record(long event, long stream) {
        try {
            check("cuEventRecord", (int) eventRecord.invokeExact(event, stream));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Milliseconds between two recorded events, after waiting for the second. */
    float elapsedMs(long start, long end) {
        try (Arena a = Arena.ofConfined()) {
            check("cuEventSynchronize", (int) eventSynchronize.invokeExact(end));
            MemorySegment out = a.allocate(JAVA_FLOAT);
            check("cuEventElapsedTime", (int) eventElapsedTime.invokeExact(out, start, end));
            return out.get(JAVA_FLOAT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ------------------------------------------------------------------ modules and launches

    long loadModule(MemorySegment image) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_LONG);
            check("cuModuleLoadData", (int) moduleLoadData.invokeExact(out, image));
            return out.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    long function(long module, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_LONG);
            int status = (int) moduleGetFunction.invokeExact(out, module, a.allocateFrom(name));
            if (status != CUDA_SUCCESS) throw new CudaException("cuModuleGetFunction(" + name + ") failed: " + describe(status));
            return out.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void setMaxDynamicSharedMemory(long function, int bytes) {
        try {
            check("cuFuncSetAttribute", (int) funcSetAttribute.invokeExact(function, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, bytes));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void launch(String name, long function, int gridX, int gridY, int gridZ, int blockX, int sharedBytes, long stream,
                MemorySegment params) {
        try {
            int status = (int) launchKernel.invokeExact(function, gridX, gridY, gridZ, blockX, 1, 1, sharedBytes, stream,
                    params, MemorySegment.NULL);
            if (status != CUDA_SUCCESS) {
                throw new CudaException("cuLaunchKernel(" + name + ", grid " + gridX + "x" + gridY + "x" + gridZ + ", block "
                        + blockX + ", " + sharedBytes + " bytes shared) failed: " + describe(status));
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
