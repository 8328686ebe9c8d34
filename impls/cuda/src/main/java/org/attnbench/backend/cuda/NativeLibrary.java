package org.attnbench.backend.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A shared library of the CUDA toolkit or driver, opened with dlopen through java.lang.foreign and kept open for the
 * life of the process. Looked for by file name in CUDA's library folders ($CUDA_HOME/lib64, /usr/local/cuda/lib64,
 * the toolkit's targets folder) and then by the system's own search (ld.so.cache, LD_LIBRARY_PATH), so that a driver
 * in /usr/lib and a toolkit in /usr/local/cuda are both found.
 */
final class NativeLibrary {
    private static final Linker LINKER = Linker.nativeLinker();

    private final String loaded;
    private final SymbolLookup lookup;

    private NativeLibrary(String loaded, SymbolLookup lookup) {
        this.loaded = loaded;
        this.lookup = lookup;
    }

    /** Thrown when none of the names can be opened; the message says what was looked for and where. */
    static final class Missing extends Exception {
        Missing(String message) {
            super(message);
        }
    }

    /** The folders CUDA's libraries are usually installed in, those that exist, in search order. */
    static List<Path> cudaLibraryDirs() {
        Set<Path> dirs = new LinkedHashSet<>();
        for (String env : new String[] {"CUDA_HOME", "CUDA_PATH"}) {
            String v = System.getenv(env);
            if (v != null && !v.isBlank()) {
                dirs.add(Path.of(v, "lib64"));
                dirs.add(Path.of(v, "targets/x86_64-linux/lib"));
            }
        }
        dirs.add(Path.of("/usr/local/cuda/lib64"));
        dirs.add(Path.of("/usr/local/cuda/targets/x86_64-linux/lib"));
        List<Path> out = new ArrayList<>();
        for (Path d : dirs) if (Files.isDirectory(d)) out.add(d);
        return out;
    }

    /** The include folder of the CUDA toolkit (for NVRTC's --include-path), or null. */
    static Path cudaIncludeDir() {
        for (String env : new String[] {"CUDA_HOME", "CUDA_PATH"}) {
            String v = System.getenv(env);
            if (v != null && !v.isBlank() && Files.isRegularFile(Path.of(v, "include/cuda_bf16.h"))) return Path.of(v, "include");
        }
        Path usual = Path.of("/usr/local/cuda/include");
        return Files.isRegularFile(usual.resolve("cuda_bf16.h")) ? usual : null;
    }

    /**
     * Opens the first of the file names that loads: each in CUDA's folders first, then through the system search.
     * {@code what} names the library in the error ("CUDA driver").
     */
    static NativeLibrary open(String what, String... names) throws Missing {
        List<String> tried = new ArrayList<>();
        for (String name : names) {
            for (Path dir : cudaLibraryDirs()) {
                Path file = dir.resolve(name);
                if (!Files.exists(file)) continue;
                try {
                    return new NativeLibrary(file.toString(), SymbolLookup.libraryLookup(file, Arena.global()));
                } catch (IllegalArgumentException e) {
                    tried.add(file + " (" + e.getMessage() + ")");
                }
            }
            try {
                return new NativeLibrary(name, SymbolLookup.libraryLookup(name, Arena.global()));
            } catch (IllegalArgumentException e) {
                tried.add(name);
            }
        }
        throw new Missing(what + " not found (no " + String.join(" or ", names) + " on the system library path or in "
                + (cudaLibraryDirs().isEmpty() ? "/usr/local/cuda/lib64, which does not exist" : String.join(", ",
                cudaLibraryDirs().stream().map(Path::toString).toList())) + ")");
    }

    /** Which file was opened (the name as found). */
    String loaded() {
        return loaded;
    }

    /** A downcall handle for a symbol the library must have. */
    MethodHandle function(String symbol, FunctionDescriptor descriptor) {
        MemorySegment address = lookup.find(symbol).orElseThrow(() -> new CudaException(loaded + " has no symbol " + symbol
                + " (an older CUDA than this backend was written for?)"));
        return LINKER.downcallHandle(address, descriptor);
    }

    /** The first of the symbols the library has (a newer versioned name before the older one). */
    MethodHandle firstOf(FunctionDescriptor descriptor, String... symbols) {
        for (String s : symbols) {
            Optional<MemorySegment> a = lookup.find(s);
            if (a.isPresent()) return LINKER.downcallHandle(a.get(), descriptor);
        }
        throw new CudaException(loaded + " has none of the symbols " + String.join(", ", symbols));
    }
}
