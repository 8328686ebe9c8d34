package org.attnbench.backend.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Map;

/**
 * cuFFT (libcufft.so.12 in CUDA 13) through java.lang.foreign: batched 2-D real-to-complex plans on the backend's
 * stream, with their work areas taken from the backend's allocator (auto-allocation off) so that the memory is
 * counted like every other buffer.
 */
final class Cufft {
    // Values from cufft.h (CUDA 13.0); CudaHeadersTest checks them where the header is installed.
    /** cufftResult_t: CUFFT_SUCCESS = 0. */
    static final int CUFFT_SUCCESS = 0;
    /** cufftResult_t: CUFFT_ALLOC_FAILED = 2. */
    static final int CUFFT_ALLOC_FAILED = 2;
    /** cufftType_t: CUFFT_R2C = 0x2a. */
    static final int CUFFT_R2C = 0x2a;
    /** cufftType_t: CUFFT_D2Z = 0x6a. */
    static final int CUFFT_D2Z = 0x6a;
    /** cufftResult_t names (CUDA 13 dropped 10, 12 and 15 and added 17 to 20), for messages. */
    private static final Map<Integer, String> RESULTS = Map.ofEntries(Map.entry(1, "CUFFT_INVALID_PLAN"),
            Map.entry(2, "CUFFT_ALLOC_FAILED"), Map.entry(3, "CUFFT_INVALID_TYPE"), Map.entry(4, "CUFFT_INVALID_VALUE"),
            Map.entry(5, "CUFFT_INTERNAL_ERROR"), Map.entry(6, "CUFFT_EXEC_FAILED"), Map.entry(7, "CUFFT_SETUP_FAILED"),
            Map.entry(8, "CUFFT_INVALID_SIZE"), Map.entry(9, "CUFFT_UNALIGNED_DATA"), Map.entry(11, "CUFFT_INVALID_DEVICE"),
            Map.entry(13, "CUFFT_NO_WORKSPACE"), Map.entry(14, "CUFFT_NOT_IMPLEMENTED"), Map.entry(16, "CUFFT_NOT_SUPPORTED"),
            Map.entry(17, "CUFFT_MISSING_DEPENDENCY"), Map.entry(18, "CUFFT_NVRTC_FAILURE"));

    /** Every function bound here, by the symbol the library exports, with its C signature as java.lang.foreign sees it. */
    static final Map<String, FunctionDescriptor> FUNCTIONS = Map.ofEntries(
            Map.entry("cufftCreate", FunctionDescriptor.of(JAVA_INT, ADDRESS)),
            Map.entry("cufftSetAutoAllocation", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT)),
            Map.entry("cufftMakePlanMany", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS)),
            Map.entry("cufftSetWorkArea", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG)),
            Map.entry("cufftSetStream", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG)),
            Map.entry("cufftExecR2C", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG)),
            Map.entry("cufftExecD2Z", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG)),
            Map.entry("cufftDestroy", FunctionDescriptor.of(JAVA_INT, JAVA_INT)),
            Map.entry("cufftGetVersion", FunctionDescriptor.of(JAVA_INT, ADDRESS)));

    static final List<String> SYMBOLS = List.copyOf(new java.util.TreeSet<>(FUNCTIONS.keySet()));

    private final NativeLibrary lib;
    private final MethodHandle create, setAutoAllocation, makePlanMany, setWorkArea, setStream, execR2C, execD2Z, destroy,
            getVersion;

    private Cufft(NativeLibrary lib) {
        this.lib = lib;
        create = lib.function("cufftCreate", FUNCTIONS.get("cufftCreate"));
        setAutoAllocation = lib.function("cufftSetAutoAllocation", FUNCTIONS.get("cufftSetAutoAllocation"));
        makePlanMany = lib.function("cufftMakePlanMany", FUNCTIONS.get("cufftMakePlanMany"));
        setWorkArea = lib.function("cufftSetWorkArea", FUNCTIONS.get("cufftSetWorkArea"));
        setStream = lib.function("cufftSetStream", FUNCTIONS.get("cufftSetStream"));
        execR2C = lib.function("cufftExecR2C", FUNCTIONS.get("cufftExecR2C"));
        execD2Z = lib.function("cufftExecD2Z", FUNCTIONS.get("cufftExecD2Z"));
        destroy = lib.function("cufftDestroy", FUNCTIONS.get("cufftDestroy"));
        getVersion = lib.function("cufftGetVersion", FUNCTIONS.get("cufftGetVersion"));
    }

    static Cufft open() throws NativeLibrary.Missing {
        return new Cufft(NativeLibrary.open("cuFFT", "libcufft.so.12", "libcufft.so.13", "libcufft.so.11", "libcufft.so"));
    }

    String library() {
        return lib.loaded();
    }

    private static void check(String function, int status) {
        if (status == CUFFT_SUCCESS) return;
        String message = function + " failed: " + RESULTS.getOrDefault(status, "cufftResult " + status);
        if (status == CUFFT_ALLOC_FAILED) throw new CudaOutOfMemoryError(message);
        throw new CudaException(message);
    }

    private static RuntimeException rethrow(Throwable t) {
        return CudaException.rethrow(t, "cuFFT");
    }

    int version() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_INT);
            check("cufftGetVersion", (int) getVersion.invokeExact(out));
            return out.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A plan made but not yet given its work area. */
    record Plan(int handle, long workBytes) {}

    /** A batched, contiguous 2-D [n1, n2] real-to-complex plan on the stream (double precision when wide). */
    Plan plan2d(int n1, int n2, int batch, boolean wide, long stream) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = a.allocate(JAVA_INT);
            check("cufftCreate", (int) create.invokeExact(h));
            int plan = h.get(JAVA_INT, 0);
            check("cufftSetAutoAllocation", (int) setAutoAllocation.invokeExact(plan, 0));
            MemorySegment n = a.allocateFrom(JAVA_INT, n1, n2);
            MemorySegment work = a.allocate(JAVA_LONG);
            check("cufftMakePlanMany", (int) makePlanMany.invokeExact(plan, 2, n, MemorySegment.NULL, 1, 0,
                    MemorySegment.NULL, 1, 0, wide ? CUFFT_D2Z : CUFFT_R2C, batch, work));
            check("cufftSetStream", (int) setStream.invokeExact(plan, stream));
            return new Plan(plan, work.get(JAVA_LONG, 0));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void setWorkArea(Plan plan, long area) {
        try {
            check("cufftSetWorkArea", (int) setWorkArea.invokeExact(plan.handle(), area));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void forward(Plan plan, boolean wide, long in, long out) {
        try {
            if (wide) check("cufftExecD2Z", (int) execD2Z.invokeExact(plan.handle(), in, out));
            else check("cufftExecR2C", (int) execR2C.invokeExact(plan.handle(), in, out));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void destroy(Plan plan) {
        try {
            check("cufftDestroy", (int) destroy.invokeExact(plan.handle()));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
