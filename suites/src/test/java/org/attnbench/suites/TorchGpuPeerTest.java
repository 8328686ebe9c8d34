package org.attnbench.suites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The PyTorch GPU peer's script, as far as it runs without a GPU: its arguments, the measurement plan in the JSON-lines
 * protocol the sweep reads, and the one error line (exit 2) when torch or a CUDA device is missing. Skipped where
 * there is no python3; the timing itself needs a GPU.
 */
class TorchGpuPeerTest {
    static final Path SCRIPT = Path.of("..", "scripts", "peers", "torch_gpu.py").toAbsolutePath().normalize();

    record Run(int status, List<String> out, String err) {}

    static Run python(String... args) throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "no /usr/bin/python3 here");
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", SCRIPT.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        return new Run(p.exitValue(), out.lines().toList(), err);
    }

    @Test
    void thePlanIsOneProtocolLinePerMeasurement() throws Exception {
        Run r = python("--list", "--lengths", "1024,4096", "--modes", "bidirectional,causal", "--passes", "forward",
                "--dtype", "bfloat16", "--variant", "sigmoid", "--threads", "2", "--seed", "7");
        assertEquals(0, r.status(), r.err());
        assertEquals(4, r.out().size(), r.out().toString());
        JsonNode first = new ObjectMapper().readTree(r.out().get(0));
        assertEquals(1024, first.get("length").asInt());
        assertEquals("bidirectional", first.get("mode").asText());
        assertEquals("forward", first.get("pass").asText());
        assertEquals("causal", new ObjectMapper().readTree(r.out().get(3)).get("mode").asText());
    }

    @Test
    void withoutTorchOrAGpuTheOnlyLineIsTheError() throws Exception {
        Run probe = python("--probe");
        Assumptions.assumeTrue(probe.status() != 0, "torch sees a CUDA device here");
        assertEquals(2, probe.status());
        assertEquals(1, probe.out().size(), probe.out().toString());
        String why = new ObjectMapper().readTree(probe.out().get(0)).get("error").asText();
        assertTrue(why.startsWith("torch is not importable") || why.contains("sees no CUDA device"), why);
        Run measure = python("--lengths", "64");
        assertEquals(2, measure.status());
        assertEquals(probe.out(), measure.out());
    }

    @Test
    void badArgumentsAreRefused() throws Exception {
        for (String[] args : new String[][] {{"--lengths", "x"}, {"--modes", "sideways"}, {"--dtype", "float64"}, {"--variant", "window"}}) {
            Run r = python(args);
            assertEquals(2, r.status(), String.join(" ", args));
            assertTrue(r.err().contains("error:"), r.err());
        }
    }
}
