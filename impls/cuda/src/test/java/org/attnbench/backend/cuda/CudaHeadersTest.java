package org.attnbench.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    private record Binding(Class<?> type, List<String> headers, Map<String, FunctionDescriptor> functions) {
        List<String> symbols() {
            return List.copyOf(functions.keySet());
        }
    }

    private static List<Binding> bindings() {
        return List.of(new Binding(CudaDriver.class, List.of("cuda.h"), CudaDriver.FUNCTIONS),
                new Binding(Cublas.class, List.of("cublas_api.h", "library_types.h"), Cublas.FUNCTIONS),
                new Binding(Cufft.class, List.of("cufft.h"), Cufft.FUNCTIONS),
                new Binding(Nvrtc.class, List.of("nvrtc.h"), Nvrtc.FUNCTIONS));
    }

    /** C types passed in 64 bits by value (handles are pointers to opaque structs; device pointers are integers). */
    private static final Set<String> WIDE = Set.of("CUdeviceptr", "size_t", "CUcontext", "CUstream", "CUmodule", "CUfunction",
            "CUevent", "cudaStream_t", "cublasHandle_t", "nvrtcProgram", "long long", "long long int", "unsigned long long");
    /** C types passed in 32 bits: integers and enums. */
    private static final Set<String> NARROW = Set.of("int", "unsigned int", "unsigned", "CUdevice", "CUresult", "CUdevice_attribute",
            "CUfunction_attribute", "cublasOperation_t", "cudaDataType", "cudaDataType_t", "cublasComputeType_t", "cublasGemmAlgo_t",
            "cufftType", "cublasMath_t", "cufftHandle", "nvrtcResult", "cublasStatus_t", "cufftResult");

    /** The layouts a C parameter or return type may be bound with. */
    static Set<MemoryLayout> allowed(String cType) {
        String t = cType.replace("const", " ").replaceAll("\\s+", " ").strip();
        if (t.contains("*")) return Set.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG); // device pointers go as long
        if (WIDE.contains(t)) return Set.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS);
        if (NARROW.contains(t)) return Set.of(ValueLayout.JAVA_INT);
        if (t.equals("unsigned char")) return Set.of(ValueLayout.JAVA_BYTE);
        if (t.equals("float")) return Set.of(ValueLayout.JAVA_FLOAT);
        if (t.equals("double")) return Set.of(ValueLayout.JAVA_DOUBLE);
        throw new AssertionError("the test does not know the C type '" + t + "'");
    }

    /** The first declaration of the symbol or of an API name a macro maps to it: {return type, parameters...}. */
    static List<String> prototype(String text, String symbol) {
        List<String> names = new ArrayList<>(List.of(symbol));
        Matcher macro = Pattern.compile("(?m)^\\s*#\\s*define\\s+(\\w+)\\s+(?:__CUDA_API_\\w+\\()?" + symbol + "\\b").matcher(text);
        while (macro.find()) names.add(macro.group(1));
        int best = Integer.MAX_VALUE;
        Matcher found = null;
        for (String n : names) {
            // A declaration starts a line with its return type (comment lines start with * or /; a statement in an
            // example has an =), and ends with );
            Matcher m = Pattern.compile("(?m)^(\\s*[A-Za-z_][^\\n;(){}#=]*?)\\b" + n + "\\s*\\(([^;{]*?)\\)\\s*;").matcher(text);
            if (m.find() && m.start() < best) {
                best = m.start();
                found = m;
            }
        }
        if (found == null) return null;
        List<String> out = new ArrayList<>();
        out.add(found.group(1).replaceAll("\\b(CUDAAPI|CUBLASAPI|CUBLASWINAPI|CUFFTAPI|NVRTC_API|extern|static|inline)\\b", " ")
                .replaceAll("\\s+", " ").strip());
        String params = found.group(2).replaceAll("/\\*.*?\\*/", " ").replaceAll("\\s+", " ").strip();
        if (params.isEmpty() || params.equals("void")) return out;
        for (String p : params.split(",")) {
            String q = p.strip().replaceAll("\\[\\s*\\]$", "*");
            // drop the parameter's name: the last identifier, unless the parameter is a bare type
            Matcher named = Pattern.compile("^(.*?[\\s*])(\\w+)$").matcher(q);
            out.add(named.matches() && allowedKnown(named.group(1).strip()) ? named.group(1).strip() : q);
        }
        return out;
    }

    private static boolean allowedKnown(String t) {
        try {
            allowed(t);
            return true;
        } catch (AssertionError e) {
            return false;
        }
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

    /** The prototype parser on the declaration styles of the four headers. */
    @org.junit.jupiter.api.Test
    void prototypesAreParsedInEachHeadersStyle() {
        String text = String.join("\n",
                " * Example: cuMemAlloc(&p, 4);",
                "#define cuMemAlloc cuMemAlloc_v2",
                "CUresult CUDAAPI cuMemAlloc(CUdeviceptr *dptr, size_t bytesize);",
                "CUBLASAPI cublasStatus_t CUBLASWINAPI cublasSetStream_v2(cublasHandle_t handle, cudaStream_t streamId);",
                "CUBLASAPI const char* CUBLASWINAPI cublasGetStatusName(cublasStatus_t status);",
                "cufftResult CUFFTAPI cufftMakePlanMany(cufftHandle plan,",
                "                                       int rank, int *n, int *inembed, int istride, int idist,",
                "                                       int *onembed, int ostride, int odist, cufftType type, int batch, size_t *workSize);",
                "const char *nvrtcGetErrorString(nvrtcResult result);",
                "nvrtcResult nvrtcVersion(int *major, int *minor);");
        assertEquals(List.of("CUresult", "CUdeviceptr *", "size_t"), prototype(text, "cuMemAlloc_v2"));
        assertEquals(List.of("cublasStatus_t", "cublasHandle_t", "cudaStream_t"), prototype(text, "cublasSetStream_v2"));
        assertEquals(List.of("const char*", "cublasStatus_t"), prototype(text, "cublasGetStatusName"));
        assertEquals(13, prototype(text, "cufftMakePlanMany").size());
        assertEquals("size_t *", prototype(text, "cufftMakePlanMany").get(12));
        assertEquals(List.of("const char *", "nvrtcResult"), prototype(text, "nvrtcGetErrorString"));
        assertEquals(List.of("nvrtcResult", "int *", "int *"), prototype(text, "nvrtcVersion"));
        assertTrue(allowed("const char*").contains(ValueLayout.ADDRESS));
    }

    /** The arity and the width of every parameter and of the result agree with the header's prototype. */
    @TestFactory
    Stream<DynamicTest> signaturesMatchTheHeaders() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Binding b : bindings()) {
            for (Map.Entry<String, FunctionDescriptor> f : b.functions().entrySet()) {
                tests.add(DynamicTest.dynamicTest(b.type().getSimpleName() + " " + f.getKey(), () -> {
                    String text = read(b, b.headers().get(0));
                    List<String> proto = prototype(text, f.getKey());
                    assertNotNull(proto, "no prototype of " + f.getKey() + " in " + b.headers().get(0));
                    FunctionDescriptor d = f.getValue();
                    assertEquals(proto.size() - 1, d.argumentLayouts().size(), f.getKey() + ": parameters " + proto.subList(1, proto.size()));
                    assertTrue(allowed(proto.get(0)).contains(d.returnLayout().orElseThrow().withoutName()),
                            f.getKey() + " returns " + proto.get(0) + ", bound as " + d.returnLayout().orElseThrow());
                    for (int i = 0; i < d.argumentLayouts().size(); i++) {
                        MemoryLayout ours = d.argumentLayouts().get(i).withoutName();
                        assertTrue(allowed(proto.get(i + 1)).contains(ours),
                                f.getKey() + " parameter " + i + " is " + proto.get(i + 1) + ", bound as " + ours);
                    }
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
