package org.attnbench.suites.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.attnbench.api.AttentionLayer;
import org.attnbench.api.Backends;
import org.attnbench.api.DType;
import org.attnbench.api.Mode;
import org.attnbench.api.Ops;
import org.attnbench.api.Problem;
import org.attnbench.api.Rng;
import org.attnbench.api.Tensor;
import org.attnbench.api.Variant;
import org.attnbench.api.Variants;
import org.attnbench.results.Environment;
import org.attnbench.results.Npy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Writes one forward's input, parameters and output as .npy files with a manifest, so another framework can
 * recompute the variant and compare (scripts/check_trace.py does this for dense attention with NumPy).
 */
@Command(name = "trace", description = "Export the inputs, parameters and output of one forward as .npy files.")
final class TraceCommand implements Callable<Integer> {
    @Option(names = "--variant", required = true, description = "the variant, e.g. dense") String variant;
    @Option(names = "--n", required = true, description = "sequence length") int n;
    @Option(names = "--seed", defaultValue = "42", description = "seed of parameters and input (default: ${DEFAULT-VALUE})") long seed;
    @Option(names = "--out", required = true, description = "folder to write into (created if missing)") Path out;
    @Option(names = "--batch", defaultValue = "1") int batch;
    @Option(names = "--heads", defaultValue = "2") int heads;
    @Option(names = "--head-dim", defaultValue = "8") int headDim;
    @Option(names = "--mode", defaultValue = "bidirectional", description = "causal or bidirectional") String mode;
    @Option(names = "--backend", defaultValue = "cpu") String backend;
    @Option(names = "--dtype", defaultValue = "float64", description = "float32 or float64 (default: ${DEFAULT-VALUE})") String dtype;

    @Override
    public Integer call() throws IOException {
        Variant v = Variants.get(variant);
        Problem p = new Problem(batch, n, heads, headDim, Mode.parse(mode));
        DType type = DType.parse(dtype);
        Ops ops = Ops.on(Backends.open(backend), type);
        AttentionLayer layer = AttentionLayer.create(v, p, ops, new Rng(seed), false);
        Tensor x = layer.randomInput(new Rng(seed).child("input"));
        Tensor y = layer.forward(x);

        Files.createDirectories(out);
        boolean float64 = type == DType.FLOAT64;
        Npy.write(out.resolve("input.npy"), ops.toArray(x), x.shape(), float64);
        Npy.write(out.resolve("output.npy"), ops.toArray(y), y.shape(), float64);
        Map<String, String> params = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : layer.parameters().all().entrySet()) {
            String file = "param_" + e.getKey() + ".npy";
            Npy.write(out.resolve(file), ops.toArray(e.getValue()), e.getValue().shape(), float64);
            params.put(e.getKey(), file);
        }
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schema", "attnbench.trace/1");
        manifest.put("variant", Variants.key(v));
        manifest.put("paper", v.info().paper());
        manifest.put("problem", Map.of("batch", batch, "length", n, "heads", heads, "head_dim", headDim, "mode", p.mode().id()));
        manifest.put("backend", backend);
        manifest.put("dtype", type.id());
        manifest.put("seed", seed);
        manifest.put("layout", "arrays are row-major (C order); x is [batch, n, heads * head_dim]; weights multiply on the right (x @ W)");
        manifest.put("files", Map.of("input", "input.npy", "output", "output.npy", "parameters", params));
        manifest.put("git_revision", Environment.gitRevision(Main.home()));
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("trace.json").toFile(), manifest);
        System.out.println("wrote " + (params.size() + 3) + " files to " + out + " (" + Variants.displayName(v) + ", " + p + ", " + type + ")");
        return 0;
    }
}
