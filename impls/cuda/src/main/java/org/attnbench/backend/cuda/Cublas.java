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
 * cuBLAS (libcublas.so.13) through java.lang.foreign: one handle on the backend's stream, with a workspace from the
 * backend's own allocator (so its memory is counted), and every product as cublasGemmStridedBatchedEx with the
 * storage type and compute type of the dtype: float32 with CUBLAS_COMPUTE_32F (no TF32), tf32 with
 * CUBLAS_COMPUTE_32F_FAST_TF32, bfloat16 and float16 storage with float32 accumulation (CUBLAS_COMPUTE_32F),
 * float64 with CUBLAS_COMPUTE_64F.
 */
final class Cublas {
    // Values from cublas_api.h and library_types.h (CUDA 13.0); CudaHeadersTest checks each where the headers are
    // installed (they are not on a machine with only nvcc).
    /** cublasStatus_t: CUBLAS_STATUS_SUCCESS = 0. */
    static final int CUBLAS_STATUS_SUCCESS = 0;
    /** cublasStatus_t: CUBLAS_STATUS_ALLOC_FAILED = 3. */
    static final int CUBLAS_STATUS_ALLOC_FAILED = 3;
    /** cublasOperation_t: CUBLAS_OP_N = 0. */
    static final int CUBLAS_OP_N = 0;
    /** cublasOperation_t: CUBLAS_OP_T = 1. */
    static final int CUBLAS_OP_T = 1;
    /** cublasMath_t: CUBLAS_DEFAULT_MATH = 0. */
    static final int CUBLAS_DEFAULT_MATH = 0;
    /** cublasComputeType_t: CUBLAS_COMPUTE_32F = 68. */
    static final int CUBLAS_COMPUTE_32F = 68;
    /** cublasComputeType_t: CUBLAS_COMPUTE_32F_FAST_TF32 = 77. */
    static final int CUBLAS_COMPUTE_32F_FAST_TF32 = 77;
    /** cublasComputeType_t: CUBLAS_COMPUTE_64F = 70. */
    static final int CUBLAS_COMPUTE_64F = 70;
    /** cublasGemmAlgo_t: CUBLAS_GEMM_DEFAULT = -1. */
    static final int CUBLAS_GEMM_DEFAULT = -1;
    /** cudaDataType_t (library_types.h): CUDA_R_32F = 0. */
    static final int CUDA_R_32F = 0;
    /** cudaDataType_t: CUDA_R_64F = 1. */
    static final int CUDA_R_64F = 1;
    /** cudaDataType_t: CUDA_R_16F = 2. */
    static final int CUDA_R_16F = 2;
    /** cudaDataType_t: CUDA_R_16BF = 14. */
    static final int CUDA_R_16BF = 14;
    /** Workspace cuBLAS is given: NVIDIA's guide recommends 32 MiB on Hopper. */
    static final long WORKSPACE_BYTES = 32L << 20;

