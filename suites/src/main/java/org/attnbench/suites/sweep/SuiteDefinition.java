package org.attnbench.suites.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import org.attnbench.api.BackendProvider;
import org.attnbench.api.Backends;
import org.attnbench.api.DType;
import org.attnbench.api.Mode;
import org.attnbench.suites.timing.Pass;

/**
 * A suite: which variants, lengths, shapes and JMH settings one sweep measures, read from a YAML file under
 * suites/ (so a new suite needs no Java). Command-line options override single fields. Unknown fields, wrong
 * types and impossible values are errors naming the file and, where known, the line.
 */
public final class SuiteDefinition {
    public String name;
    public String description = "";
    /** "cpu" or "gpu": selects the backend of that name unless {@link #backend} is given. */
    public String device = "cpu";
    public String backend;
    public List<String> dtypes = List.of("float32");
    public List<String> variants = List.of();
    public List<Integer> lengths = List.of();
    public int batch = 1;
    public int heads = 8;
    @JsonProperty("head_dim")
    public int headDim = 64;
    public List<String> modes = List.of("bidirectional");
    public List<String> passes = List.of("forward");
    public long seed = 42;
    public Jmh jmh = new Jmh();
    /** Sizes of plain size^3 matrix products to time as the backend's roof. */
    @JsonProperty("gemm_sizes")
    public List<Integer> gemmSizes = List.of();
    /** Time the operation layer's per-call overhead against ND4J's own call (CPU backend only). */
    @JsonProperty("op_overhead")
    public boolean opOverhead;
    /** Other frameworks timed on the same problems in the same run: "torch-cpu", "torch-gpu" (see {@link TorchPeer}). */
    public List<String> peers = List.of();
    /** Off-heap limit of the measuring JVM; a configuration that needs more is recorded as 'oom'. */
    @JsonProperty("memory_limit")
    public String memoryLimit = "16g";

    /** JMH settings per configuration. */
    public static final class Jmh {
        @JsonProperty("warmup_iterations")
        public int warmupIterations = 1;
        @JsonProperty("measurement_iterations")
        public int measurementIterations = 5;
        @JsonProperty("iteration_ms")
        public int iterationMs = 1000;
        public int forks = 1;
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** A suite by file path, or by name from the suites/ folder of the installation. */
    public static SuiteDefinition load(String nameOrPath, Path suitesDir) {
        Path file = Path.of(nameOrPath);
        if (!Files.isRegularFile(file)) file = suitesDir.resolve(nameOrPath + ".yaml");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no suite '" + nameOrPath + "' (not a file, and not in " + suitesDir
                    + ": known suites are " + known(suitesDir) + ")");
        }
        try {
            SuiteDefinition s = YAML.readValue(file.toFile(), SuiteDefinition.class);
            if (s == null) throw new IllegalArgumentException(file + ": the suite file is empty");
            s.validate(file.toString());
            return s;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : ":" + at.getLineNr();
            throw new IllegalArgumentException(file + where + ": " + e.getOriginalMessage().lines().findFirst().orElse("malformed suite"));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read the suite (" + e.getMessage() + ")");
        }
    }

    /**
     * A copy of a suite file with its JMH forks set to the given count and every other setting as written (comments
     * are not kept); the nightly's rounds give both builds the same plan this way, one fork a round.
     */
    public static void writeWithForks(Path from, Path to, int forks) {
        try {
            JsonNode tree = YAML.readTree(from.toFile());
            if (!(tree instanceof ObjectNode root)) throw new IllegalArgumentException(from + ": the suite file is not a mapping");
            JsonNode jmh = root.get("jmh");
            (jmh instanceof ObjectNode o ? o : root.putObject("jmh")).put("forks", forks);
            Files.createDirectories(to.toAbsolutePath().getParent());
            YAML.writeValue(to.toFile(), root);
        } catch (IOException e) {
            throw new IllegalArgumentException(from + ": cannot copy the suite to " + to + " (" + e.getMessage() + ")");
        }
    }

    /** Names of the suite files in a folder. */
    public static List<String> known(Path suitesDir) {
        List<String> out = new ArrayList<>();
        try (var files = Files.list(suitesDir)) {
            files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".yaml")).sorted()
                    .forEach(f -> out.add(f.substring(0, f.length() - ".yaml".length())));
        } catch (IOException e) {
            // a missing folder lists no suites; the caller's message says where it looked
        }
        return out;
    }

    /** Checks every field; the message names the source (a file or "the command line") and the field. */
    public void validate(String source) {
        if (name == null || name.isBlank()) fail(source, "name is missing");
        if (!device.equals("cpu") && !device.equals("gpu")) fail(source, "device must be cpu or gpu, got '" + device + "'");
        if (dtypes.isEmpty()) fail(source, "dtypes is empty");
        for (String d : dtypes) parse(source, "dtypes", () -> DType.parse(d));
        for (String m : modes) parse(source, "modes", () -> Mode.parse(m));
        for (String p : passes) parse(source, "passes", () -> Pass.parse(p));
        if (modes.isEmpty()) fail(source, "modes is empty");
        if (passes.isEmpty()) fail(source, "passes is empty");
        if (!variants.isEmpty() && lengths.isEmpty()) fail(source, "variants are given but lengths is empty");
        for (int n : lengths) if (n < 1) fail(source, "lengths must be positive, got " + n);
        for (int s : gemmSizes) if (s < 1) fail(source, "gemm_sizes must be positive, got " + s);
        if (batch < 1) fail(source, "batch must be at least 1, got " + batch);
        if (heads < 1) fail(source, "heads must be at least 1, got " + heads);
        if (headDim < 1) fail(source, "head_dim must be at least 1, got " + headDim);
        if (jmh.warmupIterations < 0) fail(source, "jmh.warmup_iterations must be >= 0");
        if (jmh.measurementIterations < 1) fail(source, "jmh.measurement_iterations must be >= 1");
        if (jmh.iterationMs < 1) fail(source, "jmh.iteration_ms must be >= 1");
        if (jmh.forks < 1) fail(source, "jmh.forks must be >= 1");
        if (!memoryLimit.matches("[0-9]+[kmgt]?")) fail(source, "memory_limit must look like 16g, got '" + memoryLimit + "'");
        for (String p : peers) {
            if (!TorchPeer.NAMES.contains(p)) fail(source, "unknown peer '" + p + "' (known: " + String.join(", ", TorchPeer.NAMES) + ")");
        }
    }

    /**
     * The backend this suite runs on: the one named, else the device's own: "cpu" for the CPU, and for the GPU the
     * backend registered on device "gpu" (the CUDA backend, "cuda"). A build without a GPU backend gives "gpu", which
     * the sweep then refuses by name.
     */
    public String backendName() {
        return backendName(device, backend);
    }

    /** The backend for a device and an optional backend name, as {@link #backendName()} resolves a suite's. */
    public static String backendName(String device, String backend) {
        if (backend != null) return backend;
        if (device.equals("gpu")) {
            return Backends.all().stream().filter(p -> p.device().equals("gpu")).map(BackendProvider::name).findFirst().orElse("gpu");
        }
        return device;
    }

    private static void fail(String source, String message) {
        throw new IllegalArgumentException(source + ": " + message);
    }

    private static void parse(String source, String field, Runnable parse) {
        try {
            parse.run();
        } catch (IllegalArgumentException e) {
            fail(source, field + ": " + e.getMessage());
        }
    }
}
