package org.attnbench.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The parameters a variant declares for a problem, in order. */
public final class ParameterSpec {
    /** A declared tensor; a constant (trainable false) is a fixed buffer such as a DFT matrix: no gradient. */
    public record Entry(String name, int[] shape, Init init, boolean trainable) {}

    private final List<Entry> entries = new ArrayList<>();

    public ParameterSpec add(String name, Init init, int... shape) {
        return add(name, init, true, shape);
    }

    /**
     * A fixed tensor the variant needs at every call (a DFT matrix): made once with the parameters, outside the
     * timed forward, and never trained.
     */
    public ParameterSpec addConstant(String name, Init init, int... shape) {
        return add(name, init, false, shape);
    }

    private ParameterSpec add(String name, Init init, boolean trainable, int... shape) {
        for (Entry e : entries) {
            if (e.name().equals(name)) throw new IllegalArgumentException("parameter '" + name + "' declared twice");
        }
        for (int d : shape) {
            if (d < 1) throw new ShapeException("parameter '" + name + "': bad shape " + Shapes.toString(shape));
        }
        entries.add(new Entry(name, shape.clone(), init, trainable));
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
