package org.attnbench.charts;

import java.awt.BasicStroke;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;

import org.attnbench.report.ChartSpec;
import org.knowm.xchart.style.markers.Marker;

/** Marks for points that were not measured, drawn hollow so they never pass for a figure: ×, ○ and □. */
final class Marks {
    private static final BasicStroke STROKE = new BasicStroke(2.2f);

    private Marks() {}

    static Marker of(ChartSpec.Status status) {
        return switch (status) {
            case OOM -> new Cross();
            case UNSUPPORTED -> new Ring();
            default -> new Box();
        };
    }

    private static final class Cross extends Marker {
        @Override
        public void paint(Graphics2D g, double x, double y, int size) {
            double h = size * 0.65;
            g.setStroke(STROKE);
            g.draw(new Line2D.Double(x - h, y - h, x + h, y + h));
            g.draw(new Line2D.Double(x - h, y + h, x + h, y - h));
        }
    }

    private static final class Ring extends Marker {
        @Override
        public void paint(Graphics2D g, double x, double y, int size) {
            double h = size * 0.65;
            g.setStroke(STROKE);
            g.draw(new Ellipse2D.Double(x - h, y - h, 2 * h, 2 * h));
        }
    }

    private static final class Box extends Marker {
        @Override
        public void paint(Graphics2D g, double x, double y, int size) {
            double h = size * 0.6;
            g.setStroke(STROKE);
            g.draw(new Rectangle2D.Double(x - h, y - h, 2 * h, 2 * h));
        }
    }
}
