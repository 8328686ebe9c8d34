package org.attnbench.datasets;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed task spec, {@code name} or {@code name(key=value,key=value)}, and typed access to its options. Values run
 * to the next comma or to the closing parenthesis, so a path option cannot hold a comma.
 */
final class Spec {
    private final String task;
    private final Map<String, String> options;
    private final Set<String> used = new java.util.HashSet<>();

    private Spec(String task, Map<String, String> options) {
        this.task = task;
        this.options = options;
    }

    static Spec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new TaskException("empty task spec (known: " + String.join(", ", Tasks.names()) + ")");
        }
        String s = spec.strip();
        int open = s.indexOf('(');
        if (open < 0) {
            if (s.indexOf(')') >= 0) {
                throw new TaskException("task spec '" + spec + "': ')' without '('");
            }
            return new Spec(s, Map.of());
        }
        if (!s.endsWith(")")) {
            throw new TaskException("task spec '" + spec + "': missing ')' at the end");
        }
        String name = s.substring(0, open).strip();
        String body = s.substring(open + 1, s.length() - 1).strip();
        Map<String, String> options = new LinkedHashMap<>();
        if (!body.isEmpty()) {
            for (String part : body.split(",", -1)) {
                int eq = part.indexOf('=');
                String key = eq < 0 ? "" : part.substring(0, eq).strip();
                if (key.isEmpty()) {
                    throw new TaskException("task spec '" + spec + "': option '" + part.strip() + "' is not key=value");
                }
                if (options.put(key, part.substring(eq + 1).strip()) != null) {
                    throw new TaskException("task spec '" + spec + "': option " + key + " is given twice");
                }
            }
        }
        return new Spec(name, Collections.unmodifiableMap(options));
    }

    String task() {
        return task;
    }

    /** The spec with whitespace removed and empty parentheses dropped: "mqar", "mqar(pairs=8)". */
    String normalised() {
        if (options.isEmpty()) {
            return task;
        }
        StringBuilder b = new StringBuilder(task).append('(');
        options.forEach((k, v) -> b.append(b.charAt(b.length() - 1) == '(' ? "" : ",").append(k).append('=').append(v));
        return b.append(')').toString();
    }

    /** Fails, listing the known keys, on any option not among them. */
    void allow(List<String> known) {
        for (String key : options.keySet()) {
            if (!known.contains(key)) {
                throw new TaskException(task + ": unknown option '" + key + "' (known: " + String.join(", ", known) + ")");
            }
        }
    }

    boolean has(String key) {
        return options.containsKey(key);
    }

    int integer(String key, int fallback, int min) {
        String value = options.get(key);
        if (value == null) {
            return fallback;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new TaskException(task + ": option " + key + " must be an integer >= " + min + " (got '" + value + "')");
        }
        if (parsed < min) {
            throw new TaskException(task + ": option " + key + " must be >= " + min + " (got " + parsed + ")");
        }
        return parsed;
    }

    /** A number in [low, high) or, when lowOpen, in (low, high). */
    double number(String key, double fallback, double low, boolean lowOpen, double high) {
        String value = options.get(key);
        if (value == null) {
            return fallback;
        }
        String range = (lowOpen ? "(" : "[") + low + ", " + high + ")";
        double parsed;
        try {
            parsed = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new TaskException(task + ": option " + key + " must be a number in " + range + " (got '" + value + "')");
        }
        if (!(lowOpen ? parsed > low : parsed >= low) || !(parsed < high)) {
            throw new TaskException(task + ": option " + key + " must be in " + range + " (got " + value + ")");
        }
        return parsed;
    }

    String required(String key, String example) {
        String value = options.get(key);
        if (value == null || value.isEmpty()) {
            throw new TaskException(task + ": option " + key + " is required, e.g. " + example);
        }
        return value;
    }
}
