package org.attnbench.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestFactory;

/**
 * Every kernel source compiles with nvcc to PTX for sm_90 (the H100/H200 architecture), so syntax and type errors
 * are caught on a machine without a GPU; and every kernel the backend launches by name exists in the PTX. NVRTC
 * compiles the same sources at run time on the GPU host. Skipped, with the reason, where nvcc is not installed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KernelSourcesTest {
    private static final Pattern ENTRY = Pattern.compile("\\.entry\\s+(\\w+)\\s*\\(");
    private static final Set<String> FOUND = new TreeSet<>();

    static Path kernelDir() throws URISyntaxException {
        return Path.of(Kernels.class.getResource(Kernels.RESOURCE_DIR + Kernels.HEADER).toURI()).getParent();
    }

    static String nvcc() {
        for (String c : new String[] {System.getenv("CUDA_HOME") == null ? null : System.getenv("CUDA_HOME") + "/bin/nvcc",
                "/usr/local/cuda/bin/nvcc", "/usr/local/bin/nvcc", "/usr/bin/nvcc"}) {
            if (c != null && Files.isExecutable(Path.of(c))) return c;
        }
        return null;
    }

    @Order(1)
    @TestFactory
    Stream<DynamicTest> everySourceCompilesToPtxForSm90() {
        String nvcc = nvcc();
        return Kernels.SOURCES.stream().map(file -> DynamicTest.dynamicTest(file, () -> {
            Assumptions.assumeTrue(nvcc != null, "nvcc is not installed here (looked in $CUDA_HOME/bin, /usr/local/cuda/bin, /usr/local/bin, /usr/bin)");
            Path dir = kernelDir();
            Path out = Files.createTempFile("attnbench-" + file, ".ptx");
            try {
                Process p = new ProcessBuilder(nvcc, "-ptx", "-arch=sm_90", "-std=c++17", "-I" + dir, dir.resolve(file).toString(),
                        "-o", out.toString()).redirectErrorStream(true).start();
                String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(p.waitFor(10, TimeUnit.MINUTES), "nvcc did not finish");
                assertEquals(0, p.exitValue(), file + " does not compile:\n" + log);
                Matcher m = ENTRY.matcher(Files.readString(out));
                synchronized (FOUND) {
                    while (m.find()) FOUND.add(m.group(1));
                }
            } finally {
                Files.deleteIfExists(out);
            }
        }));
    }

    /** The names CudaBackend and FusedAttention build, for every storage type. */
    static List<String> launchedNames() {
        List<String> names = new ArrayList<>();
        for (Storage s : Storage.values()) {
            for (String k : List.of("unary", "scalar", "binary", "where", "copy", "fill", "band", "reduce", "softmax", "scan",
                    "decay_scan", "cummax_backward", "gather", "scatter_add", "fft_expand_c64", "fft_expand_c128")) {
                names.add(k + "_" + s.suffix);
            }
            for (Storage to : Storage.values()) names.add("cast_" + s.suffix + "_" + to.suffix);
            for (int dh : new int[] {1, 32, 33, 64, 100, 128}) names.add(FusedAttention.kernelName(s, dh, 9));
        }
        return names;
    }

    @Order(2)
    @Test
    void everyLaunchedKernelIsInThePtx() {
        Assumptions.assumeTrue(nvcc() != null, "nvcc is not installed here");
        Assumptions.assumeTrue(FOUND.size() > 0, "the compile tests did not run first");
        List<String> missing = launchedNames().stream().filter(n -> !FOUND.contains(n)).toList();
        assertTrue(missing.isEmpty(), "kernels the backend launches but no source defines: " + missing);
        assertTrue(FOUND.contains("flash_mma64_bf16") && FOUND.contains("flash_simt64_f32"), FOUND.toString());
    }

    /** NVRTC has no C++ standard library: a source may include only common.cuh and CUDA's own half-precision headers. */
    @Test
    void sourcesIncludeOnlyWhatNvrtcHas() throws IOException, URISyntaxException {
        Set<String> allowed = Set.of("common.cuh", "cuda_bf16.h", "cuda_fp16.h");
        List<String> files = new ArrayList<>(Kernels.SOURCES);
        files.add(Kernels.HEADER);
        Pattern include = Pattern.compile("^\\s*#\\s*include\\s*[<\"]([^>\"]+)[>\"]", Pattern.MULTILINE);
        for (String f : files) {
            Matcher m = include.matcher(Files.readString(kernelDir().resolve(f)));
            while (m.find()) assertTrue(allowed.contains(m.group(1)), f + " includes " + m.group(1));
        }
    }
}
