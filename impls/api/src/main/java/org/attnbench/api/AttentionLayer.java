package org.attnbench.api;

import java.util.Arrays;

/**
 * A variant bound to one problem and its parameters: what benchmarks time and the kit checks. Creating it checks
 * that the variant supports the problem; the forward checks the shapes going in and coming out.
 */
public final class AttentionLayer {
    private final Variant variant;
    private final Problem problem;
    private final Ops ops;
    private final Parameters parameters;

    private AttentionLayer(Variant variant, Problem problem, Ops ops, Parameters parameters) {
        this.variant = variant;
        this.problem = problem;
        this.ops = ops;
        this.parameters = parameters;
    }

    /** Checks support, declares and initialises the parameters from rng (trainable: they require gradients). */
    public static AttentionLayer create(Variant variant, Problem problem, Ops ops, Rng rng, boolean trainable) {
        Variants.check(variant, problem);
        ParameterSpec spec = new ParameterSpec();
        variant.declare(problem, spec);
        return new AttentionLayer(variant, problem, ops, Parameters.initialise(ops, spec, rng, trainable));
    }

    /** The same variant and problem with given parameters (e.g. ones set by a test). */
    public static AttentionLayer withParameters(Variant variant, Problem problem, Ops ops, Parameters parameters) {
        Variants.check(variant, problem);
        return new AttentionLayer(variant, problem, ops, parameters);
    }

    public Tensor forward(Tensor x) {
        if (!Arrays.equals(x.shape(), problem.inputShape())) {
            throw new ShapeException(Variants.displayName(variant) + ": input shape " + Shapes.toString(x.shape())
                    + " does not match the problem " + Shapes.toString(problem.inputShape()));
        }
        Tensor y = variant.forward(ops, problem, parameters, x);
        if (!Arrays.equals(y.shape(), problem.inputShape())) {
            throw new ShapeException(Variants.displayName(variant) + ": output shape " + Shapes.toString(y.shape())
                    + " differs from the input shape " + Shapes.toString(problem.inputShape()));
        }
        if (y.dtype() != x.dtype()) {
            throw new IllegalStateException(Variants.displayName(variant) + ": output dtype " + y.dtype()
                    + " differs from the input dtype " + x.dtype());
        }
        return y;
    }

    /** A standard input for the problem: unit normal values drawn from rng. */
    public Tensor randomInput(Rng rng) {
        int[] shape = problem.inputShape();
        return ops.backend().hasData() ? ops.constant(rng.normal((int) Shapes.size(shape), 1.0), shape) : ops.zeros(shape);
    }

    public Variant variant() {
        return variant;
    }

    public Problem problem() {
        return problem;
    }

    public Ops ops() {
        return ops;
    }

    public Parameters parameters() {
        return parameters;
    }
}
