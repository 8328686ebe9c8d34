package org.attnbench.suites.sweep;

import java.io.PrintStream;
import java.util.List;

/** Plain fixed-width tables for the terminal (columns two spaces apart): the first row is the header. */
public final class Table {
    private Table() {}

    public static void print(PrintStream out, List<String[]> rows) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int c = 0; c < cols; c++) width[c] = Math.max(width[c], r[c].length());
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < cols; c++) {
                if (c > 0) line.append("  ");
                line.append(c == cols - 1 ? r[c] : String.format("%-" + width[c] + "s", r[c]));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
