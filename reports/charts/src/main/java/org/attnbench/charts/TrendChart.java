package org.attnbench.charts;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * One metric over successive nightly runs: a line per configuration, with the runs where it regressed marked by a
 * red square and those where it improved by a green diamond. Written as a PNG.
 */
public final class TrendChart {
    private static final Color REGRESSION = new Color(0xd62728);
    private static final Color IMPROVEMENT = new Color(0x2ca02c);

    /** How a run's value was judged. */
    public enum Mark { NONE, REGRESSION, IMPROVEMENT }

    /** One run's value of one configuration. */
    public record Point(Instant at, double value, Mark mark) {}

    /** A configuration's values over the runs, oldest first. */
    public record Series(String name, List<Point> points) {}

    private TrendChart() {}

    /**
     * Draws the series and writes the PNG atomically. The subtitle names the machine and backend, as every figure
     * must. A logarithmic value axis suits times and bytes that differ by orders of magnitude between
     * configurations; it needs every value above 0.
     */
    public static void write(List<Series> series, String title, String subtitle, String valueAxis, boolean logarithmic, Path png)
            throws IOException {
        if (series.stream().allMatch(s -> s.points().isEmpty())) throw new IllegalArgumentException("nothing to draw for " + title);
        boolean log = logarithmic && series.stream().flatMap(s -> s.points().stream()).allMatch(p -> p.value() > 0);
        // The legend goes below the plot, a line per configuration: the chart grows with it so the plot keeps its height.
        int lines = series.size() + 2;
        XYChart chart = new XYChartBuilder().width(1100).height(560 + 22 * lines).title(title + " — " + subtitle)
                .xAxisTitle("run").yAxisTitle(valueAxis).build();
        XYStyler s = chart.getStyler();
        s.setYAxisLogarithmic(log);
        s.setDatePattern("yyyy-MM-dd HH:mm");
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotGridLinesColor(new Color(0xdddddd));
        s.setMarkerSize(9);
        s.setAntiAlias(true);
        List<Date> badX = new ArrayList<>(), goodX = new ArrayList<>();
        List<Double> badY = new ArrayList<>(), goodY = new ArrayList<>();
        int i = 0;
        for (Series line : series) {
            if (line.points().isEmpty()) continue;
            List<Date> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (Point p : line.points()) {
                x.add(Date.from(p.at()));
                y.add(p.value());
                if (p.mark() == Mark.REGRESSION) {
                    badX.add(Date.from(p.at()));
                    badY.add(p.value());
                } else if (p.mark() == Mark.IMPROVEMENT) {
                    goodX.add(Date.from(p.at()));
                    goodY.add(p.value());
                }
            }
            Style st = Style.of(i); // the report's line styles: colour, marker and dash varied together
            XYSeries xy = chart.addSeries(line.name(), x, y);
            xy.setLineColor(st.colour());
            xy.setMarkerColor(st.colour());
            xy.setMarker(st.marker());
            xy.setLineStyle(st.stroke());
            i++;
        }
        mark(chart, "regression", badX, badY, REGRESSION, SeriesMarkers.SQUARE);
        mark(chart, "improvement", goodX, goodY, IMPROVEMENT, SeriesMarkers.DIAMOND);
        Files.createDirectories(png.toAbsolutePath().getParent());
        Path tmp = png.resolveSibling(png.getFileName() + ".tmp");
        BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG); // appends .png
        Files.move(Path.of(tmp + ".png"), png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void mark(XYChart chart, String name, List<Date> x, List<Double> y, Color color,
                             org.knowm.xchart.style.markers.Marker marker) {
        if (x.isEmpty()) return;
        XYSeries xy = chart.addSeries(name, x, y);
        xy.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        xy.setMarker(marker);
        xy.setMarkerColor(color);
    }
}
