package org.attnbench.backend.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** NVRTC (libnvrtc.so.13) through java.lang.foreign: CUDA C++ source to a cubin for the device at run time. */
final class Nvrtc {
    /** nvrtcResult: NVRTC_SUCCESS = 0 (nvrtc.h). */
    static final int NVRTC_SUCCESS = 0;

    /** Every function bound here, by the symbol the library exports, with its C signature as java.lang.foreign sees it. */
    static final Map<String, FunctionDescriptor> FUNCTIONS = Map.ofEntries(
            Map.entry("nvrtcVersion", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS)),
            Map.entry("nvrtcGetErrorString", FunctionDescriptor.of(ADDRESS, JAVA_INT)),
            Map.entry("nvrtcCreateProgram", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS)),
            Map.entry("nvrtcCompileProgram", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, ADDRESS)),
            Map.entry("nvrtcGetProgramLogSize", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS)),
            Map.entry("nvrtcGetProgramLog", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS)),
            Map.entry("nvrtcGetCUBINSize", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS)),
            Map.entry("nvrtcGetCUBIN", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS)),
            Map.entry("nvrtcDestroyProgram", FunctionDescriptor.of(JAVA_INT, ADDRESS)));

    static final List<String> SYMBOLS = List.copyOf(new java.util.TreeSet<>(FUNCTIONS.keySet()));

    private final NativeLibrary lib;
    private final MethodHandle version, errorString, createProgram, compileProgram, logSize, log, cubinSize, cubin,
            destroyProgram;

    private Nvrtc(NativeLibrary lib) {
        this.lib = lib;
        version = lib.function("nvrtcVersion", FUNCTIONS.get("nvrtcVersion"));
        errorString = lib.function("nvrtcGetErrorString", FUNCTIONS.get("nvrtcGetErrorString"));
        createProgram = lib.function("nvrtcCreateProgram", FUNCTIONS.get("nvrtcCreateProgram"));
        compileProgram = lib.function("nvrtcCompileProgram", FUNCTIONS.get("nvrtcCompileProgram"));
        logSize = lib.function("nvrtcGetProgramLogSize", FUNCTIONS.get("nvrtcGetProgramLogSize"));
        log = lib.function("nvrtcGetProgramLog", FUNCTIONS.get("nvrtcGetProgramLog"));
        cubinSize = lib.function("nvrtcGetCUBINSize", FUNCTIONS.get("nvrtcGetCUBINSize"));
        cubin = lib.function("nvrtcGetCUBIN", FUNCTIONS.get("nvrtcGetCUBIN"));
        destroyProgram = lib.function("nvrtcDestroyProgram", FUNCTIONS.get("nvrtcDestroyProgram"));
    }

    static Nvrtc open() throws NativeLibrary.Missing {
        // NVRTC loads its builtins library at run time; loading it first, from the same folder, spares a search.
        for (Path dir : NativeLibrary.cudaLibraryDirs()) {
            try (var files = Files.list(dir)) {
                files.filter(f -> f.getFileName().toString().startsWith("libnvrtc-builtins.so.")).sorted().findFirst()
                        .ifPresent(f -> {
                            try {
                                NativeLibrary.open("NVRTC builtins", f.toString());
                            } catch (NativeLibrary.Missing ignored) {
                                // NVRTC then finds it itself, or says it cannot
                            }
                        });
            } catch (java.io.IOException ignored) {
                // an unreadable folder is skipped
            }
        }
        return new Nvrtc(NativeLibrary.open("NVRTC", "libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so"));
    }

    String library() {
        return lib.loaded();
    }

    private String describe(int status) {
        try {
            return CudaDriver.cString((MemorySegment) errorString.invokeExact(status));
        } catch (Throwable t) {
            return "nvrtcResult " + status;
        }
    }

    private void check(String function, int status) {
        if (status != NVRTC_SUCCESS) throw new CudaException(function + " failed: " + describe(status));
    }

    private static RuntimeException rethrow(Throwable t) {
        return CudaException.rethrow(t, "NVRTC");
    }

    /** "13.0". */
    String version() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment major = a.allocate(JAVA_INT), minor = a.allocate(JAVA_INT);
            check("nvrtcVersion", (int) version.invokeExact(major, minor));
            return major.get(JAVA_INT, 0) + "." + minor.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Compiles one source with the given headers (include name to text) and options; returns the cubin. A compile
     * error throws with the first lines of NVRTC's log.
     */
    byte[] compile(String name, String source, Map<String, String> headers, List<String> options) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment prog = a.allocate(JAVA_LONG);
            List<String> names = List.copyOf(headers.keySet());
            MemorySegment texts = a.allocate(ADDRESS, Math.max(1, names.size())), includes = a.allocate(ADDRESS, Math.max(1, names.size()));
            for (int i = 0; i < names.size(); i++) {
                texts.setAtIndex(ADDRESS, i, a.allocateFrom(headers.get(names.get(i))));
                includes.setAtIndex(ADDRESS, i, a.allocateFrom(names.get(i)));
            }
            check("nvrtcCreateProgram", (int) createProgram.invokeExact(prog, a.allocateFrom(source), a.allocateFrom(name),
                    names.size(), texts, includes));
            long program = prog.get(JAVA_LONG, 0);
            try {
                MemorySegment opts = a.allocate(ADDRESS, Math.max(1, options.size()));
                for (int i = 0; i < options.size(); i++) opts.setAtIndex(ADDRESS, i, a.allocateFrom(options.get(i)));
                int status = (int) compileProgram.invokeExact(program, options.size(), opts);
                if (status != NVRTC_SUCCESS) {
                    String text = programLog(a, program).lines().filter(l -> !l.isBlank()).limit(6)
                            .reduce((x, y) -> x + " | " + y).orElse("");
                    throw new CudaException("NVRTC could not compile " + name + " (" + describe(status) + "): " + text);
                }
                MemorySegment size = a.allocate(JAVA_LONG);
                check("nvrtcGetCUBINSize", (int) cubinSize.invokeExact(program, size));
                MemorySegment out = a.allocate(size.get(JAVA_LONG, 0));
                check("nvrtcGetCUBIN", (int) cubin.invokeExact(program, out));
                return out.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            } finally {
                int ignored = (int) destroyProgram.invokeExact(prog);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private String programLog(Arena a, long program) throws Throwable {
        MemorySegment size = a.allocate(JAVA_LONG);
        if ((int) logSize.invokeExact(program, size) != NVRTC_SUCCESS) return "";
        MemorySegment text = a.allocate(Math.max(1, size.get(JAVA_LONG, 0)));
        if ((int) log.invokeExact(program, text) != NVRTC_SUCCESS) return "";
        return text.getString(0);
    }
}
