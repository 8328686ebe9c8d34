package org.attnbench.results;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The median of raw samples with a distribution-free confidence interval: the interval between two order
 * statistics chosen with the binomial(n, 1/2) distribution, which makes no assumption about the shape of the
 * timing distribution (timings are skewed and often bimodal, so a mean and a normal interval would mislead).
 * With fewer than 6 samples no pair of order statistics reaches 95%; the interval is then [min, max] and its true
 * confidence, 1 - 2^(1-n), is given by {@link #confidence()}.
 */
public record SampleStats(int count, double median, double low, double high, double confidence) {

    public static SampleStats of(List<Double> samples) {
        return of(samples, 0.95);
    }

    public static SampleStats of(List<Double> samples, double level) {
        if (samples.isEmpty()) throw new IllegalArgumentException("no samples");
        List<Double> s = new ArrayList<>(samples);
        Collections.sort(s);
        int n = s.size();
        double median = n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
        // The largest k with P(B < k) <= (1 - level) / 2 for B ~ Binomial(n, 1/2); then [x_(k), x_(n+1-k)] (1-based)
        // covers the median with probability 1 - 2 P(B < k) >= level.
        double tail = (1 - level) / 2;
        int k = 0;
        double below = 0;
        double[] pmf = binomialHalf(n);
        while (k < n && below + pmf[k] <= tail) {
            below += pmf[k];
            k++;
        }
        if (k == 0) return new SampleStats(n, median, s.get(0), s.get(n - 1), 1 - 2 * pmf[0]);
        return new SampleStats(n, median, s.get(k - 1), s.get(n - k), 1 - 2 * below);
    }

    /** P(B = i) for B ~ Binomial(n, 1/2), computed in log space so large n does not underflow early. */
    private static double[] binomialHalf(int n) {
        double[] p = new double[n + 1];
        double logCoeff = 0;
        for (int i = 0; i <= n; i++) {
            if (i > 0) logCoeff += Math.log(n - i + 1) - Math.log(i);
            p[i] = Math.exp(logCoeff - n * Math.log(2));
        }
        return p;
    }
}
