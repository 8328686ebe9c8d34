package org.attnbench.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads results files: a .csv or .json file, or a results folder (its results.json). Anything that is not a
 * results file of schema {@value ResultRow#SCHEMA}, or is malformed, is refused with a
 * {@link ResultFormatException} whose one-line message names the file, the line (for CSV the physical line, for
 * JSON the line where the offending row starts) and what is wrong.
 */
public final class ResultReader {
    private ResultReader() {}

    /** The rows of one results file or folder, in file order. */
    public static List<ResultRow> read(Path path) throws IOException {
        Path file = Files.isDirectory(path) ? path.resolve(ResultStore.JSON) : path;
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "no such results file");
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) return ResultCodec.readCsv(file);
        if (name.endsWith(".json")) return ResultCodec.readJson(file);
        throw new ResultFormatException(file.toString(), 0, "not a results file (expected .csv, .json or a results folder)");
    }

    /** Every row of several files or folders, in the order given. */
    public static List<ResultRow> readAll(List<Path> paths) throws IOException {
        List<ResultRow> rows = new ArrayList<>();
        for (Path p : paths) rows.addAll(read(p));
        return rows;
    }
}
