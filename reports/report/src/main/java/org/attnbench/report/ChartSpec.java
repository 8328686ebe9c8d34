package org.attnbench.report;

import java.util.List;

/**
 * What one chart shows, decided here and drawn by a {@link ChartRenderer}: series of points, axis titles with
 * units, and the text under the plot (notes on the marks and the caption naming machine, backend, dtype, date and
 * command). A renderer draws every series it is given, distinguishably, and never changes the figures.
 *
 * @param name     file name without extension, unique in the report
 * @param style    per series: an index into the renderer's colour, marker and line-dash cycles, the same for one line
 *                 in every chart of a report
 */
public record ChartSpec(String name, Kind kind, String title, String xAxis, String yAxis, boolean logX, boolean logY,
                        List<Series> series, List<String> notes, List<String> caption) {

    public enum Kind {
        /** A line per series through its measured points; points that were not measured are marked above the data. */
        LINES,
        /** One bubble per series: its point's size gives the bubble's area. */
        BUBBLES
    }

    /** Why a point has no figure; MEASURED points have one. */
    public enum Status { MEASURED, OOM, UNSUPPORTED, ERROR }

    /** label: the legend's entry; name: the line's name alone, written beside a bubble. */
    public record Series(String label, String name, int style, List<Point> points) {}

    /** y is NaN for a point that was not measured; size is the bubble's value (0 for lines). */
    public record Point(double x, double y, Status status, double size) {
        public static Point measured(double x, double y) {
            return new Point(x, y, Status.MEASURED, 0);
        }

        public static Point missing(double x, Status why) {
            return new Point(x, Double.NaN, why, 0);
        }
    }
}
