package org.attnbench.suites;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.attnbench.api.AttentionLayer;
import org.attnbench.api.Backends;
import org.attnbench.api.DType;
import org.attnbench.api.Mode;
import org.attnbench.api.Ops;
import org.attnbench.api.Parameters;
import org.attnbench.api.Problem;
import org.attnbench.api.Tensor;
import org.attnbench.api.Variants;
import org.attnbench.results.Npy;
import org.attnbench.tck.Numerics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exported files are enough to recompute the output elsewhere: here, on the reference backend. */
class TraceTest {
    @TempDir Path dir;

    @Test
    void theExportedOutputFollowsFromTheExportedInputAndParameters() throws IOException {
        CommandLineTest.Outcome o = CommandLineTest.run("trace", "--variant", "dense", "--n", "12", "--seed", "3",
                "--mode", "causal", "--out", dir.toString());
        assertEquals(0, o.status(), o.err());
        Npy.Array input = Npy.read(dir.resolve("input.npy"));
        assertArrayEquals(new int[] {1, 12, 16}, input.shape());
        Ops ops = Ops.on(Backends.open("reference"), DType.FLOAT64);
        Map<String, Tensor> params = new LinkedHashMap<>();
        for (String w : new String[] {"wq", "wk", "wv", "wo"}) {
            Npy.Array a = Npy.read(dir.resolve("param_" + w + ".npy"));
            params.put(w, ops.constant(a.values(), a.shape()));
        }
        Problem p = new Problem(1, 12, 2, 8, Mode.CAUSAL);
        Tensor y = AttentionLayer.withParameters(Variants.get("dense"), p, ops, new Parameters(params))
                .forward(ops.constant(input.values(), input.shape()));
        Numerics.assertClose("recomputed output", ops.toArray(y), Npy.read(dir.resolve("output.npy")).values(), 1e-10);
    }
}
