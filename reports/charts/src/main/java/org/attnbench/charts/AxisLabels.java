package org.attnbench.charts;

import java.util.Locale;

/** Axis numbers: integers without separators, small values with the digits they need (0.5, 0.02). */
final class AxisLabels {
    private AxisLabels() {}

    static String integer(double v) {
        return String.valueOf(Math.round(v));
    }

    static String number(double v) {
        if (Math.abs(v - Math.rint(v)) < 1e-9 * Math.max(1, Math.abs(v))) return integer(v);
        return String.format(Locale.ROOT, "%.6g", v).replaceAll("\\.?0+$", "");
    }
}
