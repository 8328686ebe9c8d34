package org.attnbench.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** A variant's parameter tensors by name. */
public final class Parameters {
    private final Map<String, Tensor> byName;
    private final Set<String> constants;

    /** Tensors by name, all of them trainable parameters. */
    public Parameters(Map<String, Tensor> byName) {
        this(byName, Set.of());
    }

    /** Tensors by name, of which the named constants are fixed buffers (see {@link ParameterSpec#addConstant}). */
    public Parameters(Map<String, Tensor> byName, Set<String> constants) {
        this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
        this.constants = Set.copyOf(constants);
    }

    /** Creates and initialises every declared parameter; each draws from its own named stream of rng. */
    public static Parameters initialise(Ops ops, ParameterSpec spec, Rng rng, boolean trainable) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Set<String> constants = new HashSet<>();
        for (ParameterSpec.Entry e : spec.entries()) {
            if (!e.trainable()) constants.add(e.name());
            // The shape-only backend keeps no values, so none are drawn (a parameter may be n x n).
            double[] values = ops.backend().hasData() ? e.init().values(e.shape(), rng.child(e.name())) : null;
            Tensor t = ops.constant(values, e.shape());
            out.put(e.name(), trainable && e.trainable() ? ops.requireGrad(t) : t);
        }
        return new Parameters(out, constants);
    }

    public Tensor get(String name) {
        Tensor t = byName.get(name);
        if (t == null) throw new IllegalArgumentException("no parameter '" + name + "' (declared: " + byName.keySet() + ")");
        return t;
    }

    /** Every tensor, constants included. */
    public Map<String, Tensor> all() {
        return byName;
    }

    /** The trainable parameters only: what an optimiser updates and what gradients are checked for. */
    public Map<String, Tensor> trainable() {
        Map<String, Tensor> out = new LinkedHashMap<>(byName);
        out.keySet().removeAll(constants);
        return Collections.unmodifiableMap(out);
    }

    public boolean isConstant(String name) {
        return constants.contains(name);
    }

    public long bytes() {
        long b = 0;
        for (Tensor t : byName.values()) b += t.bytes();
        return b;
    }
}
