package org.attnbench.tck;

import java.util.List;
import java.util.function.BiFunction;

import org.attnbench.api.Ops;
import org.attnbench.api.Tensor;

/**
 * One operation of {@link Ops} exercised on small inputs: the kit compares its forward with the reference backend
 * in float64, its float32 forward with that, its gradient with finite differences, and its counted cost with the
 * shape-only backend's.
 *
 * @param name          the Ops method it exercises (the kit checks every method has a case)
 * @param inputs        input shapes and how their values are drawn
 * @param apply         the operation, given the inputs as tensors
 * @param differentiable whether a gradient check applies (false for comparisons, masks and casts)
 */
public record OpCase(String name, String label, List<Input> inputs, BiFunction<Ops, Tensor[], Tensor> apply,
                     boolean differentiable) {

    /** How an input's values are drawn, chosen to keep away from points where the operation is not smooth. */
    public enum Values { NORMAL, POSITIVE, AWAY_FROM_ZERO, MASK, DISTINCT }

    public record Input(int[] shape, Values values) {}

    @Override
    public String toString() {
        return label;
    }
}
