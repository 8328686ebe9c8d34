package org.attnbench.results;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * The two file formats of results. CSV: a header with every column of {@link Column} in order, one row per line,
 * samples as semicolon-separated numbers in one cell. JSON: {"schema": ..., "rows": [{column: value, ...}]}.
 */
final class ResultCodec {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CSVFormat CSV = CSVFormat.DEFAULT.builder().setRecordSeparator("\n").build();

    private ResultCodec() {}

    static void writeCsv(List<ResultRow> rows, Writer out) throws IOException {
        try (CSVPrinter p = new CSVPrinter(out, CSV)) {
            p.printRecord(Arrays.stream(Column.values()).map(Column::id).toList());
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

    static List<ResultRow> readCsv(Path file, Reader in) throws IOException {
        String name = file.toString();
        List<ResultRow> rows = new ArrayList<>();
        try (CSVParser parser = CSV.parse(in)) {
            List<CSVRecord> records;
            try {
                records = parser.getRecords();
            } catch (java.io.UncheckedIOException e) {
                throw new ResultFormatException(name, parser.getCurrentLineNumber(), "malformed CSV: " + e.getCause().getMessage());
            }
            if (records.isEmpty()) throw new ResultFormatException(name, 1, "empty file, not an attnbench results file");
            List<String> header = records.get(0).toList();
            List<String> expected = Arrays.stream(Column.values()).map(Column::id).toList();
            if (!header.contains("schema")) {
                throw new ResultFormatException(name, 1, "not an attnbench results file (no 'schema' column in the header)");
            }
            for (int i = 1; i < records.size(); i++) {
                CSVRecord rec = records.get(i);
                long line = rec.getRecordNumber();
                if (rec.size() != header.size()) {
                    throw new ResultFormatException(name, line, "has " + rec.size() + " cells, the header has " + header.size());
                }
                String schema = rec.get(header.indexOf("schema"));
                if (!schema.equals(ResultRow.SCHEMA)) {
                    throw new ResultFormatException(name, line, "schema '" + schema + "' is not " + ResultRow.SCHEMA);
                }
                // Checked after the schema, so a file of another version says so rather than naming a column.
                if (i == 1 && !header.equals(expected)) {
                    List<String> missing = new ArrayList<>(expected);
                    missing.removeAll(header);
                    List<String> extra = new ArrayList<>(header);
                    extra.removeAll(expected);
                    throw new ResultFormatException(name, 1, "header does not match " + ResultRow.SCHEMA
                            + (missing.isEmpty() ? "" : " (missing: " + String.join(", ", missing) + ")")
                            + (extra.isEmpty() ? "" : " (unknown: " + String.join(", ", extra) + ")"));
                }
                ResultRow.Builder b = ResultRow.builder();
                for (Column c : Column.values()) {
                    String text = rec.get(c.ordinal());
                    if (!text.isEmpty()) set(b, c, text, name, line);
                }
                rows.add(build(b, name, line));
            }
        }
        return rows;
    }

    private static void set(ResultRow.Builder b, Column c, String text, String file, long line) {
        try {
            b.set(c, switch (c.type()) {
                case TEXT -> text;
                case INTEGER -> Long.parseLong(text);
                case NUMBER -> Double.parseDouble(text);
                case SAMPLES -> Arrays.stream(text.split(";")).map(Double::parseDouble).toList();
            });
        } catch (NumberFormatException e) {
            throw new ResultFormatException(file, line, c.id() + ": '" + text + "' is not a " + c.type().name().toLowerCase());
        } catch (IllegalArgumentException e) {
            throw new ResultFormatException(file, line, e.getMessage());
        }
    }

    private static ResultRow build(ResultRow.Builder b, String file, long line) {
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ResultFormatException(file, line, e.getMessage());
        }
    }

    static void writeJson(List<ResultRow> rows, OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("schema", ResultRow.SCHEMA);
            g.writeArrayFieldStart("rows");
            for (ResultRow r : rows) {
                g.writeStartObject();
                for (Column c : Column.values()) {
                    Object v = r.get(c);
                    g.writeFieldName(c.id());
                    if (v == null) {
                        g.writeNull();
                    } else if (v instanceof List<?> samples) {
                        g.writeStartArray();
                        for (Object x : samples) g.writeNumber((Double) x);
                        g.writeEndArray();
                    } else if (v instanceof Long l) {
                        g.writeNumber(l);
                    } else if (v instanceof Double d) {
                        g.writeNumber(d);
                    } else {
                        g.writeString((String) v);
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
        List<ResultRow> rows = new ArrayList<>();
        try (JsonParser p = new JsonFactory(JSON).createParser(Files.newBufferedReader(file, StandardCharsets.UTF_8))) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new ResultFormatException(name, line(p), "not an attnbench results file (no JSON object)");
            String schema = null;
            boolean sawRows = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals("schema")) {
                    schema = p.getValueAsString();
                    if (!ResultRow.SCHEMA.equals(schema)) {
                        throw new ResultFormatException(name, line(p), "schema '" + schema + "' is not " + ResultRow.SCHEMA);
                    }
                } else if (field.equals("rows")) {
                    if (schema == null) throw new ResultFormatException(name, line(p), "rows come before the schema");
                    if (p.currentToken() != JsonToken.START_ARRAY) throw new ResultFormatException(name, line(p), "rows is not an array");
                    sawRows = true;
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        long line = line(p);
                        rows.add(row(JSON.readTree(p), name, line));
                    }
                } else {
                    throw new ResultFormatException(name, line(p), "unknown field '" + field + "'");
                }
            }
            if (schema == null) throw new ResultFormatException(name, 1, "not an attnbench results file (no schema)");
            if (!sawRows) throw new ResultFormatException(name, 1, "no rows array");
        } catch (JsonProcessingException e) {
            long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new ResultFormatException(name, line, "malformed JSON: " + e.getOriginalMessage());
        }
        return rows;
    }

