package org.attnbench.suites.sweep;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.attnbench.api.DType;

/**
 * A PyTorch peer: runs a script of scripts/peers/ that times the same attention layer in torch with the suite's
 * JMH-like settings and prints one JSON line per measurement (a header line with backend_description first).
 * <ul>
 * <li>torch-cpu (torch_cpu.py): dense attention on this CPU, float32 and float64;</li>
 * <li>torch-gpu (torch_gpu.py): on the GPU, dense attention with torch.nn.functional.scaled_dot_product_attention as
 * its core and sigmoid attention written in torch operations, float32, bfloat16 and float16, each call timed with
 * CUDA events after a synchronise.</li>
 * </ul>
 * The python interpreter is $ATTNBENCH_PYTHON, else the first of /usr/bin/python3 and python3 that can import torch
 * (for torch-gpu: and sees a CUDA device). The peer's rows carry its name as backend and the variant they mirror.
 */
final class TorchPeer {
    static final List<String> NAMES = List.of("torch-cpu", "torch-gpu");

    /** One peer measurement as the script reported it. */
    public record Result(int length, String mode, String pass, String status, String message, List<Double> samplesMs) {}

    private final String name;
    private final Path script;
    private String python;
    private String whyNot;
    private String description = "PyTorch";

    public TorchPeer(Path home, String name) {
        if (!NAMES.contains(name)) throw new IllegalArgumentException("unknown peer '" + name + "' (known: " + String.join(", ", NAMES) + ")");
        this.name = name;
        this.script = home.resolve("scripts/peers/" + name.replace('-', '_') + ".py");
        if (!Files.isRegularFile(script)) {
            whyNot = "the peer script " + script + " is missing";
            return;
        }
        Set<String> candidates = new LinkedHashSet<>();
        String configured = System.getenv("ATTNBENCH_PYTHON");
        if (configured != null && !configured.isBlank()) candidates.add(configured);
        candidates.add("/usr/bin/python3");
        candidates.add("python3");
        String lastReason = null;
        for (String c : candidates) {
            String why = probe(c);
            if (why == null) {
                python = c;
                return;
            }
            lastReason = why;
        }
        whyNot = gpu() ? "no python3 here can run torch on a CUDA device (" + lastReason + "; set ATTNBENCH_PYTHON to one that can)"
                : "no python3 here can import torch (on Debian: apt-get install python3-torch; or set ATTNBENCH_PYTHON)";
    }

    String name() {
        return name;
    }

    boolean gpu() {
        return name.equals("torch-gpu");
    }

    String device() {
        return gpu() ? "gpu" : "cpu";
    }

    /** The dtypes the peer measures. */
    Set<DType> dtypes() {
        return gpu() ? Set.of(DType.FLOAT32, DType.BFLOAT16, DType.FLOAT16) : Set.of(DType.FLOAT32, DType.FLOAT64);
    }

    /** The variants (registered names of the family's reference) whose problems the peer mirrors. */
    Set<String> mirrors() {
        return gpu() ? Set.of("dense", "sigmoid") : Set.of("dense");
    }

    /** Null when the peer can run. */
    public String unavailableReason() {
        return whyNot;
    }

    /** The interpreter that runs the script. */
    String pythonCommand() {
        return python;
    }

    public String description() {
        return description;
    }

    /** Null when this interpreter can run the peer; else why not, in one line (the GPU script's --probe says). */
    private String probe(String interpreter) {
        List<String> cmd = gpu() ? List.of(interpreter, script.toString(), "--probe") : List.of(interpreter, "-c", "import torch");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return interpreter + " did not answer within 2 minutes";
            }
            if (p.exitValue() == 0) return null;
            String last = out.lines().reduce((a, b) -> b).orElse("");
            if (gpu() && last.startsWith("{")) {
                JsonNode node = new ObjectMapper().readTree(last);
                if (node.has("error")) return node.get("error").asText();
            }
            return interpreter + " exited with status " + p.exitValue();
        } catch (IOException e) {
            return interpreter + " cannot be run";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Times the given configurations; each result is handed over as soon as the script prints it. */
    void run(SuiteDefinition suite, List<Measurement> measurements, Sink sink) throws IOException {
        if (whyNot != null) throw new IllegalStateException(whyNot);
        for (Measurement m : measurements) {
            List<String> cmd = new ArrayList<>(List.of(python, script.toString(),
                    "--lengths", String.valueOf(m.problem().length()), "--modes", m.problem().mode().id(), "--passes", m.pass().id(),
                    "--batch", String.valueOf(suite.batch), "--heads", String.valueOf(suite.heads),
                    "--head-dim", String.valueOf(suite.headDim), "--dtype", m.dtype().id(),
                    "--threads", String.valueOf(Runtime.getRuntime().availableProcessors()),
                    "--warmup-iterations", String.valueOf(suite.jmh.warmupIterations),
                    "--measurement-iterations", String.valueOf(suite.jmh.measurementIterations),
                    "--iteration-ms", String.valueOf(suite.jmh.iterationMs), "--seed", String.valueOf(suite.seed)));
            if (gpu()) cmd.addAll(List.of("--variant", m.variant()));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            ObjectMapper json = new ObjectMapper();
            Result result = null;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    JsonNode node = json.readTree(line);
                    if (node.has("backend_description")) {
                        description = node.get("backend_description").asText();
                    } else if (node.has("error")) {
                        result = new Result(m.problem().length(), m.problem().mode().id(), m.pass().id(), "error", node.get("error").asText(), List.of());
                    } else {
                        List<Double> samples = new ArrayList<>();
                        if (node.has("samples_ms")) node.get("samples_ms").forEach(s -> samples.add(s.asDouble()));
                        result = new Result(node.get("length").asInt(), node.get("mode").asText(), node.get("pass").asText(),
                                node.get("status").asText(), node.path("message").asText(""), samples);
                    }
                }
            }
            try {
                if (!p.waitFor(1, TimeUnit.MINUTES)) p.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
            if (result == null) {
                // The interpreter died without a line (killed for memory, typically).
                result = new Result(m.problem().length(), m.problem().mode().id(), m.pass().id(), p.exitValue() == 137 ? "oom" : "error",
                        "the " + name + " peer exited with status " + p.exitValue() + " and no result", List.of());
            }
            sink.accept(m, result);
        }
    }

    /** Receives each result as soon as the script prints it. */
    interface Sink {
        void accept(Measurement m, Result result) throws IOException;
    }
}
