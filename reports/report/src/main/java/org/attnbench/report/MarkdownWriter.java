package org.attnbench.report;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** report.md: headings, paragraphs, tables with their captions and notes, and the charts as images beside it. */
final class MarkdownWriter {
    private MarkdownWriter() {}

    static String write(List<Block> blocks, Map<String, Path> drawn, String chartsFolder) {
        StringBuilder sb = new StringBuilder();
        int tables = 0, figures = 0;
        for (Block b : blocks) {
            switch (b) {
                case Block.Heading h -> sb.append("#".repeat(h.level())).append(' ').append(h.text()).append("\n\n");
                case Block.Paragraph p -> sb.append(p.text()).append("\n\n");
                case Block.Table t -> {
                    tables++;
                    sb.append("**Table ").append(tables).append(". ").append(t.title()).append(".** ").append(t.caption()).append("\n\n");
                    row(sb, t.header());
                    sb.append('|');
                    for (boolean numeric : t.numeric()) sb.append(numeric ? "---:|" : "---|");
                    sb.append('\n');
                    for (List<String> r : t.rows()) row(sb, r);
                    sb.append('\n');
                    for (String note : t.notes()) sb.append(note).append("\n\n");
                }
                case Block.Figure f -> {
                    figures++;
                    ChartSpec c = f.chart();
                    String lead = "*Figure " + figures + ". " + c.title() + ".*";
                    if (drawn.containsKey(c.name())) {
                        sb.append("![").append(c.title()).append("](").append(chartsFolder).append('/')
                                .append(drawn.get(c.name()).getFileName()).append(")\n\n");
                        sb.append(lead).append(' ').append(String.join(" ", c.notes())).append(" (SVG: `").append(chartsFolder)
                                .append('/').append(c.name()).append(".svg`.)\n\n");
                    } else {
                        sb.append(lead).append(" Not drawn (see the top of this report).\n\n");
                    }
                }
            }
        }
        return sb.toString().stripTrailing() + "\n";
    }

    private static void row(StringBuilder sb, List<String> cells) {
        sb.append('|');
        for (String c : cells) sb.append(' ').append(c.replace("|", "\\|")).append(" |");
        sb.append('\n');
    }
}
