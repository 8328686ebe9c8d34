package org.attnbench.suites.check;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import org.attnbench.results.ResultRow;

/**
 * The smoke accuracy run `attnbench check` makes for one variant: provided by the accuracy suite, found with
 * ServiceLoader (META-INF/services/org.attnbench.suites.check.SmokeAccuracy). A build without one says
 * "accuracy: not available in this build" and reports no accuracy figure.
 */
public interface SmokeAccuracy {
    /**
     * Trains the smoke tier's smallest model with the variant as its token mixer and tests it, seconds long on a
     * CPU. Returns the rows it measured (benchmark accuracy, one per seed, status ok or why not), which are also
     * stored in outDir.
     *
     * @param variant  the variant spec, e.g. "window(w=32)"
     * @param outDir   a results folder for the rows
     * @param progress where to say what runs
     */
    List<ResultRow> run(String variant, Path outDir, PrintStream progress) throws IOException;

    /** Why the rows fail the smoke check (for example, learned no better than chance); empty when they pass. */
    default List<String> shortfalls(List<ResultRow> rows) {
        return List.of();
    }
}
