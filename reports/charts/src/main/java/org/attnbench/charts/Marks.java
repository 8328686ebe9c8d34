package org.attnbench.charts;

import java.awt.BasicStroke;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;

import org.attnbench.report.ChartSpec;
import org.knowm.xchart.style.markers.Marker;

/** Marks for points that were not measured, drawn hollow so they never pass for a figure: ×, ○ and □. */
final class Marks {
    private static final BasicStroke STROKE = new BasicStroke(2.2f);

    private Marks() {}

    /** A shape centred on (x, y) with half-width h. */
    private interface Outline {
        Shape at(double x, double y, double h);
    }

    static Marker of(ChartSpec.Status status) {
        return switch (status) {
            case OOM -> new Hollow((x, y, h) -> {
                Path2D.Double cross = new Path2D.Double();
                cross.moveTo(x - h, y - h);
                cross.lineTo(x + h, y + h);
                cross.moveTo(x - h, y + h);
                cross.lineTo(x + h, y - h);
                return cross;
            });
            case UNSUPPORTED -> new Hollow((x, y, h) -> new Ellipse2D.Double(x - h, y - h, 2 * h, 2 * h));
            default -> new Hollow((x, y, h) -> new Rectangle2D.Double(x - 0.9 * h, y - 0.9 * h, 1.8 * h, 1.8 * h));
        };
    }

    private static final class Hollow extends Marker {
        private final Outline outline;

        Hollow(Outline outline) {
            this.outline = outline;
        }

        @Override
        public void paint(Graphics2D g, double x, double y, int size) {
            g.setStroke(STROKE);
            g.draw(outline.at(x, y, size * 0.65));
        }
    }
}
