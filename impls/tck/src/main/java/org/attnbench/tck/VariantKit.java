package org.attnbench.tck;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.attnbench.api.AttentionLayer;
import org.attnbench.api.Backend;
import org.attnbench.api.Complexity;
import org.attnbench.api.Cost;
import org.attnbench.api.CostMeter;
import org.attnbench.api.DType;
import org.attnbench.api.Gradients;
import org.attnbench.api.Mode;
import org.attnbench.api.Ops;
import org.attnbench.api.Parameters;
import org.attnbench.api.Problem;
import org.attnbench.api.Rng;
import org.attnbench.api.Tape;
import org.attnbench.api.Tensor;
import org.attnbench.api.UnsupportedProblemException;
import org.attnbench.api.Variant;
import org.attnbench.api.Variants;

/**
 * The rules every variant must obey, each a method that throws an AssertionError saying what broke. {@link
 * VariantConformance} turns them into tests; the kit's own tests run them on deliberately broken variants.
 */
public final class VariantKit {
    /** Scaled error allowed between two float64 computations that should agree exactly in exact arithmetic. */
    public static final double FLOAT64_TOLERANCE = 1e-10;
    /** Scaled error allowed between a float32 forward and the float64 forward of the same variant. */
    public static final double FLOAT32_TOLERANCE = 1e-4;
    /** Allowed distance between a measured log-log slope of counted cost and the declared exponent. */
    public static final double COMPLEXITY_MARGIN = 0.15;
    /** Lengths the complexity check counts at (shape-only, so any size is instant); the two largest supported are used. */
    public static final int[] COMPLEXITY_LENGTHS = {1024, 2048, 4096, 8192, 16384};
    /** Lengths tried, smallest first, to find a small problem the variant supports. */
    static final int[] SMALL_LENGTHS = {12, 16, 24, 32, 64, 128, 256};

    private VariantKit() {}

    /** The smallest problem of the given size class the variant supports, or an AssertionError saying none is. */
    public static Problem smallProblem(Variant v, Mode mode, int batch, int heads, int headDim) {
        List<String> why = new ArrayList<>();
        for (int n : SMALL_LENGTHS) {
            Problem p = new Problem(batch, n, heads, headDim, mode);
            try {
                Variants.check(v, p);
                return p;
            } catch (UnsupportedProblemException e) {
                why.add(e.getMessage());
            }
        }
        throw new AssertionError(Variants.displayName(v) + " supports none of the small lengths "
                + Arrays.toString(SMALL_LENGTHS) + " in " + mode.id() + " mode: " + why.get(why.size() - 1));
    }

    private static List<Mode> modes(Variant v) {
        return Arrays.asList(v.info().modes());
    }

    private static double[] run(Variant v, Backend b, DType dtype, Problem p, long paramSeed, double[] input) {
        Ops ops = Ops.on(b, dtype);
        AttentionLayer layer = AttentionLayer.create(v, p, ops, new Rng(paramSeed), false);
        return ops.toArray(layer.forward(ops.constant(input, p.inputShape())));
    }

    private static double[] input(Problem p, long seed) {
        return new Rng(seed).normal(p.batch() * p.length() * p.width(), 1.0);
    }

