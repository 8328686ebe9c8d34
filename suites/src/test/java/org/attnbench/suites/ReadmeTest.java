package org.attnbench.suites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import org.attnbench.suites.cli.ListCommand;
import org.junit.jupiter.api.Test;

/** The README's table of variants is generated from their metadata (`attnbench list --markdown`) and kept current. */
class ReadmeTest {
    private static final String BEGIN = "<!-- variants:begin (scripts/attnbench list --markdown) -->\n";
    private static final String END = "<!-- variants:end -->";

    @Test
    void theVariantTableIsCurrent() throws IOException {
        Path readme = Path.of(System.getProperty("attnbench.home", "..")).resolve("README.md");
        String text = Files.readString(readme);
        int begin = text.indexOf(BEGIN), end = text.indexOf(END);
        assertTrue(begin >= 0 && end > begin, "README.md has no generated variant table between its markers");
        String expected = ListCommand.markdownTable().lines()
                .filter(l -> !l.contains("| test |")) // the test fixtures registered in this module's test sources
                .collect(Collectors.joining("\n", "", "\n"));
        assertEquals(expected, text.substring(begin + BEGIN.length(), end),
                "README.md's variant table is out of date: regenerate it with scripts/attnbench list --markdown");
    }
}
