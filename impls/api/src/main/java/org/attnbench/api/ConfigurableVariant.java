package org.attnbench.api;

/**
 * Base for a variant with {@link Option}s. A subclass has a public no-argument constructor (all defaults, used by
 * ServiceLoader) and a public constructor taking {@link Options}, which {@link Variants#get(String)} calls for a
 * spec such as {@code window(w=64)}; it reads its values there into final fields, so instances stay immutable.
 */
public abstract class ConfigurableVariant implements Variant {
    private final Options options;

    protected ConfigurableVariant(Options options) {
        this.options = options == null ? Options.defaults(info()) : options;
    }

    @Override
    public final Options options() {
        return options;
    }
}
