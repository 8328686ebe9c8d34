package org.attnbench.results;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A results folder: results.csv and results.json, both rewritten after every appended row, each atomically (a
 * temporary file in the same folder, then an atomic rename), so an interrupted run leaves whole files holding
 * every row measured so far. Opening a folder loads its rows, so a sweep can skip what is already there.
 */
public final class ResultStore {
    public static final String CSV = "results.csv";
    public static final String JSON = "results.json";

    private final Path dir;
    private final List<ResultRow> rows = new ArrayList<>();
    private final Set<String> keys = new HashSet<>();

    private ResultStore(Path dir) {
        this.dir = dir;
    }

    /** Opens (creating if needed) a results folder and loads the rows already in it. */
    public static ResultStore open(Path dir) throws IOException {
        Files.createDirectories(dir);
        ResultStore store = new ResultStore(dir);
        if (Files.exists(dir.resolve(JSON))) {
            for (ResultRow r : ResultReader.read(dir.resolve(JSON))) store.remember(r);
        }
        return store;
    }

    private void remember(ResultRow r) {
        rows.add(r);
        keys.add(r.key());
    }

    public Path dir() {
        return dir;
    }

    public List<ResultRow> rows() {
        return Collections.unmodifiableList(rows);
    }

    /** True when a row with this measurement key (see {@link ResultRow#key()}) is already stored. */
    public boolean contains(String key) {
        return keys.contains(key);
    }

    /** Adds a row and rewrites both files before returning. */
    public synchronized void append(ResultRow row) throws IOException {
        remember(row);
        writeAtomically(dir.resolve(CSV), o -> {
            try (Writer w = new java.io.OutputStreamWriter(o, StandardCharsets.UTF_8)) {
                ResultCodec.writeCsv(rows, w);
            }
        });
        writeAtomically(dir.resolve(JSON), o -> ResultCodec.writeJson(rows, o));
    }

    private interface Content {
        void write(OutputStream out) throws IOException;
    }

    /** Writes a temporary file beside the target and renames it over the target, so readers see old or new, whole. */
    private void writeAtomically(Path target, Content content) throws IOException {
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            try (OutputStream o = Files.newOutputStream(tmp)) {
                content.write(o);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
