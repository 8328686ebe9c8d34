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
 * The registry of variants found on the class path (and in the jars of {@link Plugins}). A variant is named "name:impl"; "name" alone means
 * "name:reference". An unknown name is an error that lists the known ones.
 */
public final class Variants {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    private Variants() {}

    /**
     * Every registered variant, sorted by key; fails if two share a key or one is malformed. Searched with
     * {@link Plugins#loader()}: the class path and any jars given with --classpath.
     */
    public static List<Variant> all() {
        return all(Plugins.loader());
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
            checkOptions(v);
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

    private static void checkOptions(Variant v) {
        VariantInfo info = v.info();
        if (info.options().length == 0) return;
        for (Option o : info.options()) {
            if (!NAME.matcher(o.name()).matches()) {
                throw new IllegalStateException(v.getClass().getName() + ": option '" + o.name() + "' is not a valid name");
            }
            Options.parse(info, o.name() + "=" + o.defaultValue()); // the default must be a legal value
        }
        try {
            v.getClass().getConstructor(Options.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(v.getClass().getName() + " declares options but has no public constructor taking Options");
        }
    }

    /** The declared exponent that holds in a mode (see {@link Complexity#causalExponent()}). */
    public static double exponent(Complexity c, Mode mode) {
        return mode == Mode.CAUSAL && c.causalExponent() >= 0 ? c.causalExponent() : c.exponent();
    }

    /** "name:impl". */
    public static String key(Variant v) {
        return v.info().name() + ":" + v.info().impl();
    }

    /**
     * The key, shortened to the bare name for the reference implementation, followed by the options that differ
     * from their defaults: "dense", "dense:fused", "window(w=64)". {@link #get(String)} reads it back.
     */
    public static String displayName(Variant v) {
        String base = v.info().impl().equals("reference") ? v.info().name() : key(v);
        String opts = v.options().nonDefaults();
        return opts.isEmpty() ? base : base + "(" + opts + ")";
    }

    /** A variant by spec: "name", "name:impl", either followed by "(key=value,...)" to set options. */
    public static Variant get(String spec) {
        return get(spec, all());
    }

    public static Variant get(String spec, List<Variant> known) {
        String s = spec.trim();
        String optionText = "";
        int open = s.indexOf('(');
        if (open >= 0) {
            if (!s.endsWith(")")) throw new IllegalArgumentException("variant spec '" + spec + "': options must end with ')'");
            optionText = s.substring(open + 1, s.length() - 1);
            s = s.substring(0, open).trim();
        }
        String key = s.contains(":") ? s : s + ":reference";
        for (Variant v : known) {
            if (key(v).equals(key)) return configure(v, Options.parse(v.info(), optionText));
        }
        throw new UnknownNameException("unknown variant '" + s + "' (known: "
                + String.join(", ", known.stream().map(Variants::displayName).toList()) + ")");
    }

    /** The variant with these options: itself when they are its own, else a new instance built from them. */
    public static Variant configure(Variant v, Options options) {
        if (options.equals(v.options())) return v;
        try {
            return v.getClass().getConstructor(Options.class).newInstance(options);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(v.getClass().getName() + " declares options but has no public constructor taking Options");
        } catch (ReflectiveOperationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof RuntimeException r) throw r;
            throw new IllegalStateException("cannot configure " + key(v) + ": " + cause, cause);
        }
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
