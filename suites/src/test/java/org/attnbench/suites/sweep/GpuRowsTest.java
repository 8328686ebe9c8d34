package org.attnbench.suites.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.attnbench.api.DType;
import org.attnbench.api.Mode;
import org.attnbench.api.Problem;
import org.attnbench.backend.reference.ReferenceBackend;
import org.attnbench.results.Column;
import org.attnbench.results.Environment;
import org.attnbench.results.ResultRow;
import org.attnbench.suites.timing.Pass;
import org.junit.jupiter.api.Test;

/** What a GPU measurement adds to its row and its progress line: the allocator's peaks and the attention TFLOP/s. */
class GpuRowsTest {
    private static RowFactory rows() {
        SuiteDefinition s = new SuiteDefinition();
        s.name = "gpu-test";
        return new RowFactory(s, "run-1", Environment.capture(Path.of(".")), new ReferenceBackend(), "test");
    }

    @Test
    void theDevicePeaksFromTheProfilerBecomeColumns() {
        Measurement m = new Measurement("attention", "dense", new Problem(1, 16384, 8, 64, Mode.CAUSAL), DType.FLOAT32, Pass.FORWARD);
        ResultRow r = rows().measured(m, new JmhLauncher.Outcome("run", List.of(2.0, 2.5, 3.0), List.of(2.5), 1L << 30, 300L << 20, 400L << 20),
                1_000_000L, 5L, 4L);
        assertEquals(300L << 20, r.deviceLivePeakBytes());
        assertEquals(400L << 20, r.devicePeakBytes());
        ResultRow cpu = rows().measured(m, new JmhLauncher.Outcome("run", List.of(2.0), List.of(2.0), 1L << 30, null, null), 1L, 5L, 4L);
        assertEquals(null, cpu.get(Column.DEVICE_PEAK_BYTES));
    }

    @Test
    void aGpuRowsProgressLineShowsTheAttentionTflopsAndTheDevicePeak() {
        ResultRow gpu = rows().measured(new Measurement("attention", "dense", new Problem(1, 16384, 8, 64, Mode.CAUSAL),
                DType.BFLOAT16, Pass.FORWARD), new JmhLauncher.Outcome("run", List.of(2.0, 2.5, 3.0), List.of(2.5), 1L << 30, 300L << 20, 400L << 20),
                1_000_000L, 5L, 4L).toBuilder().set(Column.DEVICE, "gpu").build();
        String line = SweepRunner.describe(gpu);
        // 4 * 8 * 16384^2 * 64 / 2 FLOPs in 2.5 ms
        assertTrue(line.contains("  110.0 attention TFLOP/s"), line);
        assertTrue(line.endsWith("  device peak 400.0 MiB"), line);
    }
}
