package org.attnbench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** What every chart says the same way: the marks of points that were not measured, and how it lists them. */
final class Charts {
    static final String MARKS = "Marks above the data, in the line's colour: × out of memory, ○ unsupported length, □ error.";

    private Charts() {}

    static ChartSpec.Status status(String status) {
        return switch (status) {
            case "oom" -> ChartSpec.Status.OOM;
            case "unsupported" -> ChartSpec.Status.UNSUPPORTED;
            default -> ChartSpec.Status.ERROR;
        };
    }

    /** "n = 4096, 8192 (oom)", or "n = 1000 (unsupported), 8192 (oom)" where the statuses differ. */
    static String missing(TreeMap<Long, String> notMeasured) {
        Map<String, List<Long>> byStatus = new TreeMap<>();
        notMeasured.forEach((n, s) -> byStatus.computeIfAbsent(s, k -> new ArrayList<>()).add(n));
        return "n = " + byStatus.entrySet().stream()
                .map(e -> e.getValue().stream().map(String::valueOf).collect(Collectors.joining(", ")) + " (" + e.getKey() + ")")
                .collect(Collectors.joining(", "));
    }
}
