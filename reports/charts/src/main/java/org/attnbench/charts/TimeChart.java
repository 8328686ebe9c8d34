package org.attnbench.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** A log-log chart of median time against sequence length, one line per curve, written as a PNG. */
public final class TimeChart {
    static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf),
        new Color(0x393b79), new Color(0x637939), new Color(0x8c6d31), new Color(0x843c39), new Color(0x7b4173),
        new Color(0x3182bd), new Color(0xe6550d), new Color(0x31a354), new Color(0x756bb1), new Color(0x636363)};

    private TimeChart() {}

    /**
     * Draws the curves (each needs two or more measured lengths) and writes the PNG atomically. The subtitle names
     * the machine and backend, as every figure must; the legend gives each curve's measured slope.
     */
    public static void write(List<Scaling.Curve> curves, String title, String subtitle, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(1100).height(720).title(title + " — " + subtitle)
                .xAxisTitle("sequence length n").yAxisTitle("median time (ms)").build();
        XYStyler s = chart.getStyler();
        s.setXAxisLogarithmic(true);
        s.setYAxisLogarithmic(true);
        s.setXAxisLogarithmicDecadeOnly(false);
        s.setXAxisDecimalPattern("#");
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotGridLinesColor(new Color(0xdddddd));
        s.setMarkerSize(6);
        s.setAntiAlias(true);
        int i = 0;
        for (Scaling.Curve c : curves) {
            if (c.medianMs().size() < 2) continue;
            List<Double> x = new ArrayList<>(), y = new ArrayList<>();
            c.medianMs().forEach((n, ms) -> {
                x.add(n.doubleValue());
                y.add(ms);
            });
            String name = c.key().variant() + (c.slope() == null ? "" : String.format(" (slope %.2f)", c.slope()));
            XYSeries series = chart.addSeries(name, x, y);
            series.setLineColor(PALETTE[i % PALETTE.length]);
            series.setMarkerColor(PALETTE[i % PALETTE.length]);
            series.setMarker(SeriesMarkers.CIRCLE);
            float[] dash = i < PALETTE.length ? null : new float[] {6f, 4f}; // colours repeat: dash the second round
            series.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f, dash, 0f));
            i++;
        }
        if (i == 0) throw new IllegalArgumentException("no curve with two or more measured lengths to draw for " + title);
        Files.createDirectories(png.toAbsolutePath().getParent());
        Path tmp = png.resolveSibling(png.getFileName() + ".tmp");
        BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG); // appends .png
        Files.move(Path.of(tmp + ".png"), png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
