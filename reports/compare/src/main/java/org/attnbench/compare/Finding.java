package org.attnbench.compare;

/**
 * One metric of one configuration, baseline against now.
 *
 * @param configuration what was measured, e.g. "dense n=256 causal forward float32 cpu"
 * @param metric        which figure
 * @param baseline      the baseline's value (the mean over seeds for accuracy); null for status findings and
 *                      configurations on one side only
 * @param current       this run's value, likewise
 * @param change        relative change, current / baseline - 1 (positive means larger, whichever way is better);
 *                      for accuracy metrics the absolute difference of the means; null where there is no pair
 * @param pValue        two-sided p-value of the Mann-Whitney U test (on fork medians or raw samples, as the note says); null
 *                      where no test applies
 * @param kind          the verdict
 * @param note          why, in a few words: "significant but within 5%", "p = 0.2, not significant", "exact", ...
 */
public record Finding(String configuration, Metric metric, Double baseline, Double current, Double change, Double pValue,
                      Kind kind, String note) {

    /** The verdict on one metric. */
    public enum Kind {
        /** Worse, significantly and beyond the threshold; or a configuration that was ok and now fails. */
        REGRESSION,
        /** Better, significantly and beyond the threshold; or a configuration that failed and now runs. */
        IMPROVEMENT,
        /** No change that passes both tests. */
        UNCHANGED,
        /** Compared but not judgeable, e.g. accuracy from one seed (no spread) or rows without raw samples. */
        UNJUDGED,
        /** Measured now, not in the baseline. */
        NEW,
        /** In the baseline, not measured now. */
        MISSING;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Kind parse(String id) {
            return valueOf(id.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** True for a regression or an improvement: something moved. */
    public boolean moved() {
        return kind == Kind.REGRESSION || kind == Kind.IMPROVEMENT;
    }
}
