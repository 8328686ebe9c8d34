package org.attnbench.report;

import java.util.function.UnaryOperator;

/** Text with `code` spans, set in another format: plain parts and code parts each escaped for it, code wrapped. */
final class Inline {
    private Inline() {}

    static String convert(String text, UnaryOperator<String> escape, String codeOpen, String codeClose) {
        return convert(text, escape, codeOpen, codeClose, escape);
    }

    /** As above, with code escaped its own way. */
    static String convert(String text, UnaryOperator<String> escape, String codeOpen, String codeClose, UnaryOperator<String> escapeCode) {
        StringBuilder sb = new StringBuilder();
        String[] parts = text.split("`", -1);
        // An odd count of backticks leaves the last one as text.
        int spans = parts.length % 2 == 1 ? parts.length : parts.length - 1;
        for (int i = 0; i < parts.length; i++) {
            if (i % 2 == 1 && i < spans) sb.append(codeOpen).append(escapeCode.apply(parts[i])).append(codeClose);
            else sb.append(i >= spans ? "`" : "").append(escape.apply(parts[i]));
        }
        return sb.toString();
    }
}
