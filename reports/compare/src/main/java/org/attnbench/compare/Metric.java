package org.attnbench.compare;

import org.attnbench.results.Column;

/**
 * What a nightly comparison judges, and how. The better direction of each comes from its column's unit
 * ({@link Column#direction()}): lower time and bytes, higher throughput and accuracy.
 */
public enum Metric {
    /** Median time of one call; judged on the forks' medians or raw samples (Mann-Whitney U) and a relative threshold. */
    TIME("time", Column.TIME_MEDIAN_MS, "ms", Test.SAMPLES),
    /** Achieved GFLOP/s; judged like time, on the throughput of every sample. */
    THROUGHPUT("throughput", Column.GFLOPS_PER_S, "GFLOP/s", Test.SAMPLES),
    /** Exact peak of live tensor bytes: deterministic, so any growth is a regression and no test is needed. */
    PEAK_LIVE_BYTES("peak live bytes", Column.PEAK_LIVE_BYTES, "bytes", Test.EXACT),
    /** Test accuracy over seeds: a drop of the mean beyond the seeds' spread is a regression. */
    ACCURACY("test accuracy", Column.TEST_ACCURACY, "fraction", Test.SEEDS),
    /** Held-out bits per character over seeds: a rise of the mean beyond the seeds' spread is a regression. */
    BITS_PER_CHAR("bits per char", Column.TEST_BITS_PER_CHAR, "bits/char", Test.SEEDS),
    /** A configuration that was measured in the baseline and now fails (or the reverse). */
    STATUS("status", Column.STATUS, "", Test.EXACT);

    /** How a change is decided to be real. */
    public enum Test { SAMPLES, EXACT, SEEDS }

    private final String label;
    private final Column column;
    private final String unit;
    private final Test test;

    Metric(String label, Column column, String unit, Test test) {
        this.label = label;
        this.column = column;
        this.unit = unit;
        this.test = test;
    }

    public String label() {
        return label;
    }

    public Column column() {
        return column;
    }

    public String unit() {
        return unit;
    }

    public Test test() {
        return test;
    }

    /** Lower or higher is better, from the column's unit. */
    public Column.Direction direction() {
        return column.direction();
    }

    /** The metric of a label as {@link #label()} writes it (history files keep labels). */
    public static Metric byLabel(String label) {
        for (Metric m : values()) if (m.label.equals(label)) return m;
        throw new IllegalArgumentException("unknown metric '" + label + "'");
    }
}
