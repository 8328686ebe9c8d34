package org.attnbench.api;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

/**
 * One hyperparameter of a variant (a window size, a block size, a seed), declared in {@link VariantInfo#options()}
 * and given in a variant spec as {@code name(key=value,...)}, e.g. {@code bigbird(block=32,random=2)}. A value is
 * one of {@link #choices()} when those are given, otherwise a non-negative integer or one of {@link #keywords()}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@java.lang.annotation.Target({})
public @interface Option {
    /** Lower case, e.g. "w" or "block". */
    String name();

    /** What it means, for `attnbench list` and the README. */
    String summary();

    String defaultValue();

    /** When non-empty, the only values allowed (e.g. "max", "mean"). */
    String[] choices() default {};

    /** Words allowed besides integers, resolved by the variant per problem (e.g. "sqrt" for a span of sqrt n). */
    String[] keywords() default {};

    /** Smallest integer allowed. */
    int min() default 0;
}