    /** Output has the input's shape and dtype and finite values, in every supported mode and dtype. */
    public static void shapesAndDtypes(Variant v, Backend b) {
        for (Mode mode : modes(v)) {
            Problem p = smallProblem(v, mode, 2, 2, 4);
            for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64)) {
                if (!b.dtypes().contains(dtype)) continue;
                Numerics.assertFinite(Variants.displayName(v) + " " + mode.id() + " " + dtype,
                        run(v, b, dtype, p, 11, input(p, 12)));
            }
        }
    }

    /** The same seed gives bit-identical outputs; a different parameter seed gives different ones. */
    public static void deterministic(Variant v, Backend b) {
        for (Mode mode : modes(v)) {
            Problem p = smallProblem(v, mode, 2, 2, 4);
            double[] x = input(p, 21);
            double[] first = run(v, b, DType.FLOAT64, p, 22, x);
            double[] second = run(v, b, DType.FLOAT64, p, 22, x);
            if (!Arrays.equals(first, second)) {
                throw new AssertionError(Variants.displayName(v) + " " + mode.id()
                        + ": two runs with the same seed differ (scaled error " + Numerics.scaledError(first, second) + ")");
            }
        }
    }

    /** Each batch item's output depends only on that item. */
    public static void batchItemsIndependent(Variant v, Backend b) {
        for (Mode mode : modes(v)) {
            Problem pair = smallProblem(v, mode, 2, 2, 4);
            Problem single = pair.withBatch(1);
            double[] x = input(pair, 31);
            double[] both = run(v, b, DType.FLOAT64, pair, 32, x);
            int item = single.length() * single.width();
            for (int i = 0; i < 2; i++) {
                double[] alone = run(v, b, DType.FLOAT64, single, 32, Arrays.copyOfRange(x, i * item, (i + 1) * item));
                Numerics.assertClose(Variants.displayName(v) + " " + mode.id() + ": batch item " + i
                        + " computed with another item beside it", Arrays.copyOfRange(both, i * item, (i + 1) * item), alone, FLOAT64_TOLERANCE);
            }
        }
    }

    /** In causal mode, changing the tokens after position i never changes the outputs at positions up to i. */
    public static void causal(Variant v, Backend b) {
        if (!modes(v).contains(Mode.CAUSAL)) return;
        Problem p = smallProblem(v, Mode.CAUSAL, 1, 2, 4);
        int n = p.length(), d = p.width();
        double[] x = input(p, 41);
        double[] y = run(v, b, DType.FLOAT64, p, 42, x);
        Rng rng = new Rng(43);
        for (int cut : new int[] {0, n / 3, n / 2, n - 2}) {
            double[] changed = x.clone();
            double[] noise = rng.normal((n - cut - 1) * d, 3.0);
            System.arraycopy(noise, 0, changed, (cut + 1) * d, noise.length);
            double[] y2 = run(v, b, DType.FLOAT64, p, 42, changed);
            Numerics.assertClose(Variants.displayName(v) + ": outputs at positions <= " + cut
                            + " changed when only later tokens changed", Arrays.copyOf(y2, (cut + 1) * d),
                    Arrays.copyOf(y, (cut + 1) * d), FLOAT64_TOLERANCE);
        }
    }

    /**
     * The tape's gradients of L = sum(Y * R) with respect to the input and to every parameter agree with central
     * finite differences in float64, on a sample of coordinates of each tensor.
     */
    public static void gradients(Variant v, Backend b) {
        if (!b.dtypes().contains(DType.FLOAT64)) return;
        for (Mode mode : modes(v)) {
            Problem p = smallProblem(v, mode, 1, 2, 3);
            Ops ops = Ops.on(b, DType.FLOAT64);
            AttentionLayer layer = AttentionLayer.create(v, p, ops, new Rng(51), true);
            double[] x = input(p, 52);
            double[] weights = new Rng(53).normal(x.length, 1.0);
            Map<String, Tensor> leaves = new LinkedHashMap<>();
            leaves.put("input", ops.requireGrad(ops.constant(x, p.inputShape())));
            leaves.putAll(layer.parameters().trainable());
            Gradients grads;
            try (Tape tape = ops.startTape()) {
                Tensor y = layer.forward(leaves.get("input"));
                grads = tape.backward(ops.sumAll(ops.mul(y, ops.constant(weights, y.shape()))));
            }
            Rng pick = new Rng(54);
            for (Map.Entry<String, Tensor> leaf : leaves.entrySet()) {
                double[] analytic = ops.toArray(grads.of(leaf.getValue()));
                int samples = Math.min(analytic.length, 12);
                double[] a = new double[samples], numeric = new double[samples];
                for (int s = 0; s < samples; s++) {
                    int k = analytic.length <= 12 ? s : pick.nextInt(analytic.length);
                    a[s] = analytic[k];
                    numeric[s] = finiteDifference(v, p, ops, layer.parameters(), leaf.getKey(), k, x, weights);
                }
                Numerics.assertClose(Variants.displayName(v) + " " + mode.id() + ": gradient with respect to "
                        + leaf.getKey(), a, numeric, 1e-6);
            }
        }
    }

    private static double finiteDifference(Variant v, Problem p, Ops ops, Parameters params, String leaf, int k,
                                           double[] x, double[] weights) {
        double step = 1e-6;
        double[] values = leaf.equals("input") ? x.clone() : ops.toArray(params.get(leaf));
        double saved = values[k];
        double[] losses = new double[2];
        for (int sign = 0; sign < 2; sign++) {
            values[k] = saved + (sign == 0 ? step : -step);
            Map<String, Tensor> changed = new LinkedHashMap<>(params.all());
            Tensor input = ops.constant(x, p.inputShape());
            if (leaf.equals("input")) {
                input = ops.constant(values, p.inputShape());
            } else {
                changed.put(leaf, ops.constant(values, params.get(leaf).shape()));
            }
            Tensor y = AttentionLayer.withParameters(v, p, ops, new Parameters(changed)).forward(input);
            losses[sign] = Numerics.dot(ops.toArray(y), weights);
        }
        return (losses[0] - losses[1]) / (2 * step);
    }

    /** float32 forward agrees with the float64 forward of the same parameters and input. */
    public static void float32AgreesWithFloat64(Variant v, Backend b) {
        if (!b.dtypes().contains(DType.FLOAT32) || !b.dtypes().contains(DType.FLOAT64)) return;
        for (Mode mode : modes(v)) {
            Problem p = smallProblem(v, mode, 2, 2, 4);
            double[] x = input(p, 61);
            Numerics.assertClose(Variants.displayName(v) + " " + mode.id() + ": float32 against float64",
                    run(v, b, DType.FLOAT32, p, 62, x), run(v, b, DType.FLOAT64, p, 62, x), FLOAT32_TOLERANCE);
        }
    }

    /** The same forward on this backend and on the reference backend agree in float64. */
    public static void agreesWithReference(Variant v, Backend b, Backend reference) {
        DType dtype = b.dtypes().contains(DType.FLOAT64) ? DType.FLOAT64 : DType.FLOAT32;
        double tol = dtype == DType.FLOAT64 ? FLOAT64_TOLERANCE : FLOAT32_TOLERANCE;
        for (Mode mode : modes(v)) {
            Problem p = smallProblem(v, mode, 2, 2, 4);
            double[] x = input(p, 71);
            Numerics.assertClose(Variants.displayName(v) + " " + mode.id() + " on " + b.name() + " against the reference backend",
                    run(v, b, dtype, p, 72, x), run(v, reference, DType.FLOAT64, p, 72, x), tol);
        }
    }

    /** The counted cost of a forward at length n (batch 1, one head of width 8), on the shape-only backend. */
    public static Cost countedCost(Variant v, Mode mode, int n) {
        Problem p = new Problem(1, n, 1, 8, mode);
        Ops ops = Ops.shapeOnly(DType.FLOAT32);
        AttentionLayer layer = AttentionLayer.create(v, p, ops, new Rng(81), false);
        Tensor x = ops.zeros(p.inputShape());
        CostMeter meter = ops.startMetering();
        Tensor y = layer.forward(x);
        return meter.stop(y);
    }

    /**
     * The exponent of n in counted work and peak live memory: the least-squares slope of log cost against log n
     * over every supported length from n1 to n2. A fit over all of them, not the last two, so that options that
     * round with n (a span that is the power of two nearest sqrt(n)) do not make one step look steeper.
     */
    public record Slopes(int n1, int n2, double time, double memory) {}

    public static Slopes countedSlopes(Variant v, Mode mode) {
        List<Integer> ok = new ArrayList<>();
        for (int n : COMPLEXITY_LENGTHS) {
            try {
                Variants.check(v, new Problem(1, n, 1, 8, mode));
                ok.add(n);
            } catch (UnsupportedProblemException e) {
                // not every variant takes every length; those it takes are used
            }
        }
        if (ok.size() < 2) {
            throw new AssertionError(Variants.displayName(v) + " supports fewer than two of the lengths "
                    + Arrays.toString(COMPLEXITY_LENGTHS) + ", so its complexity cannot be checked");
        }
        long[] work = new long[ok.size()], peak = new long[ok.size()];
        for (int i = 0; i < ok.size(); i++) {
            Cost c = countedCost(v, mode, ok.get(i));
            work[i] = c.work();
            peak[i] = c.peakLiveBytes();
        }
        return new Slopes(ok.get(0), ok.get(ok.size() - 1), slope(ok, work, v.info().time()),
                slope(ok, peak, v.info().memory()));
    }

    /** Least-squares log-log slope, with the declared power of log n divided out so it compares with the exponent. */
    private static double slope(List<Integer> lengths, long[] y, Complexity declared) {
        int m = lengths.size();
        double[] lx = new double[m], ly = new double[m];
        double mx = 0, my = 0;
        for (int i = 0; i < m; i++) {
            double n = lengths.get(i);
            lx[i] = Math.log(n);
            ly[i] = Math.log(y[i]) - declared.logPower() * Math.log(Math.log(n));
            mx += lx[i] / m;
            my += ly[i] / m;
        }
        double sxy = 0, sxx = 0;
        for (int i = 0; i < m; i++) {
            sxy += (lx[i] - mx) * (ly[i] - my);
            sxx += (lx[i] - mx) * (lx[i] - mx);
        }
        return sxy / sxx;
    }

    /** The counted work and peak live memory grow with n as the variant declares, within the stated margin. */
    public static void declaredComplexity(Variant v) {
        for (Mode mode : modes(v)) {
            Slopes s = countedSlopes(v, mode);
            check(v, mode, "time", s.time(), v.info().time(), s);
            check(v, mode, "memory", s.memory(), v.info().memory(), s);
        }
    }

    private static void check(Variant v, Mode mode, String what, double measured, Complexity declared, Slopes s) {
        double exponent = Variants.exponent(declared, mode);
        if (Math.abs(measured - exponent) > COMPLEXITY_MARGIN) {
            throw new AssertionError(String.format("%s %s: counted %s grows as n^%.3f fitted over n = %d to %d, "
                            + "but n^%s is declared (%s); allowed margin %.2f", Variants.displayName(v), mode.id(), what,
                    measured, s.n1(), s.n2(), exponent, declared.formula(), COMPLEXITY_MARGIN));
        }
    }
}
