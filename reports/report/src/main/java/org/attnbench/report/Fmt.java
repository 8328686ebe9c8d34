package org.attnbench.report;

import java.util.Locale;

/** How the report writes numbers: about three significant digits, never in exponent form except for errors. */
final class Fmt {
    static final String NONE = "–";
    static final double MIB = 1L << 20;

    private Fmt() {}

    /** 1234, 123, 12.3, 1.23, 0.123, 0.0123 */
    static String sig3(double v) {
        double a = Math.abs(v);
        if (a >= 100) return f("%.0f", v);
        if (a >= 10) return f("%.1f", v);
        if (a >= 1 || a == 0) return f("%.2f", v);
        return f("%.3g", v);
    }

    static String mib(double bytes) {
        return sig3(bytes / MIB);
    }

    /** A ratio as LRA prints speed and memory: 1.00x, 4.12x, 0.25x. */
    static String ratio(double r) {
        return sig3(r) + "x";
    }

    static String percent(double fraction) {
        return f("%.1f", 100 * fraction);
    }

    static String error(double e) {
        return e == 0 ? "0" : f("%.1e", e);
    }

    /** An exponent: 2, 1.5 */
    static String exponent(double e) {
        return e == Math.rint(e) ? String.valueOf((long) e) : f("%.2f", e).replaceAll("0+$", "");
    }

    static String slope(double s) {
        return f("%.2f", s);
    }

    /** 1024 as 1K, 2048 as 2K; other lengths as they are. */
    static String length(long n) {
        return n >= 1024 && n % 1024 == 0 ? n / 1024 + "K" : String.valueOf(n);
    }

    static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
