package org.attnbench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.attnbench.results.ResultRow;

/** The fidelity benchmark: each variant's relative error against exact dense attention, per mode and input, versus n. */
final class FidelitySection {
    private FidelitySection() {}

    static void add(ResultSet set, List<Block> out) {
        List<ResultRow> rows = set.benchmark("fidelity");
        if (rows.isEmpty()) return;
        out.add(new Block.Heading(3, "Fidelity to dense attention"));
        Map<String, List<ResultRow>> groups = new TreeMap<>();
        for (ResultRow r : rows) groups.computeIfAbsent(r.mode() + (r.task().isEmpty() ? "" : ", input " + r.task()), k -> new ArrayList<>()).add(r);
        groups.forEach((group, own) -> {
            TreeSet<Long> lengths = own.stream().map(ResultRow::length).collect(Collectors.toCollection(TreeSet::new));
            TreeSet<Line> lines = own.stream().map(Line::of).collect(Collectors.toCollection(TreeSet::new));
            List<String> header = new ArrayList<>(List.of("variant"));
            List<Boolean> numeric = new ArrayList<>(List.of(false));
            for (long n : lengths) {
                header.add("n=" + n);
                numeric.add(true);
            }
            List<List<String>> table = new ArrayList<>();
            int seeds = 1;
            for (Line line : lines) {
                List<String> cells = new ArrayList<>(List.of(set.label(line)));
                for (long n : lengths) {
                    List<ResultRow> at = own.stream().filter(r -> Line.of(r).equals(line) && r.length() == n).toList();
                    List<Double> ok = at.stream().filter(ResultRow::ok).map(ResultRow::fidelityRelError).toList();
                    seeds = Math.max(seeds, ok.size());
                    if (!ok.isEmpty()) cells.add(Fmt.error(ok.stream().mapToDouble(Double::doubleValue).average().orElseThrow()));
                    else cells.add(at.isEmpty() ? Fmt.NONE : at.get(at.size() - 1).status());
                }
                table.add(cells);
            }
            List<String> notes = List.of("The error is norm(y - y_dense) / norm(y_dense) (Frobenius norms) on the same input and parameters; lower is closer"
                    + (seeds > 1 ? "; the mean over seeds (up to " + seeds + ")" : "") + ".");
            out.add(new Block.Table("fidelity-" + set.id() + "-" + Report.slug(group), "Relative error against dense attention ("
                    + set.title() + ", " + group + ")", Provenance.of(own).caption(), header, numeric, table, notes));
        });
    }
}