    /** Every function bound here, by the symbol the library exports, with its C signature as java.lang.foreign sees it. */
    static final Map<String, FunctionDescriptor> FUNCTIONS = Map.ofEntries(
            Map.entry("cublasCreate_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS)),
            Map.entry("cublasSetStream_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG)),
            Map.entry("cublasSetWorkspace_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG)),
            Map.entry("cublasSetMathMode", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT)),
            Map.entry("cublasGetVersion_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS)),
            Map.entry("cublasGetStatusName", FunctionDescriptor.of(ADDRESS, JAVA_INT)),
            Map.entry("cublasGetStatusString", FunctionDescriptor.of(ADDRESS, JAVA_INT)),
            Map.entry("cublasGemmStridedBatchedEx", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT)));

    static final List<String> SYMBOLS = List.copyOf(new java.util.TreeSet<>(FUNCTIONS.keySet()));

    private final NativeLibrary lib;
    private final MethodHandle create, setStream, setWorkspace, setMathMode, getVersion, statusName, statusString, gemm;
    private long handle;

    private Cublas(NativeLibrary lib) {
        this.lib = lib;
        create = lib.function("cublasCreate_v2", FUNCTIONS.get("cublasCreate_v2"));
        setStream = lib.function("cublasSetStream_v2", FUNCTIONS.get("cublasSetStream_v2"));
        setWorkspace = lib.function("cublasSetWorkspace_v2", FUNCTIONS.get("cublasSetWorkspace_v2"));
        setMathMode = lib.function("cublasSetMathMode", FUNCTIONS.get("cublasSetMathMode"));
        getVersion = lib.function("cublasGetVersion_v2", FUNCTIONS.get("cublasGetVersion_v2"));
        statusName = lib.function("cublasGetStatusName", FUNCTIONS.get("cublasGetStatusName"));
        statusString = lib.function("cublasGetStatusString", FUNCTIONS.get("cublasGetStatusString"));
        gemm = lib.function("cublasGemmStridedBatchedEx", FUNCTIONS.get("cublasGemmStridedBatchedEx"));
    }

    /** Opens libcublas (and the libcublasLt it needs, from the same folder) and creates a handle on the stream. */
    static Cublas open(long stream, long workspace) throws NativeLibrary.Missing {
        NativeLibrary.open("cuBLASLt", "libcublasLt.so.13", "libcublasLt.so.12", "libcublasLt.so");
        Cublas c = new Cublas(NativeLibrary.open("cuBLAS", "libcublas.so.13", "libcublas.so.12", "libcublas.so"));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_LONG);
            c.check("cublasCreate_v2", (int) c.create.invokeExact(out));
            c.handle = out.get(JAVA_LONG, 0);
            c.check("cublasSetStream_v2", (int) c.setStream.invokeExact(c.handle, stream));
            c.check("cublasSetWorkspace_v2", (int) c.setWorkspace.invokeExact(c.handle, workspace, WORKSPACE_BYTES));
            c.check("cublasSetMathMode", (int) c.setMathMode.invokeExact(c.handle, CUBLAS_DEFAULT_MATH));
        } catch (Throwable t) {
            throw CudaException.rethrow(t, "cuBLAS");
        }
        return c;
    }

    String library() {
        return lib.loaded();
    }

    int version() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_INT);
            check("cublasGetVersion_v2", (int) getVersion.invokeExact(handle, out));
            return out.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw CudaException.rethrow(t, "cuBLAS");
        }
    }

    private void check(String function, int status) {
        if (status == CUBLAS_STATUS_SUCCESS) return;
        String name = "cublasStatus_t " + status, text = "";
        try {
            name = CudaDriver.cString((MemorySegment) statusName.invokeExact(status));
            text = CudaDriver.cString((MemorySegment) statusString.invokeExact(status));
        } catch (Throwable ignored) {
            // the number alone then
        }
        String message = function + " failed: " + name + (text.isEmpty() ? "" : " (" + text + ")");
        if (status == CUBLAS_STATUS_ALLOC_FAILED) throw new CudaOutOfMemoryError(message);
        throw new CudaException(message);
    }

    /** The cudaDataType_t and cublasComputeType_t of a storage kind and whether TF32 is allowed. */
    record Types(int data, int compute, boolean doubleScalars) {}

    static Types types(Storage s, boolean tf32) {
        return switch (s) {
            case F32 -> new Types(CUDA_R_32F, tf32 ? CUBLAS_COMPUTE_32F_FAST_TF32 : CUBLAS_COMPUTE_32F, false);
            case F64 -> new Types(CUDA_R_64F, CUBLAS_COMPUTE_64F, true);
            case BF16 -> new Types(CUDA_R_16BF, CUBLAS_COMPUTE_32F, false);
            case F16 -> new Types(CUDA_R_16F, CUBLAS_COMPUTE_32F, false);
        };
    }

    /**
     * C = op(A) op(B) in cuBLAS's column-major terms, batched with constant strides (elements). alpha = 1, beta = 0,
     * given as float or double as the compute type requires.
     */
    void gemm(Types t, int opA, int opB, int m, int n, int k, long a, int lda, long strideA, long b, int ldb,
              long strideB, long c, int ldc, long strideC, int batch) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment alpha = t.doubleScalars() ? arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_DOUBLE, 1.0)
                    : arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_FLOAT, 1f);
            MemorySegment beta = t.doubleScalars() ? arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_DOUBLE, 0.0)
                    : arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_FLOAT, 0f);
            check("cublasGemmStridedBatchedEx", (int) gemm.invokeExact(handle, opA, opB, m, n, k, alpha, a, t.data(), lda,
                    strideA, b, t.data(), ldb, strideB, beta, c, t.data(), ldc, strideC, batch, t.compute(), CUBLAS_GEMM_DEFAULT));
        } catch (Throwable e) {
            throw CudaException.rethrow(e, "cuBLAS");
        }
    }
}
