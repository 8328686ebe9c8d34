package org.attnbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** What each format does with the characters that mean something to it. */
class WritersTest {
    private static final Block.Table TABLE = new Block.Table("t", "Odd | names & 100% _under_", "Command `attnbench run --suite a_b`.",
            List.of("variant", "n=1024"), List.of(false, true), List.of(List.of("a|b", "–"), List.of("x<y>", "1.00x")), List.of("O(n^2) & {braces} ~ #1 $5 \\"));

    @Test
    void latexEscapesTextAndKeepsCommandDashesApart() {
        String tex = LatexWriter.write(List.of(TABLE), "attnbench report x");
        assertTrue(tex.contains("\\caption{Odd \\textbar{} names \\& 100\\% \\_under\\_. Command \\texttt{attnbench run -{}-{}suite a\\_b}.}"), tex);
        assertTrue(tex.contains("a\\textbar{}b & -- \\\\\n"), tex);
        assertTrue(tex.contains("x\\textless{}y\\textgreater{} & 1.00x \\\\\n"), tex);
        assertTrue(tex.contains("O(n\\textasciicircum{}2) \\& \\{braces\\} \\textasciitilde{} \\#1 \\$5 \\textbackslash{}"), tex);
        assertTrue(tex.contains("\\begin{tabular}{lr}\n\\toprule\n"), tex);
    }

    @Test
    void markdownEscapesPipesInCellsAndHtmlEscapesMarkup() {
        String md = MarkdownWriter.write(List.of(TABLE), Map.of(), "charts");
        assertTrue(md.contains("| a\\|b | – |\n"), md);
        assertTrue(md.contains("|---|---:|\n"), md);
        String html = HtmlWriter.write(List.of(TABLE), Map.of());
        assertTrue(html.contains("<td>x&lt;y&gt;</td><td class=\"num\">1.00x</td>"), html);
        assertTrue(html.contains("Command <code>attnbench run --suite a_b</code>."), html);
    }

    @Test
    void anUnpairedBacktickStaysText() {
        assertEquals("a <c>b</c> c `d", Inline.convert("a `b` c `d", s -> s, "<c>", "</c>"));
    }

    @Test
    void aRowThatDoesNotFitItsHeaderIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Block.Table("t", "t", "c", List.of("a", "b"), List.of(false, true),
                List.of(List.of("only one")), List.of()));
    }
}
