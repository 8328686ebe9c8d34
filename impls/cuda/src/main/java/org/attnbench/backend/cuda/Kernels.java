package org.attnbench.backend.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The backend's CUDA C++ kernels: .cu sources kept as resources beside this class, compiled for the device by NVRTC
 * the first time one of their functions is needed, and cached on disk as cubins keyed by a hash of the source, its
 * header, the NVRTC options, the device architecture, the driver and the NVRTC version (so a changed kernel or
 * machine is compiled again, never a stale binary loaded).
 */
final class Kernels {
    /** The kernel files, each a module. */
    static final List<String> SOURCES = List.of("elementwise.cu", "axis.cu", "index.cu", "flash_simt.cu", "flash_mma.cu");
    static final String HEADER = "common.cuh";
    static final String RESOURCE_DIR = "kernels/";

    private final CudaDriver cu;
    private final Nvrtc nvrtc;
    private final String arch;
    private final List<String> options;
    private final String fingerprint;
    private final Path cacheDir;
    private final Map<String, Long> modules = new ConcurrentHashMap<>();
    private final Map<String, Long> functions = new ConcurrentHashMap<>();
    private final Map<Long, Integer> sharedSet = new ConcurrentHashMap<>();
    /** Milliseconds NVRTC spent compiling in this process, and how many modules came from the disk cache. */
    volatile long compileMs;
    volatile int cacheHits;

    Kernels(CudaDriver cu, Nvrtc nvrtc, int major, int minor, int driverVersion) {
        this.cu = cu;
        this.nvrtc = nvrtc;
        this.arch = "sm_" + major + minor;
        this.options = options(arch);
        this.fingerprint = String.join(" ", options) + " driver " + driverVersion + " nvrtc " + nvrtc.version();
        this.cacheDir = cacheDir();
    }

    /** NVRTC options: a cubin for this device's architecture, C++17, CUDA's headers when the toolkit is installed. */
    static List<String> options(String arch) {
        List<String> o = new ArrayList<>(List.of("--gpu-architecture=" + arch, "-std=c++17"));
        Path include = NativeLibrary.cudaIncludeDir();
        if (include != null) o.add("--include-path=" + include);
        return o;
    }

    /** $ATTNBENCH_CUDA_CACHE, else $XDG_CACHE_HOME/attnbench/cuda, else ~/.cache/attnbench/cuda. */
    static Path cacheDir() {
        String env = System.getenv("ATTNBENCH_CUDA_CACHE");
        if (env != null && !env.isBlank()) return Path.of(env);
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("attnbench/cuda");
    }

    String arch() {
        return arch;
    }

    static String source(String name) {
        try (InputStream in = Kernels.class.getResourceAsStream(RESOURCE_DIR + name)) {
            if (in == null) throw new IllegalStateException("kernel source " + name + " is missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The function `name` of kernel file `file` (e.g. "elementwise.cu", "unary_f32"). */
    long function(String file, String name) {
        Long f = functions.get(name);
        if (f != null) return f;
        long module = modules.computeIfAbsent(file, this::load);
        long fn = cu.function(module, name);
        functions.put(name, fn);
        return fn;
    }

    private long load(String file) {
        byte[] cubin = cubin(file);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment image = a.allocate(cubin.length + 1L, 16);
            MemorySegment.copy(cubin, 0, image, JAVA_BYTE, 0, cubin.length);
            return cu.loadModule(image);
        }
    }

    /** The cubin from the disk cache, or compiled now and stored there (written to a temporary file, then renamed). */
    private byte[] cubin(String file) {
        String src = source(file), header = source(HEADER);
        Path cached = cacheDir.resolve(file.replace(".cu", "") + "-" + arch + "-" + key(src, header) + ".cubin");
        try {
            if (Files.isRegularFile(cached)) {
                cacheHits++;
                return Files.readAllBytes(cached);
            }
        } catch (IOException e) {
            // unreadable cache entry: compile again
        }
        long start = System.nanoTime();
        byte[] cubin = nvrtc.compile(file, src, Map.of(HEADER, header), options);
        compileMs += (System.nanoTime() - start) / 1_000_000;
        try {
            Files.createDirectories(cacheDir);
            Path tmp = Files.createTempFile(cacheDir, file, ".tmp");
            Files.write(tmp, cubin);
            Files.move(tmp, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // a read-only home: the kernel is compiled again next time, nothing else changes
        }
        return cubin;
    }

    private String key(String src, String header) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {src, header, fingerprint}) {
                d.update(part.getBytes(StandardCharsets.UTF_8));
                d.update((byte) 0);
            }
            return HexFormat.of().formatHex(d.digest()).substring(0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lets a function use more than 48 KiB of dynamic shared memory (once per function). */
    void allowSharedMemory(long function, int bytes) {
        if (bytes <= 48 * 1024) return;
        sharedSet.computeIfAbsent(function, f -> {
            cu.setMaxDynamicSharedMemory(f, bytes);
            return bytes;
        });
    }

    /** Arguments of one launch, each copied into native memory as cuLaunchKernel wants them (a pointer to each). */
    static final class Args implements AutoCloseable {
        private final Arena arena = Arena.ofConfined();
        private final List<MemorySegment> values = new ArrayList<>();

        Args pointer(long p) {
            values.add(arena.allocateFrom(JAVA_LONG, p));
            return this;
        }

        Args i64(long v) {
            values.add(arena.allocateFrom(JAVA_LONG, v));
            return this;
        }

        Args i32(int v) {
            values.add(arena.allocateFrom(JAVA_INT, v));
            return this;
        }

        Args f64(double v) {
            values.add(arena.allocateFrom(JAVA_DOUBLE, v));
            return this;
        }

        /** A struct of 8-byte fields passed by value: longs first, then doubles (common.cuh's layouts). */
        Args struct(long[] longs, double... doubles) {
            MemorySegment s = arena.allocate(8L * (longs.length + doubles.length), 8);
            for (int i = 0; i < longs.length; i++) s.setAtIndex(JAVA_LONG, i, longs[i]);
            for (int i = 0; i < doubles.length; i++) s.setAtIndex(JAVA_DOUBLE, longs.length + i, doubles[i]);
            values.add(s);
            return this;
        }

        MemorySegment array() {
            MemorySegment a = arena.allocate(ADDRESS, Math.max(1, values.size()));
            for (int i = 0; i < values.size(); i++) a.setAtIndex(ADDRESS, i, values.get(i));
            return a;
        }

        @Override
        public void close() {
            arena.close();
        }
    }
}
