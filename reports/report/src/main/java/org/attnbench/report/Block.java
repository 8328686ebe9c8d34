package org.attnbench.report;

import java.util.List;

/**
 * The pieces a report is made of, written out in Markdown, HTML and (the tables) LaTeX by one writer each. Text may
 * hold `code` spans, which each format sets as code; everything else is plain text, escaped by the writer.
 */
sealed interface Block {
    record Heading(int level, String text) implements Block {}

    record Paragraph(String text) implements Block {}

    /**
     * A table: an id (unique in the report, used for LaTeX labels), a title, a caption naming where the rows came
     * from, the header, which columns are numbers (right-aligned), the rows and notes printed under it.
     */
    record Table(String id, String title, String caption, List<String> header, List<Boolean> numeric,
                 List<List<String>> rows, List<String> notes) implements Block {
        public Table {
            for (List<String> r : rows) {
                if (r.size() != header.size()) throw new IllegalArgumentException("row " + r + " does not fit header " + header);
            }
        }
    }

    /** A chart, drawn by a {@link ChartRenderer} when one is on the class path. */
    record Figure(ChartSpec chart) implements Block {}
}
