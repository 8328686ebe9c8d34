package org.attnbench.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The parameters a variant declares for a problem, in order. */
public final class ParameterSpec {
    public record Entry(String name, int[] shape, Init init) {}

    private final List<Entry> entries = new ArrayList<>();

    public ParameterSpec add(String name, Init init, int... shape) {
        for (Entry e : entries) {
            if (e.name().equals(name)) throw new IllegalArgumentException("parameter '" + name + "' declared twice");
        }
        for (int d : shape) {
            if (d < 1) throw new ShapeException("parameter '" + name + "': bad shape " + Shapes.toString(shape));
        }
        entries.add(new Entry(name, shape.clone(), init));
        return this;
    }

    public List<Entry> entries() {
        return Collections.unmodifiableList(entries);
    }

    /** Total number of scalar parameters. */
    public long count() {
        long n = 0;
        for (Entry e : entries) n += Shapes.size(e.shape());
        return n;
    }
}
