package org.attnbench.report;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.attnbench.results.ResultRow;

/**
 * The rows of one device and dtype: a report shows each such set on its own, as figures from different hardware or
 * precision are not comparable. The main backend is the one of ours with the most rows; peers and other backends
 * appear as lines of their own, named with their backend.
 */
record ResultSet(String device, String dtype, List<ResultRow> rows, String mainBackend, Map<Line, Integer> styles,
                 long fitFrom, long fitTo) {

    static ResultSet of(String device, String dtype, List<ResultRow> rows, Map<Line, Integer> styles, long fitFrom, long fitTo) {
        Map<String, Long> counts = rows.stream().filter(r -> r.implementationOf().isEmpty())
                .collect(Collectors.groupingBy(ResultRow::backend, Collectors.counting()));
        String main = counts.entrySet().stream()
                .max(Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue)
                        .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                .map(Map.Entry::getKey).orElse("");
        return new ResultSet(device, dtype, rows, main, styles, fitFrom, fitTo);
    }

    List<ResultRow> benchmark(String benchmark) {
        return rows.stream().filter(r -> r.benchmark().equals(benchmark)).toList();
    }

    /** "cpu-float32", for ids and file names. */
    String id() {
        return Report.slug(device + "-" + dtype);
    }

    String title() {
        return device + ", " + dtype;
    }

    String label(Line l) {
        return l.label(mainBackend);
    }

    int style(Line l) {
        return styles.getOrDefault(l, 0);
    }
}
