package org.attnbench.api;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A declared cost in the sequence length n: n^exponent (log n)^logPower, other sizes held fixed. The conformance
 * kit checks it against what the operation layer counts, and sweeps report it beside the measured slope.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({})
public @interface Complexity {
    double exponent();

    /** The exponent in causal mode when it differs (a materialised n x n causal mask); negative: the same. */
    double causalExponent() default -1;
    // Variants.exponent(complexity, mode) gives the exponent that holds in a mode.

    int logPower() default 0;

    /** The full formula for people, e.g. "8 n d^2 + 4 n^2 d". */
    String formula();
}
