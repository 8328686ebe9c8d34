package org.attnbench.report;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.attnbench.results.Column;
import org.attnbench.results.ResultRow;

/**
 * Where a group of rows came from, as every table and chart caption states it: the machine, the backends (with
 * their libraries), the dtype, the dates measured and the commands that made the rows.
 */
record Provenance(List<String> machines, List<String> backends, List<String> backendDescriptions, List<String> dtypes,
                  String dates, List<String> commands, List<String> revisions) {

    static Provenance of(Collection<ResultRow> rows) {
        TreeSet<String> days = rows.stream().map(r -> r.text(Column.MEASURED_AT).substring(0, 10))
                .collect(Collectors.toCollection(TreeSet::new));
        String dates = days.isEmpty() ? "" : days.size() == 1 ? days.first() : days.first() + " to " + days.last();
        return new Provenance(distinct(rows, Provenance::machine), distinct(rows, ResultRow::backend),
                distinct(rows, r -> r.text(Column.BACKEND_DESCRIPTION).isEmpty() ? "" : r.backend() + ": " + r.text(Column.BACKEND_DESCRIPTION)),
                distinct(rows, ResultRow::dtype), dates, distinct(rows, r -> r.text(Column.COMMAND)),
                distinct(rows, r -> r.text(Column.GIT_REVISION)));
    }

    /** "Intel Xeon (2 cores, 23.4 GiB, host build-1)", from what the row recorded. */
    static String machine(ResultRow r) {
        String model = r.text(Column.CPU_MODEL);
        StringBuilder details = new StringBuilder();
        if (r.integer(Column.CORES) != null) details.append(r.integer(Column.CORES)).append(" cores");
        if (r.integer(Column.MEMORY_BYTES) != null) {
            if (!details.isEmpty()) details.append(", ");
            details.append(String.format(Locale.ROOT, "%.0f GiB", r.integer(Column.MEMORY_BYTES) / (double) (1L << 30)));
        }
        if (!r.text(Column.MACHINE).isEmpty()) {
            if (!details.isEmpty()) details.append(", ");
            details.append("host ").append(r.text(Column.MACHINE));
        }
        String name = model.isEmpty() ? "unknown machine" : model;
        return details.isEmpty() ? name : name + " (" + details + ")";
    }

    private static List<String> distinct(Collection<ResultRow> rows, java.util.function.Function<ResultRow, String> f) {
        return rows.stream().map(f).filter(s -> !s.isEmpty()).distinct().sorted().toList();
    }

    /**
     * The caption of a table: machine; backends; dtype; dates; commands (in backticks, which each output format
     * sets as code).
     */
    String caption() {
        return "Machine: " + orUnknown(machines) + ". " + (backends.size() > 1 ? "Backends: " : "Backend: ") + orUnknown(backends)
                + ". Dtype: " + orUnknown(dtypes) + ". Measured " + (dates.isEmpty() ? "(no date)" : dates) + ". " + commandText() + ".";
    }

    /** The caption of a chart, which stands alone (in a README or a slide), so it also names the libraries. */
    List<String> chartCaption() {
        return List.of("Machine: " + orUnknown(machines) + ".",
                (backends.size() > 1 ? "Backends: " : "Backend: ")
                        + (backendDescriptions.isEmpty() ? orUnknown(backends) : String.join("; ", backendDescriptions))
                        + ". Dtype: " + orUnknown(dtypes) + ". Measured " + (dates.isEmpty() ? "(no date)" : dates) + ".",
                commandText().replace("`", "") + (revisions.isEmpty() ? "" : " at revision " + String.join(", ", revisions)) + ".");
    }

    private String commandText() {
        if (commands.isEmpty()) return "Command not recorded";
        return (commands.size() == 1 ? "Command " : "Commands ")
                + commands.stream().map(c -> "`" + c + "`").collect(Collectors.joining(", "));
    }

    private static String orUnknown(List<String> values) {
        return values.isEmpty() ? "unknown" : String.join(", ", values);
    }
}
