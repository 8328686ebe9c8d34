package org.attnbench.results;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Several runs of one measurement plan made into one: per measurement, the raw samples of every run pooled (as JMH
 * pools its forks'), with the median, interval and throughput redone from them. Pooling runs that alternate with
 * another side's is what makes two sides see the same machine: drift between runs lands in both. The forks of every
 * run are kept apart too (fork_medians_ms, forks the total), when every run says what its forks were.
 */
public final class Pooling {
    private Pooling() {}

    /**
     * One row per measurement, in the order of first appearance. A measurement that failed in any run is that failure
     * (its first failed row), not the pool of the runs where it worked; the other columns come from its first row.
     */
    public static List<ResultRow> pool(List<List<ResultRow>> runs) {
        Map<String, List<ResultRow>> byKey = new LinkedHashMap<>();
        for (List<ResultRow> run : runs) {
            for (ResultRow r : run) byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
        }
        List<ResultRow> out = new ArrayList<>();
        for (List<ResultRow> rows : byKey.values()) {
            ResultRow failed = rows.stream().filter(r -> !r.ok()).findFirst().orElse(null);
            if (failed != null) {
                out.add(failed);
                continue;
            }
            ResultRow first = rows.get(0);
            List<Double> samples = new ArrayList<>(), forkMedians = new ArrayList<>();
            for (ResultRow r : rows) {
                samples.addAll(r.samplesMs());
                forkMedians.addAll(r.forkMediansMs());
            }
            if (samples.isEmpty()) {
                out.add(first);
                continue;
            }
            ResultRow.Builder b = first.toBuilder().timesMs(samples);
            // Each run's forks stay apart: the fork, not the sample, is what a comparison counts as independent.
            boolean forksKnown = rows.stream().allMatch(r -> r.integer(Column.FORKS) != null);
            long forks = forksKnown ? rows.stream().mapToLong(r -> r.integer(Column.FORKS)).sum() : 0;
            b.set(Column.FORKS, forksKnown ? forks : null).set(Column.FORK_MEDIANS_MS, forksKnown && forkMedians.size() == forks ? forkMedians : null);
            Long flops = first.flops();
            if (flops != null) b.set(Column.GFLOPS_PER_S, flops / (SampleStats.of(samples).median() * 1e6));
            out.add(b.build());
        }
        return out;
    }
}
