package org.attnbench.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.attnbench.results.Column;
import org.attnbench.results.ResultRow;

/**
 * Whether a baseline and a run measured the same thing on the same kind of machine. Time depends on the machine
 * (host name, CPU model, core count), the JDK and the backend with its libraries and threads, so a baseline that
 * differs in any of these is refused unless forced. Backend and dtype are part of what a row measures: a run that
 * shares no backend (or no dtype) with its baseline has nothing comparable, which is refused the same way.
 */
public final class Compatibility {
    /** Fields of the environment that must agree between a baseline row and the run's row it is compared with. */
    public static final List<Column> ENVIRONMENT = List.of(Column.MACHINE, Column.CPU_MODEL, Column.CORES, Column.JDK,
            Column.BACKEND_DESCRIPTION);
    /** Fields that are part of a row's key: the baseline and the run must share at least one value of each. */
    public static final List<Column> KEYED = List.of(Column.BACKEND, Column.DTYPE);

    /** One field that differs: the values seen in the baseline and in the run. */
    public record Difference(Column field, Set<String> baseline, Set<String> current) {
        public String describe() {
            return field.id() + " differs (baseline " + quote(baseline) + ", this run " + quote(current) + ")";
        }

        private static String quote(Set<String> values) {
            return String.join(" / ", values.stream().map(v -> "'" + v + "'").toList());
        }
    }

    private Compatibility() {}

    /** Backend and dtype: differences where the two sides share no value at all. */
    static List<Difference> keyed(List<ResultRow> baseline, List<ResultRow> current) {
        List<Difference> out = new ArrayList<>();
        for (Column c : KEYED) {
            Set<String> b = values(baseline, c), n = values(current, c);
            if (!b.isEmpty() && !n.isEmpty() && b.stream().noneMatch(n::contains)) out.add(new Difference(c, b, n));
        }
        return out;
    }

    /** Environment fields that differ between compared pairs of rows (baseline first), each field once. */
    static List<Difference> environment(List<ResultRow[]> pairs) {
        Map<Column, Set<String>[]> seen = new LinkedHashMap<>();
        for (ResultRow[] pair : pairs) {
            for (Column c : ENVIRONMENT) {
                String b = value(pair[0], c), n = value(pair[1], c);
                if (b.equals(n)) continue;
                @SuppressWarnings("unchecked")
                Set<String>[] sides = seen.computeIfAbsent(c, k -> new Set[] {new LinkedHashSet<>(), new LinkedHashSet<>()});
                sides[0].add(b);
                sides[1].add(n);
            }
        }
        List<Difference> out = new ArrayList<>();
        seen.forEach((c, sides) -> out.add(new Difference(c, sides[0], sides[1])));
        return out;
    }

    /**
     * Before anything is measured: the fields where the machine, JDK and backend here (and the dtypes to be run)
     * share no value with the baseline's rows, so a nightly run is refused before it spends minutes measuring.
     */
    public static List<Difference> against(List<ResultRow> baseline, Map<Column, Set<String>> here) {
        List<Difference> out = new ArrayList<>();
        for (Column c : here.keySet()) {
            Set<String> b = values(baseline, c), n = here.get(c);
            if (!b.isEmpty() && b.stream().noneMatch(n::contains)) out.add(new Difference(c, b, n));
        }
        return out;
    }

    /** The refusal: one line naming every field that differs and how to compare anyway. */
    public static IncompatibleBaselineException refusal(List<Difference> differences) {
        return new IncompatibleBaselineException("the baseline was measured elsewhere, so it is not compared: "
                + String.join("; ", differences.stream().map(Difference::describe).toList())
                + " (record a baseline here with 'attnbench baseline', or pass --force to compare anyway)");
    }

    private static Set<String> values(List<ResultRow> rows, Column c) {
        Set<String> out = new LinkedHashSet<>();
        for (ResultRow r : rows) out.add(value(r, c));
        return out;
    }

    private static String value(ResultRow r, Column c) {
        Object v = r.get(c);
        return v == null ? "" : String.valueOf(v);
    }
}
