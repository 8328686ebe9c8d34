package org.attnbench.results;

import java.util.Arrays;
import java.util.List;

/**
 * The median of raw samples and a distribution-free confidence interval for it. The interval lies between two
 * order statistics: with the samples sorted, x(1) &lt;= ... &lt;= x(n), the interval [x(k), x(n+1-k)] covers the
 * true median with probability 1 - 2 P(B &lt; k), B ~ Binomial(n, 1/2), whatever the shape of the distribution.
 * That matters because timings are skewed and often bimodal, so a mean with a normal interval would mislead. The
 * largest k whose coverage still reaches the requested confidence is used, which gives the narrowest such interval;
 * {@link #confidence()} is its exact coverage (at least the requested one).
 *
 * <p>For very few samples no pair of order statistics reaches the requested confidence: then the interval is the
 * smallest and largest sample, [min, max], and {@link #confidence()} is its actual coverage 1 - 2^(1-n), lower
 * than requested. At 95% this is the case for fewer than 6 samples (5 samples: 93.75%; 1 sample: 0%).
 *
 * @param count      number of samples
 * @param median     the sample median (the mean of the two middle samples when the count is even)
 * @param low        lower end of the interval
 * @param high       upper end of the interval
 * @param confidence the interval's exact coverage probability for the median
 */
public record SampleStats(int count, double median, double low, double high, double confidence) {
    // Guards the comparison of binomial tails computed in floating point against the requested tail.
    private static final double SLACK = 1e-12;

    /** The median and its 95% interval. */
    public static SampleStats of(List<Double> samples) {
        return of(samples, 0.95);
    }

    /** The median and its two-sided interval for the given confidence, strictly between 0 and 1. */
    public static SampleStats of(List<Double> samples, double confidence) {
        if (!(confidence > 0 && confidence < 1)) throw new IllegalArgumentException("confidence must lie in (0, 1), got " + confidence);
        if (samples.isEmpty()) throw new IllegalArgumentException("no samples");
        double[] s = new double[samples.size()];
        for (int i = 0; i < s.length; i++) {
            Double x = samples.get(i);
            if (x == null || !Double.isFinite(x)) throw new IllegalArgumentException("sample " + i + " is not a finite number: " + x);
            s[i] = x;
        }
        Arrays.sort(s);
        int n = s.length;
        double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        // k = the largest k with P(B < k) <= (1 - confidence) / 2; below = P(B < k).
        double tail = (1 - confidence) / 2;
        double[] pmf = binomialHalf(n);
        int k = 0;
        double below = 0;
        while (k < n / 2 && below + pmf[k] <= tail * (1 + SLACK)) {
            below += pmf[k];
            k++;
        }
        if (k == 0) return new SampleStats(n, median, s[0], s[n - 1], 1 - 2 * pmf[0]);
        return new SampleStats(n, median, s[k - 1], s[n - k], 1 - 2 * below);
    }

    /** P(B = i) for B ~ Binomial(n, 1/2), in log space so large n does not underflow 2^-n. */
    private static double[] binomialHalf(int n) {
        double[] p = new double[n + 1];
        double logCoefficient = 0;
        for (int i = 0; i <= n; i++) {
            if (i > 0) logCoefficient += Math.log(n - i + 1) - Math.log(i);
            p[i] = Math.exp(logCoefficient - n * Math.log(2));
        }
        return p;
    }
}
