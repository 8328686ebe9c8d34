package org.attnbench.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import org.attnbench.report.ChartRenderer;
import org.attnbench.report.ChartSpec;
import org.attnbench.report.Report;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BubbleChart;
import org.knowm.xchart.BubbleChartBuilder;
import org.knowm.xchart.BubbleSeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;

/**
 * Draws a report's charts with XChart, as PNG and as SVG (through VectorGraphics2D) from one painting: the plot with
 * its legend outside on the right, then the chart's notes and caption as text under it, so a chart read on its own
 * still names its machine, backend, dtype, date and command. Lines differ in colour, marker and dash together, so
 * twenty or more stay apart; points that were not measured get hollow marks (× for out of memory) in a band above
 * the data, since they have no figure to stand at.
 */
public final class XChartRenderer implements ChartRenderer {
    static final int WIDTH = 1100;
    private static final int MARGIN = 16;
    private static final Font NOTE = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font CAPTION = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Color CAPTION_COLOUR = new Color(0x555555);

    @Override
    public Path render(ChartSpec spec, Path dir) throws IOException {
        Figure figure = new Figure(spec);
        BufferedImage image = new BufferedImage(WIDTH, figure.height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        figure.paint(g);
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        Path pngFile = dir.resolve(spec.name() + ".png");
        Report.writeAtomically(pngFile, png.toByteArray());

        VectorGraphics2D vg = new VectorGraphics2D();
        figure.paint(vg);
        ByteArrayOutputStream svg = new ByteArrayOutputStream();
        new SVGProcessor().getDocument(vg.getCommands(), new PageSize(0, 0, WIDTH, figure.height)).writeTo(svg);
        Report.writeAtomically(dir.resolve(spec.name() + ".svg"), svg.toByteArray());
        return pngFile;
    }

    /** The chart and the wrapped text under it, laid out once and painted onto any Graphics2D. */
    private static final class Figure {
        final Chart<?, ?> chart;
        final int chartHeight;
        final List<String> notes, caption;
        final int height;

        Figure(ChartSpec spec) {
            chartHeight = Math.max(560, 150 + 22 * spec.series().size());
            chart = spec.kind() == ChartSpec.Kind.BUBBLES ? bubbles(spec, chartHeight) : lines(spec, chartHeight);
            FontMetrics noteMetrics = metrics(NOTE), captionMetrics = metrics(CAPTION);
            notes = wrap(spec.notes(), noteMetrics);
            caption = wrap(spec.caption(), captionMetrics);
            height = chartHeight + MARGIN / 2 + notes.size() * noteMetrics.getHeight() + MARGIN / 2
                    + caption.size() * captionMetrics.getHeight() + MARGIN;
        }

        void paint(Graphics2D g) {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);
            chart.paint(g, WIDTH, chartHeight);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            int y = chartHeight + MARGIN / 2;
            y = text(g, notes, NOTE, Color.BLACK, y);
            text(g, caption, CAPTION, CAPTION_COLOUR, y + MARGIN / 2);
        }

        private static int text(Graphics2D g, List<String> lines, Font font, Color colour, int y) {
            g.setFont(font);
            g.setColor(colour);
            FontMetrics m = g.getFontMetrics();
            for (String line : lines) {
                y += m.getHeight();
                g.drawString(line, MARGIN, y - m.getDescent());
            }
            return y;
        }
    }

    private static XYChart lines(ChartSpec spec, int height) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(height).title(spec.title()).xAxisTitle(spec.xAxis())
                .yAxisTitle(spec.yAxis()).build();
        style(chart.getStyler(), spec);
        // Lengths are powers of two: x is drawn as log2(n) on a linear axis, so the ticks fall on the lengths.
        chart.getStyler().setXAxisLogarithmic(false);
        chart.setCustomXAxisTickLabelsFormatter(v -> Math.abs(v - Math.rint(v)) < 1e-6 ? AxisLabels.integer(Math.pow(2, Math.rint(v))) : "");
        if (spec.logY()) chart.setCustomYAxisTickLabelsFormatter(XChartRenderer::oneTwoFive);
        chart.getStyler().setYAxisLogarithmicDecadeOnly(false);
        chart.getStyler().setMarkerSize(8);

