package org.attnbench.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A variant's parameter tensors by name. */
public final class Parameters {
    private final Map<String, Tensor> byName;

    public Parameters(Map<String, Tensor> byName) {
        this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
    }

    /** Creates and initialises every declared parameter; each draws from its own named stream of rng. */
    public static Parameters initialise(Ops ops, ParameterSpec spec, Rng rng, boolean trainable) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (ParameterSpec.Entry e : spec.entries()) {
            // The shape-only backend keeps no values, so none are drawn (a parameter may be n x n).
            double[] values = ops.backend().hasData() ? e.init().values(e.shape(), rng.child(e.name())) : null;
            Tensor t = ops.constant(values, e.shape());
            out.put(e.name(), trainable ? ops.requireGrad(t) : t);
        }
        return new Parameters(out);
    }

    public Tensor get(String name) {
        Tensor t = byName.get(name);
        if (t == null) throw new IllegalArgumentException("no parameter '" + name + "' (declared: " + byName.keySet() + ")");
        return t;
    }

    public Map<String, Tensor> all() {
        return byName;
    }

    public long bytes() {
        long b = 0;
        for (Tensor t : byName.values()) b += t.bytes();
        return b;
    }
}
