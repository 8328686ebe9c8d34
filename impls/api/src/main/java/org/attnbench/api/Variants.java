package org.attnbench.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.regex.Pattern;

/**
 * The registry of variants found on the class path. A variant is named "name:impl"; "name" alone means
 * "name:reference". An unknown name is an error that lists the known ones.
 */
public final class Variants {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    private Variants() {}

    /** Every registered variant, sorted by key; fails if two share a key or one is malformed. */
    public static List<Variant> all() {
        return all(Thread.currentThread().getContextClassLoader());
    }

    public static List<Variant> all(ClassLoader loader) {
        Map<String, Variant> byKey = new LinkedHashMap<>();
        for (Variant v : ServiceLoader.load(Variant.class, loader)) {
            VariantInfo info = v.info();
            for (String part : List.of(info.name(), info.impl(), info.family())) {
                if (!NAME.matcher(part).matches()) {
                    throw new IllegalStateException(v.getClass().getName() + ": '" + part
                            + "' is not a valid name (lower case letters and digits, dash separated)");
                }
            }
            if (info.modes().length == 0) throw new IllegalStateException(v.getClass().getName() + " declares no modes");
            Variant old = byKey.put(key(v), v);
            if (old != null && old.getClass() != v.getClass()) {
                throw new IllegalStateException("two variants are registered as '" + key(v) + "': "
                        + old.getClass().getName() + " and " + v.getClass().getName());
            }
        }
        List<Variant> out = new ArrayList<>(byKey.values());
        out.sort(Comparator.comparing(Variants::key));
        return out;
    }

    /** "name:impl". */
    public static String key(Variant v) {
        return v.info().name() + ":" + v.info().impl();
    }

    /** The key, shortened to the bare name for the reference implementation. */
    public static String displayName(Variant v) {
        return v.info().impl().equals("reference") ? v.info().name() : key(v);
    }

    public static Variant get(String spec) {
        return get(spec, all());
    }

    public static Variant get(String spec, List<Variant> known) {
        String key = spec.contains(":") ? spec : spec + ":reference";
        for (Variant v : known) {
            if (key(v).equals(key)) return v;
        }
        throw new UnknownNameException("unknown variant '" + spec + "' (known: "
                + String.join(", ", known.stream().map(Variants::displayName).toList()) + ")");
    }

    /** Throws {@link UnsupportedProblemException} if the variant cannot take the problem. */
    public static void check(Variant v, Problem p) {
        if (!Arrays.asList(v.info().modes()).contains(p.mode())) {
            throw new UnsupportedProblemException(displayName(v) + ": " + p.mode().id() + " mode is not supported ("
                    + displayName(v) + " supports " + String.join(", ", Arrays.stream(v.info().modes()).map(Mode::id).toList()) + ")");
        }
        v.check(p);
    }
}
