package org.attnbench.results;

/** A results file that is not ours, of an unknown version, or malformed. The message names the file and the line. */
public class ResultFormatException extends IllegalArgumentException {
    public ResultFormatException(String file, long line, String problem) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem);
    }
}
