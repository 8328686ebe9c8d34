package org.attnbench.compare;

import java.util.Locale;

/**
 * How strict a comparison is.
 *
 * @param alpha         significance level of the Mann-Whitney U test (two-sided) on fork medians or raw samples, e.g. 0.01
 * @param timeThreshold smallest relative change of time or throughput that counts, e.g. 0.05 for 5%
 * @param force         compare even when the baseline comes from another machine, JDK, backend or dtype
 */
public record Settings(double alpha, double timeThreshold, boolean force) {
    public static final double DEFAULT_ALPHA = 0.01;
    public static final double DEFAULT_TIME_THRESHOLD = 0.05;

    public Settings {
        if (!(alpha > 0 && alpha < 1)) throw new IllegalArgumentException("--alpha must lie strictly between 0 and 1, got " + alpha);
        if (!(timeThreshold >= 0 && timeThreshold < 10)) {
            throw new IllegalArgumentException("--time-threshold must be a fraction such as 5% or 0.05, got " + timeThreshold);
        }
    }

    public static Settings defaults() {
        return new Settings(DEFAULT_ALPHA, DEFAULT_TIME_THRESHOLD, false);
    }

    public Settings forced() {
        return new Settings(alpha, timeThreshold, true);
    }

    /** "5%" or "0.05" as 0.05; anything else is an error naming the option. */
    public static double parseFraction(String option, String text) {
        String t = text.strip();
        boolean percent = t.endsWith("%");
        if (percent) t = t.substring(0, t.length() - 1).strip();
        try {
            double v = Double.parseDouble(t);
            if (!Double.isFinite(v) || v < 0) throw new NumberFormatException();
            return percent ? v / 100 : v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a percentage such as 5% or a fraction such as 0.05, got '" + text + "'");
        }
    }

    /** "5%" for 0.05. */
    public static String percent(double fraction) {
        String s = String.format(Locale.ROOT, "%.2f", fraction * 100).replaceAll("\\.?0+$", "");
        return s + "%";
    }
}
