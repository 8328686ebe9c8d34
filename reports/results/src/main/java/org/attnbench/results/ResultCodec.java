package org.attnbench.results;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * The two file formats of results. CSV: a header with every column of {@link Column} in order, one row per line,
 * samples as semicolon-separated numbers in one cell, an absent value as an empty cell. JSON:
 * {"schema": "attnbench.results/4", "rows": [{column: value, ...}, ...]} with every column in every row, an absent
 * value as null and samples as an array. Readers refuse anything else with a {@link ResultFormatException}.
 */
final class ResultCodec {
    // Duplicate keys would otherwise silently keep the last value.
    private static final ObjectMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final CSVFormat CSV = CSVFormat.DEFAULT.builder().setRecordSeparator("\n").build();
    /** The current schema's columns, in file order, and their names: the CSV header. */
    private static final List<Column> CURRENT = List.of(Column.values());
    private static final List<String> HEADER = ids(CURRENT);
    /**
     * Every schema this reader knows, with its columns in file order; a file of an older one reads as rows of the
     * current one. /4 added fork_medians_ms.
     */
    private static final Map<String, List<Column>> LAYOUTS = Map.of(
            "attnbench.results/3", CURRENT.stream().filter(c -> c != Column.FORK_MEDIANS_MS).toList(),
            ResultRow.SCHEMA, CURRENT);
    // What Long.toString and Double.toString write; stricter than the parsers, which would take "1d", "NaN" or " 1".
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?");

    private ResultCodec() {}

    static void writeCsv(List<ResultRow> rows, Writer out) throws IOException {
        try (CSVPrinter p = new CSVPrinter(out, CSV)) {
            p.printRecord(HEADER);
            for (ResultRow r : rows) {
                List<String> cells = new ArrayList<>();
                for (Column c : Column.values()) cells.add(cell(r.get(c)));
                p.printRecord(cells);
            }
        }
    }

    private static String cell(Object v) {
        if (v == null) return "";
        if (v instanceof List<?> samples) {
            StringBuilder s = new StringBuilder();
            for (Object x : samples) {
                if (!s.isEmpty()) s.append(';');
                s.append(x);
            }
            return s.toString();
        }
        return v.toString();
    }

    static List<ResultRow> readCsv(Path file) throws IOException {
        String name = file.toString();
        String text = readText(file);
        if (text.startsWith("\uFEFF")) text = text.substring(1); // a byte-order mark, as spreadsheets write
        LineIndex lines = new LineIndex(text);
        List<ResultRow> rows = new ArrayList<>();
        try (CSVParser parser = CSV.parse(new StringReader(text))) {
            Iterator<CSVRecord> records = parser.iterator();
            CSVRecord header = next(records, parser, name);
            if (header == null) throw new ResultFormatException(name, 1, "empty file, not an attnbench results file");
            List<String> columns = header.toList();
            int schemaIndex = columns.indexOf(Column.SCHEMA.id());
            if (schemaIndex < 0) {
                throw new ResultFormatException(name, lines.lineAt(header.getCharacterPosition()),
                        "not an attnbench results file (no 'schema' column in the header)");
            }
            CSVRecord record = next(records, parser, name);
            // The first row's schema is checked before the header, so a file of another version says so rather
            // than listing the columns that differ.
            List<Column> layout = record != null && record.size() > schemaIndex
                    ? layout(record.get(schemaIndex), name, lines.lineAt(record.getCharacterPosition()))
                    : LAYOUTS.values().stream().filter(l -> ids(l).equals(columns)).findFirst().orElse(CURRENT);
            checkHeader(columns, ids(layout), name, lines.lineAt(header.getCharacterPosition()));
            while (record != null) {
                long line = lines.lineAt(record.getCharacterPosition());
                if (record.size() != columns.size()) {
                    throw new ResultFormatException(name, line, "has " + record.size() + " cells, the header has " + columns.size());
                }
                if (layout(record.get(schemaIndex), name, line) != layout) {
                    throw new ResultFormatException(name, line, "schema '" + record.get(schemaIndex) + "' differs from the first row's");
                }
                ResultRow.Builder b = ResultRow.builder();
                for (int i = 0; i < layout.size(); i++) {
                    Column c = layout.get(i);
                    String cell = record.get(i);
                    if (c != Column.SCHEMA && !cell.isEmpty()) set(b, c, parseCell(c, cell, name, line), name, line);
                }
                rows.add(build(b, name, line));
                record = next(records, parser, name);
            }
        }
        return rows;
    }

