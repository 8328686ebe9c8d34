package org.attnbench.results;

/**
 * A results file that is not ours, of a version this reader does not know, or malformed. The message is one line,
 * {@code FILE:LINE: PROBLEM} (without {@code :LINE} where no line applies), so a tool can print it as it is.
 */
public class ResultFormatException extends IllegalArgumentException {
    private final String file;
    private final long line;

    /** A problem at a line of a file; line 0 means the file as a whole. */
    public ResultFormatException(String file, long line, String problem) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem.replaceAll("\\R+", " "));
        this.file = file;
        this.line = line;
    }

    public String file() {
        return file;
    }

    /** The 1-based line of the problem; 0 when it concerns the file as a whole. */
    public long line() {
        return line;
    }
}