        // Measured figures set the data's range; marks of points that were not measured go in rows above it.
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        double xMin = Double.POSITIVE_INFINITY, xMax = Double.NEGATIVE_INFINITY;
        int missingRows = 0;
        for (ChartSpec.Series s : spec.series()) {
            boolean missing = false;
            for (ChartSpec.Point p : s.points()) {
                xMin = Math.min(xMin, log2(p.x()));
                xMax = Math.max(xMax, log2(p.x()));
                if (p.status() == ChartSpec.Status.MEASURED) {
                    min = Math.min(min, p.y());
                    max = Math.max(max, p.y());
                } else {
                    missing = true;
                }
            }
            if (missing) missingRows++;
        }
        if (max < min) {
            min = 1;
            max = 1;
        }
        Band band = new Band(spec.logY(), min, max, missingRows);
        if (!spec.logY()) {
            // XChart puts a linear axis's ends at the data's: leave room so the outermost points are not on the frame.
            double pad = Math.max(max - min, Math.abs(max) * 0.1 + 1e-9) * 0.06;
            chart.getStyler().setYAxisMin(min - pad);
            if (missingRows == 0) chart.getStyler().setYAxisMax(max + pad);
        }
        if (missingRows > 0) {
            chart.getStyler().setYAxisMax(band.top());
            chart.getStyler().setAnnotationLineColor(new Color(0x999999));
            chart.getStyler().setAnnotationLineStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
            chart.addAnnotation(new AnnotationLine(band.separator(), false, false));
            chart.getStyler().setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.ITALIC, 12));
            chart.getStyler().setAnnotationTextFontColor(new Color(0x666666));
            chart.addAnnotation(new AnnotationText("not measured", xMin + (xMax > xMin ? 0.5 : 0.15), band.row(0), false));
        }

        int row = 0;
        for (ChartSpec.Series s : spec.series()) {
            Style st = Style.of(s.style());
            List<Double> x = new ArrayList<>(), y = new ArrayList<>();
            for (ChartSpec.Point p : s.points()) {
                if (p.status() != ChartSpec.Status.MEASURED) continue;
                x.add(log2(p.x()));
                y.add(p.y());
            }
            // A line with no measured point keeps its legend entry (its marks are in the band) through a series
            // whose one point is NaN, which XChart leaves undrawn.
            XYSeries line = chart.addSeries(s.label(), x.isEmpty() ? new double[] {xMin} : toArray(x),
                    y.isEmpty() ? new double[] {Double.NaN} : toArray(y));
            line.setLineColor(st.colour());
            line.setMarkerColor(st.colour());
            line.setMarker(st.marker());
            line.setLineStyle(st.stroke());
            boolean anyMissing = false;
            for (ChartSpec.Status status : List.of(ChartSpec.Status.OOM, ChartSpec.Status.UNSUPPORTED, ChartSpec.Status.ERROR)) {
                List<Double> mx = new ArrayList<>();
                for (ChartSpec.Point p : s.points()) if (p.status() == status) mx.add(log2(p.x()));
                if (mx.isEmpty()) continue;
                anyMissing = true;
                double[] my = new double[mx.size()];
                Arrays.fill(my, band.row(row));
                XYSeries marks = chart.addSeries(s.label() + " " + status.name().toLowerCase(Locale.ROOT), toArray(mx), my);
                marks.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                marks.setMarker(Marks.of(status));
                marks.setMarkerColor(st.colour());
                marks.setShowInLegend(false);
            }
            if (anyMissing) row++;
        }
        return chart;
    }

    private static BubbleChart bubbles(ChartSpec spec, int height) {
        BubbleChart chart = new BubbleChartBuilder().width(WIDTH).height(height).title(spec.title()).xAxisTitle(spec.xAxis())
                .yAxisTitle(spec.yAxis()).build();
        style(chart.getStyler(), spec);
        chart.getStyler().setXAxisLogarithmicDecadeOnly(false);
        if (spec.logX()) chart.setCustomXAxisTickLabelsFormatter(XChartRenderer::oneTwoFive);
        List<ChartSpec.Point> all = spec.series().stream().map(s -> s.points().get(0)).toList();
        double largest = all.stream().mapToDouble(ChartSpec.Point::size).max().orElse(1);
        double xMin = all.stream().mapToDouble(ChartSpec.Point::x).min().orElse(1), xMax = all.stream().mapToDouble(ChartSpec.Point::x).max().orElse(1);
        double yMin = all.stream().mapToDouble(ChartSpec.Point::y).min().orElse(0), yMax = all.stream().mapToDouble(ChartSpec.Point::y).max().orElse(1);
        // Room around the outermost bubbles, which XChart would otherwise cut at the plot's edge.
        double xPad = Math.pow(Math.max(xMax / xMin, 2), 0.15), yPad = Math.max(2, 0.15 * (yMax - yMin));
        chart.getStyler().setXAxisMin(xMin / xPad).setXAxisMax(xMax * xPad).setYAxisMin(yMin - yPad).setYAxisMax(yMax + yPad);
        chart.getStyler().setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        chart.getStyler().setAnnotationTextFontColor(Color.BLACK);
        for (ChartSpec.Series s : spec.series()) {
            Style st = Style.of(s.style());
            ChartSpec.Point p = s.points().get(0);
            // XChart takes a bubble's diameter in pixels: the square root keeps area proportional to the size.
            double diameter = Math.max(8, 70 * Math.sqrt(p.size() / largest));
            BubbleSeries b = chart.addSeries(s.label(), new double[] {p.x()}, new double[] {p.y()}, new double[] {diameter});
            b.setFillColor(new Color(st.colour().getRed(), st.colour().getGreen(), st.colour().getBlue(), 110));
            b.setLineColor(st.colour());
            chart.addAnnotation(new AnnotationText(s.name(), p.x(), p.y(), false));
        }
        return chart;
    }

    /** Log-axis tick labels at 1, 2 and 5 times a power of ten only; the other grid lines stay unlabelled. */
    static String oneTwoFive(double v) {
        if (!(v > 0)) return "";
        double mantissa = v / Math.pow(10, Math.floor(Math.log10(v) + 1e-9));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (Math.abs(mantissa - m) < 1e-6 * m) return AxisLabels.number(v);
        }
        return "";
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    private static void style(AxesChartStyler s, ChartSpec spec) {
        s.setXAxisLogarithmic(spec.logX());
        s.setYAxisLogarithmic(spec.logY());
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setLegendBorderColor(new Color(0xbbbbbb));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setLegendSeriesLineLength(40); // long enough to show a line's dash
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(new Color(0x888888));
        s.setPlotGridLinesColor(new Color(0xe2e2e2));
        s.setChartTitleBoxVisible(false);
        s.setAntiAlias(true);
        s.setTextAntiAlias(true);
    }

    /** Rows for the marks of points that were not measured, above the measured range, on a log or a linear axis. */
    private record Band(boolean log, double min, double max, int rows) {
        double row(int i) {
            return log ? max * Math.pow(step(), i + 1.5) : max + step() * (i + 1.5);
        }

        /** Between the data and the first row of marks. */
        double separator() {
            return log ? max * Math.pow(step(), 0.75) : max + step() * 0.75;
        }

        double top() {
            return log ? max * Math.pow(step(), rows + 1.3) : max + step() * (rows + 1.3);
        }

        private double step() {
            if (log) return Math.pow(Math.max(max / min, 10), 0.05);
            return Math.max(max - min, Math.abs(max) * 0.1 + 1e-9) * 0.05;
        }
    }

    private static double[] toArray(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static FontMetrics metrics(Font f) {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            return g.getFontMetrics(f);
        } finally {
            g.dispose();
        }
    }

    /** Lines broken at spaces to fit the figure's width. */
    private static List<String> wrap(List<String> paragraphs, FontMetrics m) {
        int width = WIDTH - 2 * MARGIN;
        List<String> out = new ArrayList<>();
        for (String p : paragraphs) {
            StringBuilder line = new StringBuilder();
            for (String word : p.split(" ")) {
                if (!line.isEmpty() && m.stringWidth(line + " " + word) > width) {
                    out.add(line.toString());
                    line.setLength(0);
                }
                if (!line.isEmpty()) line.append(' ');
                line.append(word);
            }
            if (!line.isEmpty()) out.add(line.toString());
        }
        return out;
    }
}
