package org.attnbench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Draws charts. The implementation (attnbench-charts, on XChart) needs java.desktop, which a GPU host's package
 * leaves out, so it is found with ServiceLoader: where none is on the class path the report says its charts were
 * not drawn, and they can be drawn later from the same result files with {@code attnbench report}.
 */
public interface ChartRenderer {
    /** Writes the chart as NAME.png and NAME.svg in dir, each atomically; returns the PNG. */
    Path render(ChartSpec chart, Path dir) throws IOException;

    /** The renderer on the class path, if any. */
    static Optional<ChartRenderer> find() {
        return ServiceLoader.load(ChartRenderer.class).findFirst();
    }
}
