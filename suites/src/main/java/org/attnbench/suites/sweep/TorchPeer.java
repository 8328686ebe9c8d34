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
 * The PyTorch peer on this CPU: runs scripts/peers/torch_cpu.py, which times the same dense attention layer in
 * torch with the suite's JMH-like settings and prints one JSON line per measurement. The python interpreter is
 * $ATTNBENCH_PYTHON, else the first of /usr/bin/python3 and python3 that can import torch.
 */
final class TorchPeer {
    public static final Set<DType> DTYPES = Set.of(DType.FLOAT32, DType.FLOAT64);

    /** One peer measurement as the script reported it. */
    public record Result(int length, String mode, String pass, String status, String message, List<Double> samplesMs) {}

    private final Path script;
    private String python;
    private String whyNot;
    private String description = "PyTorch";

    public TorchPeer(Path home) {
        this.script = home.resolve("scripts/peers/torch_cpu.py");
        if (!Files.isRegularFile(script)) {
            whyNot = "the peer script " + script + " is missing";
            return;
        }
        Set<String> candidates = new LinkedHashSet<>();
        String configured = System.getenv("ATTNBENCH_PYTHON");
        if (configured != null && !configured.isBlank()) candidates.add(configured);
        candidates.add("/usr/bin/python3");
        candidates.add("python3");
        for (String c : candidates) {
            if (importsTorch(c)) {
                python = c;
                return;
            }
        }
        whyNot = "no python3 here can import torch (on Debian: apt-get install python3-torch; or set ATTNBENCH_PYTHON)";
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

    private static boolean importsTorch(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Times the given dense configurations; each result is handed over as soon as the script prints it. */
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
                        "the torch peer exited with status " + p.exitValue() + " and no result", List.of());
            }
            sink.accept(m, result);
        }
    }

    /** Receives each result as soon as the script prints it. */
    interface Sink {
        void accept(Measurement m, Result result) throws IOException;
    }
}