    private static String readText(Path file) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new ResultFormatException(file.toString(), 0, "not UTF-8 text, not an attnbench results file");
        }
    }

    private static CSVRecord next(Iterator<CSVRecord> records, CSVParser parser, String name) {
        try {
            return records.hasNext() ? records.next() : null;
        } catch (UncheckedIOException e) {
            // Commons CSV reports unbalanced quotes and the like this way; the line it had reached is the best clue.
            throw new ResultFormatException(name, parser.getCurrentLineNumber() + 1, "malformed CSV: " + e.getCause().getMessage());
        }
    }

    private static List<String> ids(List<Column> layout) {
        return layout.stream().map(Column::id).toList();
    }

    private static void checkHeader(List<String> columns, List<String> expected, String name, long line) {
        if (columns.equals(expected)) return;
        Set<String> seen = new HashSet<>();
        for (String c : columns) {
            if (!seen.add(c)) throw new ResultFormatException(name, line, "column '" + c + "' appears twice in the header");
        }
        List<String> missing = expected.stream().filter(c -> !columns.contains(c)).toList();
        List<String> unknown = columns.stream().filter(c -> !expected.contains(c)).toList();
        if (!missing.isEmpty()) throw new ResultFormatException(name, line, "missing column(s): " + String.join(", ", missing));
        if (!unknown.isEmpty()) throw new ResultFormatException(name, line, "unknown column(s): " + String.join(", ", unknown));
        throw new ResultFormatException(name, line, "columns are not in the order of their schema");
    }

    /** The columns of a known schema, in file order; an unknown schema is refused. */
    private static List<Column> layout(String schema, String name, long line) {
        List<Column> layout = LAYOUTS.get(schema);
        if (layout == null) {
            throw new ResultFormatException(name, line, "unknown schema '" + schema + "' (this reader knows "
                    + String.join(", ", LAYOUTS.keySet().stream().sorted().toList()) + ")");
        }
        return layout;
    }

    private static Object parseCell(Column c, String cell, String name, long line) {
        return switch (c.type()) {
            case TEXT -> cell;
            case INTEGER -> {
                if (!INTEGER.matcher(cell).matches()) throw badNumber(c, cell, name, line);
                try {
                    yield Long.parseLong(cell);
                } catch (NumberFormatException e) {
                    throw badNumber(c, cell, name, line); // out of range
                }
            }
            case NUMBER -> {
                if (!NUMBER.matcher(cell).matches()) throw badNumber(c, cell, name, line);
                yield Double.parseDouble(cell);
            }
            case SAMPLES -> {
                List<Double> samples = new ArrayList<>();
                for (String s : cell.split(";", -1)) {
                    if (!NUMBER.matcher(s).matches()) {
                        throw new ResultFormatException(name, line, c.id() + ": '" + s + "' is not a number (in '" + cell + "')");
                    }
                    samples.add(Double.parseDouble(s));
                }
                yield samples;
            }
        };
    }

    private static ResultFormatException badNumber(Column c, String cell, String name, long line) {
        return new ResultFormatException(name, line, c.id() + ": '" + cell + "' is not " + ResultRow.Builder.article(c.type()));
    }

    private static void set(ResultRow.Builder b, Column c, Object value, String name, long line) {
        try {
            b.set(c, value);
        } catch (IllegalArgumentException e) {
            throw new ResultFormatException(name, line, e.getMessage());
        }
    }

    private static ResultRow build(ResultRow.Builder b, String name, long line) {
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ResultFormatException(name, line, e.getMessage());
        }
    }

    static void writeJson(List<ResultRow> rows, OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("schema", ResultRow.SCHEMA);
            g.writeArrayFieldStart("rows");
            for (ResultRow r : rows) {
                g.writeStartObject();
                for (Column c : Column.values()) {
                    Object v = r.get(c);
                    g.writeFieldName(c.id());
                    switch (v) {
                        case null -> g.writeNull();
                        case List<?> samples -> {
                            g.writeStartArray();
                            for (Object x : samples) g.writeNumber((Double) x);
                            g.writeEndArray();
                        }
                        case Long l -> g.writeNumber(l);
                        case Double d -> g.writeNumber(d);
                        default -> g.writeString((String) v);
                    }
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    static List<ResultRow> readJson(Path file) throws IOException {
        String name = file.toString();
        String text = readText(file);
        List<ResultRow> rows = new ArrayList<>();
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new ResultFormatException(name, line(p), "not an attnbench results file (not a JSON object)");
            }
            boolean sawSchema = false, sawRows = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "schema" -> {
                        if (value != JsonToken.VALUE_STRING) throw new ResultFormatException(name, line(p), "schema is not text");
                        layout(p.getText(), name, line(p));
                        sawSchema = true;
                    }
                    case "rows" -> {
                        if (!sawSchema) throw new ResultFormatException(name, line(p), "rows come before the schema");
                        if (value != JsonToken.START_ARRAY) throw new ResultFormatException(name, line(p), "rows is not an array");
                        JsonToken t;
                        while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
                            long line = line(p);
                            rows.add(row(JSON.readTree(p), name, line));
                        }
                        if (t != JsonToken.END_ARRAY) throw new ResultFormatException(name, line(p), "a row is not a JSON object");
                        sawRows = true;
                    }
                    default -> throw new ResultFormatException(name, line(p), sawSchema
                            ? "unknown field '" + field + "'" : "not an attnbench results file (field '" + field + "' before any schema)");
                }
            }
            if (!sawSchema) throw new ResultFormatException(name, 0, "not an attnbench results file (no schema)");
            if (!sawRows) throw new ResultFormatException(name, 0, "no rows array");
            if (p.nextToken() != null) throw new ResultFormatException(name, line(p), "content after the results object");
        } catch (JsonProcessingException e) {
            long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new ResultFormatException(name, line, "malformed JSON: " + e.getOriginalMessage());
        }
        return rows;
    }

    private static long line(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }

    /** A JSON row: every column of its schema present (null when absent), no others, each of its column's type. */
    private static ResultRow row(JsonNode node, String name, long line) {
        JsonNode schema = node.get(Column.SCHEMA.id());
        if (schema == null || !schema.isTextual()) throw new ResultFormatException(name, line, "row has no schema");
        List<Column> layout = layout(schema.asText(), name, line);
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            Column c = Column.byId(e.getKey());
            if (c == null || !layout.contains(c)) throw new ResultFormatException(name, line, "unknown column '" + e.getKey() + "'");
        }
        ResultRow.Builder b = ResultRow.builder();
        for (Column c : layout) {
            JsonNode v = node.get(c.id());
            if (v == null) throw new ResultFormatException(name, line, "missing column '" + c.id() + "'");
            if (v.isNull() || c == Column.SCHEMA) continue;
            boolean fits = switch (c.type()) {
                case TEXT -> v.isTextual();
                case INTEGER -> v.isIntegralNumber() && v.canConvertToLong();
                case NUMBER -> v.isNumber();
                case SAMPLES -> v.isArray();
            };
            if (!fits) throw new ResultFormatException(name, line, c.id() + ": " + v + " is not " + ResultRow.Builder.article(c.type()));
            Object value = switch (c.type()) {
                case TEXT -> v.asText();
                case INTEGER -> v.asLong();
                case NUMBER -> v.asDouble();
                case SAMPLES -> {
                    List<Double> samples = new ArrayList<>();
                    for (JsonNode x : v) {
                        if (!x.isNumber()) throw new ResultFormatException(name, line, c.id() + ": " + x + " is not a number");
                        samples.add(x.asDouble());
                    }
                    yield samples;
                }
            };
            set(b, c, value, name, line);
        }
        return build(b, name, line);
    }

    /** Maps a character position of a text to its 1-based physical line; \n, \r\n and a lone \r each end a line. */
    private static final class LineIndex {
        private final int[] starts;

        LineIndex(String text) {
            List<Integer> s = new ArrayList<>(List.of(0));
            for (int i = 0; i < text.length(); i++) {
                char ch = text.charAt(i);
                if (ch == '\n' || (ch == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n'))) s.add(i + 1);
            }
            starts = s.stream().mapToInt(Integer::intValue).toArray();
        }

        long lineAt(long position) {
            int i = Arrays.binarySearch(starts, (int) position);
            return i >= 0 ? i + 1 : -i - 1;
        }
    }
}
