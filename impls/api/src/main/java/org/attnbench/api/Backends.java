package org.attnbench.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** Finds backends on the class path. A name that is not there is an error listing the ones that are; never a fallback. */
public final class Backends {
    private Backends() {}

    public static List<BackendProvider> all() {
        List<BackendProvider> out = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class, Plugins.loader()).forEach(out::add);
        out.sort(Comparator.comparing(BackendProvider::name));
        return out;
    }

    public static BackendProvider provider(String name) {
        List<BackendProvider> all = all();
        for (BackendProvider p : all) {
            if (p.name().equals(name)) return p;
        }
        throw new UnknownNameException("unknown backend '" + name + "' (known: "
                + all.stream().map(BackendProvider::name).collect(Collectors.joining(", ")) + ")");
    }

    /** Opens the named backend, or fails with one line saying why it cannot run here. */
    public static Backend open(String name) {
        BackendProvider p = provider(name);
        String why = p.unavailableReason();
        if (why != null) throw new BackendUnavailableException("backend '" + name + "' cannot run here: " + why);
        return p.open();
    }
}