    private static long line(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }

    private static ResultRow row(JsonNode node, String file, long line) {
        ResultRow.Builder b = ResultRow.builder();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            Column c = Column.byId(e.getKey());
            if (c == null) throw new ResultFormatException(file, line, "unknown column '" + e.getKey() + "'");
            JsonNode v = e.getValue();
            if (v.isNull()) continue;
            try {
                b.set(c, switch (c.type()) {
                    case TEXT -> {
                        if (!v.isTextual()) throw new IllegalArgumentException(c.id() + " must be text");
                        yield v.asText();
                    }
                    case INTEGER -> {
                        if (!v.isIntegralNumber()) throw new IllegalArgumentException(c.id() + " must be an integer, got " + v);
                        yield v.asLong();
                    }
                    case NUMBER -> {
                        if (!v.isNumber()) throw new IllegalArgumentException(c.id() + " must be a number, got " + v);
                        yield v.asDouble();
                    }
                    case SAMPLES -> {
                        if (!v.isArray()) throw new IllegalArgumentException(c.id() + " must be an array");
                        List<Double> s = new ArrayList<>();
                        for (JsonNode x : v) {
                            if (!x.isNumber()) throw new IllegalArgumentException(c.id() + " must hold numbers, got " + x);
                            s.add(x.asDouble());
                        }
                        yield s;
                    }
                });
            } catch (IllegalArgumentException ex) {
                throw new ResultFormatException(file, line, ex.getMessage());
            }
        }
        if (node.path("schema").isMissingNode()) throw new ResultFormatException(file, line, "row has no schema");
        if (!ResultRow.SCHEMA.equals(node.path("schema").asText())) {
            throw new ResultFormatException(file, line, "schema '" + node.path("schema").asText() + "' is not " + ResultRow.SCHEMA);
        }
        return build(b, file, line);
    }
}
