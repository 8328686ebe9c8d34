package org.attnbench.charts;

import java.awt.BasicStroke;
import java.awt.Color;

import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * How line number i is drawn: ten colours (Tableau 10), five filled markers and four dashes, varied together so
 * that no two of the first fifty lines look alike, and a line keeps its look in every chart of a report. From the
 * eleventh line on, a colour comes back with another marker and another dash.
 */
record Style(Color colour, Marker marker, BasicStroke stroke) {
    private static final Color[] COLOURS = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};
    private static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND,
        SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN};
    private static final float[][] DASHES = {null, {9f, 5f}, {2f, 4f}, {10f, 4f, 2f, 4f}};

    static Style of(int i) {
        int round = i / COLOURS.length;
        float[] dash = DASHES[round % DASHES.length];
        return new Style(COLOURS[i % COLOURS.length], MARKERS[(i + round) % MARKERS.length],
                new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, dash, 0f));
    }
}
