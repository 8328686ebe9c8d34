package org.attnbench.api;

/**
 * An attention variant: a token mixer from [batch, n, d] to [batch, n, d], written only with {@link Ops}, so it
 * runs on every backend and trains through the tape. Its metadata is the {@link VariantInfo} on the class.
 * Variants are found with ServiceLoader (META-INF/services/org.attnbench.api.Variant), so a jar on the class
 * path adds one; they need a public no-argument constructor and must hold no mutable state.
 */
public interface Variant {

    /** The metadata on the class. */
    default VariantInfo info() {
        VariantInfo info = getClass().getAnnotation(VariantInfo.class);
        if (info == null) {
            throw new IllegalStateException(getClass().getName() + " implements Variant but has no @VariantInfo");
        }
        return info;
    }

    /** The hyperparameter values this instance was configured with (see {@link ConfigurableVariant}). */
    default Options options() {
        return Options.defaults(info());
    }

    /**
     * Throws {@link UnsupportedProblemException} naming the constraint when this variant cannot take the problem
     * (for example a length that is not a multiple of its block). The supported modes are checked before this.
     */
    default void check(Problem problem) {}

    /** Declares the parameters this problem needs, with their shapes and initialisers. */
    void declare(Problem problem, ParameterSpec spec);

    /** The forward: x is [batch, n, d]; returns [batch, n, d]. */
    Tensor forward(Ops ops, Problem problem, Parameters params, Tensor x);
}
