package org.attnbench.results;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A results folder: results.csv and results.json, both rewritten after every appended row, each atomically (a
 * temporary file in the same folder, forced to disk, then an atomic rename over the old file), so an interrupted
 * run leaves whole files holding every row measured so far. Opening a folder loads its rows, so a sweep can skip
 * what is already there. Rows are only ever added; none is rewritten or removed.
 */
public final class ResultStore {
    public static final String CSV = "results.csv";
    public static final String JSON = "results.json";
    /** Temporary files are named .results.csv.RANDOM.tmp and .results.json.RANDOM.tmp. */
    private static final String TEMPORARY_GLOB = ".{" + CSV + "," + JSON + "}.*.tmp";

    private final Path dir;
    private final List<ResultRow> rows = new ArrayList<>();
    private final Set<String> keys = new HashSet<>();

    private ResultStore(Path dir) {
        this.dir = dir;
    }

    /**
     * Opens a results folder, creating it if needed, and loads the rows already in it. Files of another schema
     * or malformed ones are refused with a {@link ResultFormatException}; temporary files a killed run left
     * behind are deleted.
     */
    public static ResultStore open(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (DirectoryStream<Path> stale = Files.newDirectoryStream(dir, TEMPORARY_GLOB)) {
            for (Path p : stale) Files.deleteIfExists(p);
        }
        ResultStore store = new ResultStore(dir);
        List<ResultRow> csv = readIfThere(dir.resolve(CSV));
        List<ResultRow> json = readIfThere(dir.resolve(JSON));
        // results.csv is renamed into place before results.json, so a run stopped between the two renames leaves
        // the CSV one row ahead. The longer file is kept when the shorter is its beginning, and both are rewritten
        // so they agree again.
        List<ResultRow> longer = csv.size() >= json.size() ? csv : json;
        List<ResultRow> shorter = longer == csv ? json : csv;
        if (!longer.subList(0, shorter.size()).equals(shorter)) {
            throw new ResultFormatException(dir.toString(), 0, CSV + " and " + JSON + " hold different rows;"
                    + " this folder was edited by hand or written by two runs at once");
        }
        for (ResultRow r : longer) store.remember(r);
        if (csv.size() != json.size()) store.writeFiles();
        return store;
    }

    private static List<ResultRow> readIfThere(Path file) throws IOException {
        return Files.exists(file) ? ResultReader.read(file) : List.of();
    }

    private void remember(ResultRow r) {
        rows.add(r);
        keys.add(r.key());
    }

    public Path dir() {
        return dir;
    }

    /** The rows stored so far, in the order they were appended (a snapshot). */
    public synchronized List<ResultRow> rows() {
        return List.copyOf(rows);
    }

    /** The run id of the rows already here, so a resumed run keeps it; a new one for an empty folder. */
    public synchronized String runId() {
        return rows.isEmpty() ? UUID.randomUUID().toString() : rows.get(0).runId();
    }

    /** True when a row with this measurement key (see {@link ResultRow#key()}) is already stored. */
    public synchronized boolean contains(String key) {
        return keys.contains(key);
    }

    /** True when a row measuring the same thing as this one (an equal {@link ResultRow#key()}) is already stored. */
    public synchronized boolean containsKeyOf(ResultRow row) {
        return keys.contains(row.key());
    }

    /** Adds a row and rewrites both files before returning; if writing fails, the row is not added. */
    public synchronized void append(ResultRow row) throws IOException {
        boolean newKey = keys.add(row.key());
        rows.add(row);
        try {
            writeFiles();
        } catch (IOException | RuntimeException e) {
            rows.removeLast();
            if (newKey) keys.remove(row.key());
            throw e;
        }
    }

    private void writeFiles() throws IOException {
        StringWriter csv = new StringWriter();
        ResultCodec.writeCsv(rows, csv);
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        ResultCodec.writeJson(rows, json);
        writeAtomically(dir.resolve(CSV), csv.toString().getBytes(StandardCharsets.UTF_8));
        writeAtomically(dir.resolve(JSON), json.toByteArray());
    }

    /**
     * Writes rows as one JSON results file (a baseline, for example), atomically like the store's own files; the
     * reader takes it back with {@link ResultReader#read(Path)}.
     */
    public static void writeJson(Path file, List<ResultRow> rows) throws IOException {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        ResultCodec.writeJson(rows, json);
        Path target = file.toAbsolutePath();
        Files.createDirectories(target.getParent());
        writeAtomically(target, json.toByteArray());
    }

    /** Writes a temporary file beside the target and renames it over the target, so readers see old or new, whole. */
    private static void writeAtomically(Path target, byte[] content) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            // Opened with the default permissions, unlike Files.createTempFile's owner-only ones, which the rename
            // would carry over to the results files.
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer data = ByteBuffer.wrap(content);
                while (data.hasRemaining()) out.write(data);
                // On disk before the rename, so a crash cannot leave the new name pointing at unwritten blocks.
                out.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
