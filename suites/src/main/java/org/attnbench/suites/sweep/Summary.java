package org.attnbench.suites.sweep;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.attnbench.results.AttentionFlops;
import org.attnbench.results.ResultRow;
import org.attnbench.results.ResultStore;

/** The short table a sweep prints at the end, read back from its rows. */
public final class Summary {
    private final List<ResultRow> rows;
    private final Path dir;

    Summary(List<ResultRow> rows, Path dir) {
        this.rows = rows;
        this.dir = dir;
    }

    public List<ResultRow> rows() {
        return rows;
    }

    /** True when every row is ok. */
    public boolean allOk() {
        return rows.stream().allMatch(ResultRow::ok);
    }

    public void print(PrintStream out) {
        out.println();
        List<String[]> table = new ArrayList<>();
        // GPU rows add the attention core's TFLOP/s (FlashAttention convention) and the allocator's device peak.
        boolean gpu = rows.stream().anyMatch(r -> r.device().equals("gpu") && r.benchmark().equals("attention"));
        List<String> header = new ArrayList<>(List.of("variant", "backend", "dtype", "mode", "pass", "n", "median ms", "95% CI ms", "GFLOP/s"));
        if (gpu) header.addAll(List.of("attn TFLOP/s", "device peak MiB"));
        header.addAll(List.of("peak live MiB", "vs torch"));
        table.add(header.toArray(new String[0]));
        for (ResultRow r : rows) {
            if (!r.benchmark().equals("attention")) continue;
            List<String> cells = new ArrayList<>(List.of(r.variant(), r.backend(), r.dtype(), r.mode(), r.pass(), String.valueOf(r.length()),
                    r.ok() ? fmt("%.4g", r.timeMedianMs()) : r.status(),
                    r.ok() ? fmt("%.4g-%.4g", r.timeCiLowMs(), r.timeCiHighMs()) : "",
                    r.gflopsPerS() == null ? "" : fmt("%.1f", r.gflopsPerS())));
            if (gpu) {
                Double t = AttentionFlops.tflopsPerS(r);
                cells.add(t == null || !r.device().equals("gpu") ? "" : fmt("%.1f", t));
                cells.add(r.devicePeakBytes() == null ? "" : fmt("%.1f", r.devicePeakBytes() / 1048576.0));
            }
            cells.add(r.peakLiveBytes() == null ? "" : fmt("%.1f", r.peakLiveBytes() / 1048576.0));
            cells.add(ratioToPeer(r));
            table.add(cells.toArray(new String[0]));
        }
        if (table.size() > 1) Table.print(out, table);
        for (ResultRow r : rows) {
            if (r.benchmark().equals("gemm") && r.ok()) {
                out.printf(Locale.ROOT, "roof: %s on %s: %.1f GFLOP/s (median %.4g ms)%n", r.variant(), r.backend(), r.gflopsPerS(), r.timeMedianMs());
            }
        }
        overhead(out);
        long notOk = rows.stream().filter(r -> !r.ok()).count();
        if (notOk > 0) {
            out.println(notOk + " of " + rows.size() + " measurements were not ok:");
            rows.stream().filter(r -> !r.ok()).forEach(r -> out.println("  " + r.variant() + " n=" + r.length() + " "
                    + r.mode() + " " + r.pass() + ": " + r.status() + ": " + r.message()));
        }
        out.println("results: " + dir.resolve(ResultStore.CSV) + " and " + dir.resolve(ResultStore.JSON));
    }

    /** "0.81x" when a peer measured the same problem on the same device: our median time over the peer's (below 1 is faster). */
    private String ratioToPeer(ResultRow r) {
        if (!r.ok() || !r.implementationOf().isEmpty()) return "";
        Optional<ResultRow> peer = rows.stream().filter(p -> !p.implementationOf().isEmpty() && p.ok() && p.device().equals(r.device())
                && p.text(org.attnbench.results.Column.IMPLEMENTATION_OF).equals(r.variant().split(":")[0])
                && p.length().equals(r.length()) && p.mode().equals(r.mode()) && p.pass().equals(r.pass())
                && p.dtype().equals(r.dtype())).findFirst();
        return peer.map(p -> fmt("%.2fx time", r.timeMedianMs() / p.timeMedianMs())).orElse("");
    }

    private void overhead(PrintStream out) {
        for (ResultRow ours : rows) {
            if (!ours.benchmark().equals("op-overhead") || !ours.variant().endsWith(":attnbench") || !ours.ok()) continue;
            String op = ours.variant().substring(0, ours.variant().indexOf(':'));
            rows.stream().filter(r -> r.variant().equals(op + ":nd4j") && r.ok()).findFirst().ifPresent(nd4j ->
                    out.printf(Locale.ROOT, "op overhead: %s on [%d,%d]: %.2f us through attnbench, %.2f us as ND4J's own call: %+.2f us%n",
                            op, ours.length(), ours.length(), ours.timeMedianMs() * 1e3, nd4j.timeMedianMs() * 1e3,
                            (ours.timeMedianMs() - nd4j.timeMedianMs()) * 1e3));
        }
    }

    private static String fmt(String f, Object... args) {
        return String.format(Locale.ROOT, f, args);
    }
}
