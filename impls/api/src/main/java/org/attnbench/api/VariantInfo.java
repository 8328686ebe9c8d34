package org.attnbench.api;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** What a variant is, carried on its class: read by the registry, `attnbench list`, the kit and the reports. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(java.lang.annotation.ElementType.TYPE)
public @interface VariantInfo {
    /** Registered name, lower case with dashes, e.g. "dense" or "bigbird". */
    String name();

    /** Which implementation of the variant this is, e.g. "reference" or "fused": selected as name:impl. */
    String impl() default "reference";

    /** Family for grouping in reports, e.g. "dense", "sparse", "attention-free". */
    String family();

    /** The paper: authors, year, title, venue. */
    String paper();

    /** One line: what it computes. */
    String summary();

    /** The modes it supports; asking for another is an unsupported problem, never a fallback. */
    Mode[] modes();

    /** Declared time (arithmetic work) of the forward in n, at the default options. */
    Complexity time();

    /** Declared peak live memory of the forward in n, at the default options. */
    Complexity memory();

    /**
     * Whether a model block follows this mixer with a feed-forward sublayer. False for a variant that is meant to
     * replace it: the all-attention layer with persistent memory, or a whole gMLP block.
     */
    boolean feedForward() default true;

    /**
     * Whether this mixer is a whole model block, its normalisation and residual connection included (the gMLP
     * block): a model applies it as it is instead of wrapping it in x + mixer(norm(x)).
     */
    boolean block() default false;

    /**
     * Whether the mixer carries position information itself (learned position biases or spatial weights), so a
     * model adds no position embedding in front of it.
     */
    boolean encodesPosition() default false;

    /** Hyperparameters, given in a spec as name(key=value,...); each has a default. */
    Option[] options() default {};
}
