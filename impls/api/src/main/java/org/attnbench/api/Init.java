package org.attnbench.api;

import java.util.Arrays;

/** How a parameter's initial values are drawn, given its shape and a generator. */
@FunctionalInterface
public interface Init {
    double[] values(int[] shape, Rng rng);

    static Init constant(double value) {
        return (shape, rng) -> {
            double[] v = new double[(int) Shapes.size(shape)];
            Arrays.fill(v, value);
            return v;
        };
    }

    static Init zeros() {
        return constant(0.0);
    }

    static Init ones() {
        return constant(1.0);
    }

    static Init normal(double std) {
        return (shape, rng) -> rng.normal((int) Shapes.size(shape), std);
    }

    static Init uniform(double bound) {
        return (shape, rng) -> rng.uniform((int) Shapes.size(shape), -bound, bound);
    }

    /** Glorot/Xavier uniform over the last two axes (fan in, fan out) of a weight. */
    static Init xavierUniform() {
        return (shape, rng) -> {
            int fanIn = shape.length >= 2 ? shape[shape.length - 2] : shape[0];
            int fanOut = shape[shape.length - 1];
            double bound = Math.sqrt(6.0 / (fanIn + fanOut));
            return rng.uniform((int) Shapes.size(shape), -bound, bound);
        };
    }
}
