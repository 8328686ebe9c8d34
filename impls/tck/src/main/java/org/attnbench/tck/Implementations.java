package org.attnbench.tck;

import java.util.LinkedHashMap;
import java.util.Map;

import org.attnbench.api.AttentionLayer;
import org.attnbench.api.Backend;
import org.attnbench.api.DType;
import org.attnbench.api.Ops;
import org.attnbench.api.Parameters;
import org.attnbench.api.Problem;
import org.attnbench.api.Rng;
import org.attnbench.api.Tensor;
import org.attnbench.api.Variant;
import org.attnbench.api.Variants;

/**
 * Two implementations of one variant (dense and dense:fused) compute the same function: on the same parameters and
 * input, within float64 rounding in float64, and in float32 no worse than twice the reference implementation's own
 * float32 error against float64 (the rule variants.md states for fused kernels).
 */
public final class Implementations {
    private Implementations() {}

    /** Checks both dtypes the backend has; float32 is compared with the reference implementation's float64 output. */
    public static void assertSameFunction(Variant impl, Variant reference, String backend, Problem p, long seed) {
        Backend b = SharedBackends.get(backend);
        String what = Variants.displayName(impl) + " against " + Variants.displayName(reference) + " on " + backend + " " + p;
        Ops ops64 = Ops.on(b, DType.FLOAT64);
        AttentionLayer layer = AttentionLayer.create(reference, p, ops64, new Rng(seed), false);
        Map<String, double[]> params = new LinkedHashMap<>();
        layer.parameters().all().forEach((name, t) -> params.put(name, ops64.toArray(t)));
        double[] x = new Rng(seed + 1).normal(p.batch() * p.length() * p.width(), 1.0);
        double[] exact = run(reference, b, DType.FLOAT64, p, params, x);
        if (b.dtypes().contains(DType.FLOAT64)) {
            Numerics.assertClose(what + " in float64", run(impl, b, DType.FLOAT64, p, params, x), exact, VariantKit.FLOAT64_TOLERANCE);
        }
        if (b.dtypes().contains(DType.FLOAT32)) {
            double own = Numerics.scaledError(run(reference, b, DType.FLOAT32, p, params, x), exact);
            double error = Numerics.scaledError(run(impl, b, DType.FLOAT32, p, params, x), exact);
            if (!(error <= Math.max(2 * own, 1e-6) && error <= VariantKit.FLOAT32_TOLERANCE)) {
                throw new AssertionError(String.format("%s in float32: scaled error %.3g against float64, the reference "
                        + "implementation's float32 error is %.3g (allowed: twice that, at most %.1g)", what, error, own,
                        VariantKit.FLOAT32_TOLERANCE));
            }
        }
    }

    private static double[] run(Variant v, Backend b, DType dtype, Problem p, Map<String, double[]> params, double[] x) {
        Ops ops = Ops.on(b, dtype);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        AttentionLayer shapes = AttentionLayer.create(v, p, Ops.shapeOnly(dtype), new Rng(0), false);
        shapes.parameters().all().forEach((name, t) -> {
            double[] given = params.get(name);
            if (given == null) {
                throw new AssertionError(Variants.displayName(v) + " declares a parameter '" + name + "' its reference implementation lacks");
            }
            tensors.put(name, ops.constant(given, t.shape()));
        });
        AttentionLayer layer = AttentionLayer.withParameters(v, p, ops, new Parameters(tensors));
        return ops.toArray(layer.forward(ops.constant(x, p.inputShape())));
    }
}
