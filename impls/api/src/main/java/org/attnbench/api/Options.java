package org.attnbench.api;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The hyperparameter values of one configured variant: every declared {@link Option}, each set to its default or
 * to the value given in the spec. Values are validated when parsed, so a variant reads them without checks.
 */
public final class Options {
    private final VariantInfo info;
    private final Map<String, String> values;

    private Options(VariantInfo info, Map<String, String> values) {
        this.info = info;
        this.values = values;
    }

    /** Every option at its default. */
    public static Options defaults(VariantInfo info) {
        Map<String, String> v = new LinkedHashMap<>();
        for (Option o : info.options()) v.put(o.name(), o.defaultValue());
        return new Options(info, v);
    }

    /** Parses "key=value,key=value" (empty for none) against the declared options. */
    public static Options parse(VariantInfo info, String text) {
        Map<String, String> v = new LinkedHashMap<>(defaults(info).values);
        if (text.isBlank()) return new Options(info, v);
        for (String part : text.split(",")) {
            int eq = part.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException(info.name() + ": option '" + part.trim() + "' is not key=value");
            }
            String key = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            Option o = find(info, key);
            check(info, o, value);
            v.put(key, value);
        }
        return new Options(info, v);
    }

    private static Option find(VariantInfo info, String key) {
        for (Option o : info.options()) {
            if (o.name().equals(key)) return o;
        }
        String known = info.options().length == 0 ? "it takes none"
                : "known: " + String.join(", ", Arrays.stream(info.options()).map(Option::name).toList());
        throw new UnknownNameException(info.name() + ": unknown option '" + key + "' (" + known + ")");
    }

    private static void check(VariantInfo info, Option o, String value) {
        if (o.choices().length > 0) {
            if (!Arrays.asList(o.choices()).contains(value)) {
                throw new IllegalArgumentException(info.name() + ": option " + o.name() + " must be one of "
                        + String.join(", ", o.choices()) + ", got '" + value + "'");
            }
            return;
        }
        if (Arrays.asList(o.keywords()).contains(value)) return;
        try {
            int i = Integer.parseInt(value);
            if (i >= o.min()) return;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        String words = o.keywords().length == 0 ? "" : " or " + String.join(", ", o.keywords());
        throw new IllegalArgumentException(info.name() + ": option " + o.name() + " must be an integer >= " + o.min()
                + words + ", got '" + value + "'");
    }

    /** The value as text (a choice, a keyword or an integer). */
    public String text(String name) {
        find(info, name);
        return values.get(name);
    }

    /** True when the option is set to this keyword or choice. */
    public boolean is(String name, String word) {
        return text(name).equals(word);
    }

    /** The value as an integer; fails if it is a keyword (the variant should have resolved that). */
    public int integer(String name) {
        String t = text(name);
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(info.name() + ": option " + name + " is '" + t + "', not an integer");
        }
    }

    public boolean isDefault() {
        return values.equals(defaults(info).values);
    }

    /** "key=value,..." for the values that differ from the defaults; empty when all are defaults. */
    public String nonDefaults() {
        StringJoiner j = new StringJoiner(",");
        for (Option o : info.options()) {
            String v = values.get(o.name());
            if (!v.equals(o.defaultValue())) j.add(o.name() + "=" + v);
        }
        return j.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Options other && other.info.equals(info) && other.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
