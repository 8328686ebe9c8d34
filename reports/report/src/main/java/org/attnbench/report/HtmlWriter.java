package org.attnbench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** report.html: one file that needs nothing else, the charts embedded as data URIs. */
final class HtmlWriter {
    private static final String STYLE = """
            body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; max-width: 1200px; margin: 2em auto;
                   padding: 0 1em; color: #222; line-height: 1.45; }
            h1, h2, h3, h4 { line-height: 1.2; }
            h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; margin-top: 2em; }
            code { font-family: Menlo, Consolas, monospace; font-size: 90%; background: #f3f3f3; padding: 0 .2em; }
            figure { margin: 1.5em 0; }
            figcaption { font-size: 92%; margin: .4em 0; }
            table { border-collapse: collapse; border-top: 2px solid #222; border-bottom: 2px solid #222; font-size: 92%; }
            thead th { border-bottom: 1px solid #222; }
            th, td { padding: .2em .7em; text-align: left; white-space: nowrap; }
            .num { text-align: right; font-variant-numeric: tabular-nums; }
            .note { font-size: 88%; color: #444; margin: .3em 0; max-width: 1000px; }
            img { max-width: 100%; height: auto; }
            """;

    private HtmlWriter() {}

    static String write(List<Block> blocks, Map<String, Path> drawn) {
        StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>attnbench report</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        int tables = 0, figures = 0;
        for (Block b : blocks) {
            switch (b) {
                case Block.Heading h -> sb.append("<h").append(h.level()).append('>').append(text(h.text())).append("</h")
                        .append(h.level()).append(">\n");
                case Block.Paragraph p -> sb.append("<p>").append(text(p.text())).append("</p>\n");
                case Block.Table t -> {
                    tables++;
                    sb.append("<figure id=\"table-").append(t.id()).append("\">\n<figcaption><b>Table ").append(tables).append(". ")
                            .append(text(t.title())).append(".</b> ").append(text(t.caption())).append("</figcaption>\n<table>\n<thead><tr>");
                    for (int i = 0; i < t.header().size(); i++) cell(sb, "th", t.header().get(i), t.numeric().get(i));
                    sb.append("</tr></thead>\n<tbody>\n");
                    for (List<String> r : t.rows()) {
                        sb.append("<tr>");
                        for (int i = 0; i < r.size(); i++) cell(sb, "td", r.get(i), t.numeric().get(i));
                        sb.append("</tr>\n");
                    }
                    sb.append("</tbody>\n</table>\n");
                    for (String note : t.notes()) sb.append("<p class=\"note\">").append(text(note)).append("</p>\n");
                    sb.append("</figure>\n");
                }
                case Block.Figure f -> {
                    figures++;
                    ChartSpec c = f.chart();
                    sb.append("<figure id=\"figure-").append(c.name()).append("\">\n");
                    Path png = drawn.get(c.name());
                    if (png != null) {
                        sb.append("<img alt=\"").append(escape(c.title())).append("\" src=\"data:image/png;base64,")
                                .append(base64(png)).append("\">\n");
                    }
                    sb.append("<figcaption><b>Figure ").append(figures).append(". ").append(text(c.title())).append(".</b> ")
                            .append(png != null ? text(String.join(" ", c.notes())) : "Not drawn (see the top of this report).")
                            .append("</figcaption>\n</figure>\n");
                }
            }
        }
        return sb.append("</body>\n</html>\n").toString();
    }

    private static void cell(StringBuilder sb, String tag, String value, boolean numeric) {
        sb.append('<').append(tag).append(numeric ? " class=\"num\"" : "").append('>').append(escape(value)).append("</").append(tag).append('>');
    }

    private static String base64(Path png) {
        try {
            return Base64.getEncoder().encodeToString(Files.readAllBytes(png));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(String s) {
        return Inline.convert(s, HtmlWriter::escape, "<code>", "</code>");
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
