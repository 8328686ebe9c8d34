package org.attnbench.results;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads results files: .csv or .json, or a results folder (its results.json). Anything that is not a results file
 * of a known version is refused with a {@link ResultFormatException} naming the file and line.
 */
public final class ResultReader {
    private ResultReader() {}

    public static List<ResultRow> read(Path path) throws IOException {
        Path file = Files.isDirectory(path) ? path.resolve(ResultStore.JSON) : path;
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "no such results file");
        String name = file.getFileName().toString();
        if (name.endsWith(".csv")) {
            try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                return ResultCodec.readCsv(file, in);
            }
        }
        if (name.endsWith(".json")) return ResultCodec.readJson(file);
        throw new ResultFormatException(file.toString(), 0, "not a results file (expected .csv or .json)");
    }

    /** Every row of several files, in order. */
    public static List<ResultRow> readAll(List<Path> paths) throws IOException {
        List<ResultRow> rows = new ArrayList<>();
        for (Path p : paths) rows.addAll(read(p));
        return rows;
    }
}
