package org.attnbench.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The bindings are written by hand, so a wrong enum value or symbol name would only show on a GPU. Each constant
 * (every static final int field whose name is a C name, CU_..., CUDA_..., CUBLAS_..., CUFFT_..., NVRTC_...) is
 * checked against its value in the CUDA headers, and every bound function name against a declaration or the
 * macro that maps an API name to it. A header that is not installed (a machine with only nvcc has cuda.h and
 * library_types.h but no cuBLAS, cuFFT or NVRTC headers) skips its checks, with the reason.
 */
class CudaHeadersTest {
    static Path include() {
        Path p = NativeLibrary.cudaIncludeDir();
        if (p != null) return p;
        Path usual = Path.of("/usr/local/cuda/include");
        return Files.isDirectory(usual) ? usual : null;
    }

    private record Binding(Class<?> type, List<String> headers, List<String> symbols) {}

    private static List<Binding> bindings() {
        return List.of(new Binding(CudaDriver.class, List.of("cuda.h"), CudaDriver.SYMBOLS),
                new Binding(Cublas.class, List.of("cublas_api.h", "library_types.h"), Cublas.SYMBOLS),
                new Binding(Cufft.class, List.of("cufft.h"), Cufft.SYMBOLS),
                new Binding(Nvrtc.class, List.of("nvrtc.h"), Nvrtc.SYMBOLS));
    }

    private static String read(Binding b, String header) throws IOException {
        Path inc = include();
        Assumptions.assumeTrue(inc != null, "no CUDA include folder here");
        Path file = inc.resolve(header);
        Assumptions.assumeTrue(Files.isRegularFile(file), header + " is not installed in " + inc);
        return Files.readString(file);
    }

    /** The value of an enumerator (NAME = value) or #define in a header, as a long; null if absent. */
    static Long valueIn(String text, String name) {
        Matcher m = Pattern.compile("(?m)(?:^\\s*#\\s*define\\s+" + name + "\\s+|\\b" + name + "\\s*=\\s*)\\(?\\s*(-?(?:0x[0-9a-fA-F]+|[0-9]+))")
                .matcher(text);
        if (!m.find()) return null;
        String v = m.group(1);
        return v.startsWith("0x") ? Long.parseLong(v.substring(2), 16) : v.startsWith("-0x") ? -Long.parseLong(v.substring(3), 16) : Long.parseLong(v);
    }

    /** A function is declared under its own name, or is the target of a macro (#define api symbol, or __CUDA_API_PTSZ(symbol)). */
    static boolean declares(String text, String symbol) {
        return Pattern.compile("\\b" + symbol + "\\s*\\(").matcher(text).find()
                || Pattern.compile("(?m)^\\s*#\\s*define\\s+\\w+\\s+(?:__CUDA_API_\\w+\\()?" + symbol + "\\b").matcher(text).find();
    }

    @TestFactory
    Stream<DynamicTest> constantsHaveTheirHeaderValues() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Binding b : bindings()) {
            for (Field f : b.type().getDeclaredFields()) {
                int mod = f.getModifiers();
                if (!Modifier.isStatic(mod) || !Modifier.isFinal(mod) || f.getType() != int.class) continue;
                if (!f.getName().matches("(CU|CUDA|CUBLAS|CUFFT|NVRTC)_[A-Z0-9_]+")) continue;
                tests.add(DynamicTest.dynamicTest(b.type().getSimpleName() + "." + f.getName(), () -> {
                    f.setAccessible(true);
                    int ours = f.getInt(null);
                    Long theirs = null;
                    StringBuilder where = new StringBuilder();
                    // CUDA_R_* data types are in library_types.h, everything else in the binding's own header.
                    List<String> headers = f.getName().startsWith("CUDA_R_") ? List.of("library_types.h") : List.of(b.headers().get(0));
                    for (String h : headers) {
                        Path file = include() == null ? null : include().resolve(h);
                        if (file == null || !Files.isRegularFile(file)) continue;
                        where.append(h).append(' ');
                        theirs = valueIn(Files.readString(file), f.getName());
                        if (theirs != null) break;
                    }
                    Assumptions.assumeTrue(where.length() > 0, headers.get(0) + " is not installed here");
                    assertNotNull(theirs, f.getName() + " is not in " + where.toString().strip());
                    assertEquals((long) ours, theirs, f.getName() + " in " + where.toString().strip());
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> boundFunctionsAreDeclared() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Binding b : bindings()) {
            for (String symbol : b.symbols()) {
                tests.add(DynamicTest.dynamicTest(b.type().getSimpleName() + " " + symbol, () -> {
                    String text = read(b, b.headers().get(0));
                    assertTrue(declares(text, symbol), symbol + " is neither declared nor the target of a macro in " + b.headers().get(0));
                }));
            }
        }
        return tests.stream();
    }
}
