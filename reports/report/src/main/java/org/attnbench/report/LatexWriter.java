package org.attnbench.report;

import java.util.List;

/** tables.tex: every table of the report as a LaTeX table with booktabs rules, ready to paste into a paper. */
final class LatexWriter {
    private LatexWriter() {}

    static String write(List<Block> blocks, String command) {
        StringBuilder sb = new StringBuilder();
        sb.append("% attnbench tables, made by ").append(command.replace("\n", " ")).append("\n");
        sb.append("% Needs \\usepackage{booktabs} in the preamble. Each table's caption names the machine, backend, dtype,\n");
        sb.append("% dates and command of its rows.\n");
        for (Block b : blocks) {
            if (!(b instanceof Block.Table t)) continue;
            sb.append("\n\\begin{table}[ht]\n\\centering\n\\small\n");
            sb.append("\\caption{").append(text(t.title())).append(". ").append(text(t.caption())).append("}\n");
            sb.append("\\label{tab:").append(t.id()).append("}\n");
            sb.append("\\begin{tabular}{");
            for (boolean numeric : t.numeric()) sb.append(numeric ? 'r' : 'l');
            sb.append("}\n\\toprule\n");
            row(sb, t.header());
            sb.append("\\midrule\n");
            for (List<String> r : t.rows()) row(sb, r);
            sb.append("\\bottomrule\n\\end{tabular}\n");
            if (!t.notes().isEmpty()) {
                sb.append("\\par\\smallskip\\begin{minipage}{\\linewidth}\\footnotesize\n");
                for (String note : t.notes()) sb.append(text(note)).append("\n");
                sb.append("\\end{minipage}\n");
            }
            sb.append("\\end{table}\n");
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) sb.append(" & ");
            sb.append(text(cells.get(i)));
        }
        sb.append(" \\\\\n");
    }

    private static String text(String s) {
        // In code, -{} keeps "--" of a command line from becoming an en dash.
        return Inline.convert(s, LatexWriter::escape, "\\texttt{", "}", code -> escape(code).replace("-", "-{}"));
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> sb.append("\\textbackslash{}");
                case '&', '%', '$', '#', '_', '{', '}' -> sb.append('\\').append(c);
                case '~' -> sb.append("\\textasciitilde{}");
                case '^' -> sb.append("\\textasciicircum{}");
                case '|' -> sb.append("\\textbar{}");
                case '<' -> sb.append("\\textless{}");
                case '>' -> sb.append("\\textgreater{}");
                case '–' -> sb.append("--");
                case '—' -> sb.append("---");
                case '×' -> sb.append("$\\times$");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
