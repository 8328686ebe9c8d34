package org.attnbench.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.attnbench.api.AttentionKernel;
import org.attnbench.api.Backend;
import org.attnbench.api.Backends;
import org.attnbench.api.Cost;
import org.attnbench.api.CostMeter;
import org.attnbench.api.DType;
import org.attnbench.api.Gradients;
import org.attnbench.api.Ops;
import org.attnbench.api.Rng;
import org.attnbench.api.Shapes;
import org.attnbench.api.Tape;
import org.attnbench.api.Tensor;
import org.attnbench.api.UnsupportedProblemException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * What every backend must pass, as one abstract test: a backend's test is a subclass naming the backend. Every
 * operation in {@link OpCatalogue} is run on it and checked against the reference backend in float64, in float32
 * against the same float64 values, its gradient against central finite differences, its counted cost against
 * the shape-only count, and its inputs for being left untouched.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendConformance {
    /** Scaled error allowed between a float64 backend and the float64 reference. */
    protected static final double FLOAT64_TOLERANCE = 1e-10;
    /** Scaled error allowed between a float32 forward and the float64 reference. */
    protected static final double FLOAT32_TOLERANCE = 1e-4;
    /** Scaled error allowed between the tape's gradient and central differences with step 1e-6 in float64. */
    protected static final double GRADIENT_TOLERANCE = 1e-6;

    private Backend backend;
    private Backend reference;
    /** Why the backend cannot run here (no GPU), or null. */
    private String unavailable;

    /** The name of the backend under test, as registered. */
    protected abstract String backendName();

    /** A backend that cannot run here (no GPU) makes every test that needs it a skip carrying the provider's reason. */
    @BeforeAll
    void open() {
        unavailable = Backends.provider(backendName()).unavailableReason();
        if (unavailable == null) backend = SharedBackends.get(backendName());
        reference = SharedBackends.get("reference");
    }

    private void requireBackend() {
        Assumptions.assumeTrue(unavailable == null, () -> "backend " + backendName() + " cannot run here: " + unavailable);
    }

    protected Backend backend() {
        return backend;
    }

    /** Random inputs for a case: the same values for a given case and seed on every backend. */
    static double[][] inputValues(OpCase c, long seed) {
        Rng rng = new Rng(seed).child(c.label());
        double[][] out = new double[c.inputs().size()][];
        for (int i = 0; i < out.length; i++) {
            OpCase.Input in = c.inputs().get(i);
            int size = (int) Shapes.size(in.shape());
            double[] v = rng.normal(size, 1.0);
            for (int k = 0; k < size; k++) {
                v[k] = switch (in.values()) {
                    case NORMAL, DISTINCT -> v[k];
                    case POSITIVE -> 0.2 + Math.abs(v[k]);
                    case AWAY_FROM_ZERO -> Math.signum(v[k]) * (0.2 + Math.abs(v[k]));
                    case MASK -> v[k] > -0.3 ? 1.0 : 0.0;
                };
            }
            out[i] = v;
        }
        return out;
    }

    static Tensor[] upload(Ops ops, OpCase c, double[][] values, boolean requireGrad) {
        Tensor[] t = new Tensor[values.length];
        for (int i = 0; i < values.length; i++) {
            t[i] = ops.constant(values[i], c.inputs().get(i).shape());
            if (requireGrad && c.inputs().get(i).values() != OpCase.Values.MASK) t[i] = ops.requireGrad(t[i]);
        }
        return t;
    }

    private Stream<DynamicTest> eachCase(String prefix, Executable check) {
        return OpCatalogue.all().stream().map(c -> DynamicTest.dynamicTest(prefix + ": " + c.label(), () -> {
            requireBackend();
            try {
                check.run(c);
            } catch (UnsupportedProblemException e) {
                Assumptions.abort(e.getMessage()); // e.g. a fused kernel this backend does not have: skipped, with why
            }
        }));
    }

    @FunctionalInterface
    interface Executable {
        void run(OpCase c) throws Exception;
    }

    private double[] forward(Backend b, DType dtype, OpCase c, double[][] values) {
        Ops ops = Ops.on(b, dtype);
        Tensor out = c.apply().apply(ops, upload(ops, c, values, false));
        return ops.toArray(out);
    }

    @TestFactory
    Stream<DynamicTest> float64ForwardMatchesTheReference() {
        return eachCase("float64 forward", c -> {
            if (!backend.dtypes().contains(DType.FLOAT64)) return;
            double[][] values = inputValues(c, 1);
            Numerics.assertClose(c.label(), forward(backend, DType.FLOAT64, c, values),
                    forward(reference, DType.FLOAT64, c, values), FLOAT64_TOLERANCE);
        });
    }

    @TestFactory
    Stream<DynamicTest> float32ForwardMatchesTheFloat64Reference() {
        return eachCase("float32 forward", c -> {
            if (!backend.dtypes().contains(DType.FLOAT32)) return;
            double[][] values = inputValues(c, 2);
            Numerics.assertClose(c.label(), forward(backend, DType.FLOAT32, c, values),
                    forward(reference, DType.FLOAT64, c, values), FLOAT32_TOLERANCE);
        });
    }

    @TestFactory
    Stream<DynamicTest> gradientsMatchFiniteDifferences() {
        return eachCase("gradient", c -> {
            if (!c.differentiable()) return;
            checkGradient(backend, c, inputValues(c, 3));
        });
    }

    /** Compares the tape's gradient of L = sum(f(x) * R), R fixed and random, with central differences. */
    static void checkGradient(Backend b, OpCase c, double[][] values) {
        DType dtype = b.dtypes().contains(DType.FLOAT64) ? DType.FLOAT64 : DType.FLOAT32;
        double step = dtype == DType.FLOAT64 ? 1e-6 : 1e-2;
        double tol = dtype == DType.FLOAT64 ? GRADIENT_TOLERANCE : 2e-2;
        Ops ops = Ops.on(b, dtype);
        Tensor[] x = upload(ops, c, values, true);
        double[] weights;
        Gradients grads;
        try (Tape tape = ops.startTape()) {
            Tensor y = c.apply().apply(ops, x);
            weights = new Rng(7).normal((int) y.size(), 1.0);
            grads = tape.backward(ops.sumAll(ops.mul(y, ops.constant(weights, y.shape()))));
        }
        for (int i = 0; i < x.length; i++) {
            if (c.inputs().get(i).values() == OpCase.Values.MASK) continue;
            double[] analytic = ops.toArray(grads.of(x[i]));
            double[] numeric = new double[values[i].length];
            for (int k = 0; k < numeric.length; k++) {
                double saved = values[i][k];
                values[i][k] = saved + step;
                double plus = loss(ops, c, values, weights);
                values[i][k] = saved - step;
                double minus = loss(ops, c, values, weights);
                values[i][k] = saved;
                numeric[k] = (plus - minus) / (2 * step);
            }
            Numerics.assertClose(c.label() + ": gradient of input " + i, analytic, numeric, tol);
        }
    }

    private static double loss(Ops ops, OpCase c, double[][] values, double[] weights) {
        return Numerics.dot(ops.toArray(c.apply().apply(ops, upload(ops, c, values, false))), weights);
    }

    @TestFactory
    Stream<DynamicTest> countedCostIsTheSameAsTheShapeOnlyCount() {
        return eachCase("cost", c -> {
            double[][] values = inputValues(c, 4);
            assertEquals(cost(Ops.shapeOnly(DType.FLOAT32), c, values), cost(Ops.on(backend, DType.FLOAT32), c, values), c.label());
        });
    }

    private static Cost cost(Ops ops, OpCase c, double[][] values) {
        Tensor[] x = upload(ops, c, values, false);
        CostMeter meter = ops.startMetering();
        Tensor y = c.apply().apply(ops, x);
        return meter.stop(y);
    }

    @TestFactory
    Stream<DynamicTest> inputsAreLeftUntouched() {
        return eachCase("inputs untouched", c -> {
            double[][] values = inputValues(c, 5);
            Ops ops = Ops.on(backend, DType.FLOAT32);
            Tensor[] x = upload(ops, c, values, true);
            try (Tape tape = ops.startTape()) {
                Tensor y = c.apply().apply(ops, x);
                if (y.tracksGradient()) tape.backward(ops.sumAll(ops.square(y)));
            }
            for (int i = 0; i < x.length; i++) {
                double[] expected = ops.toArray(ops.constant(values[i], c.inputs().get(i).shape()));
                assertArrayEquals(expected, ops.toArray(x[i]), 0.0, c.label() + ": input " + i + " was modified");
            }
        });
    }

    @Test
    void everyPublicOperationHasACase() {
        Set<String> missing = new TreeSet<>();
        Set<String> exempt = Set.of("parameter", "requireGrad", "toArray");
        List<String> covered = OpCatalogue.covered();
        for (Method m : Ops.class.getMethods()) {
            if (m.getDeclaringClass() != Ops.class || Modifier.isStatic(m.getModifiers())) continue;
            if (m.getReturnType() != Tensor.class || exempt.contains(m.getName())) continue;
            if (!covered.contains(m.getName())) missing.add(m.getName());
        }
        assertTrue(missing.isEmpty(), "operations without a conformance case: " + missing);
    }

    /**
     * The fused kernels against their definition written with the unfused operations on the reference backend in
     * float64 (the catalogue's cases compare backends with each other, which would not catch a shared mistake).
     */
    @TestFactory
    Stream<DynamicTest> fusedAttentionIsItsDefinition() {
        AttentionKernel[] kernels = {
                AttentionKernel.softmax(false, -1, 0.4), AttentionKernel.softmax(true, -1, 0.4),
                AttentionKernel.softmax(false, 3, 0.4), AttentionKernel.softmax(true, 3, 0.4),
                AttentionKernel.sigmoid(false, -1, 0.4, -Math.log(13)), AttentionKernel.sigmoid(true, -1, 0.4, -Math.log(13)),
                AttentionKernel.sigmoid(false, 3, 0.4, 0.5), AttentionKernel.sigmoid(true, 3, 0.4, 0.5)};
        return Stream.of(kernels).flatMap(kernel -> Stream.of(DType.FLOAT64, DType.FLOAT32).map(dtype ->
                DynamicTest.dynamicTest(kernel + " " + dtype, () -> {
                    requireBackend();
                    Assumptions.assumeTrue(backend.dtypes().contains(dtype), backend.name() + " has no " + dtype);
                    Assumptions.assumeTrue(backend.fusesAttention(kernel, dtype), backend.name() + " has no fused kernel for "
                            + kernel + " in " + dtype);
                    int[] shape = {2, 3, 13, 5};
                    Rng rng = new Rng(11);
                    double[][] qkv = {rng.normal(390, 1.5), rng.normal(390, 1.5), rng.normal(390, 1.0)};
                    Ops ops = Ops.on(backend, dtype);
                    double[] fused = ops.toArray(ops.fusedAttention(kernel, ops.constant(qkv[0], shape),
                            ops.constant(qkv[1], shape), ops.constant(qkv[2], shape)));
                    Ops ref = Ops.on(reference, DType.FLOAT64);
                    Tensor q = ref.constant(qkv[0], shape), k = ref.constant(qkv[1], shape), v = ref.constant(qkv[2], shape);
                    Tensor logits = ref.mul(ref.matmul(q, false, k, true), kernel.scale());
                    Tensor mask = ref.mask(13, 13, kernel::visible);
                    Tensor w = kernel.weighting() == AttentionKernel.Weighting.SOFTMAX ? ref.softmax(logits, -1, mask)
                            : ref.mul(ref.sigmoid(ref.add(logits, kernel.bias())), mask);
                    Numerics.assertClose(kernel + " " + dtype, fused, ref.toArray(ref.matmul(w, v)),
                            dtype == DType.FLOAT64 ? FLOAT64_TOLERANCE : FLOAT32_TOLERANCE);
                })));
    }

    @Test
    void detachStopsTheGradient() {
        requireBackend();
        DType dtype = backend.dtypes().contains(DType.FLOAT64) ? DType.FLOAT64 : DType.FLOAT32;
        Ops ops = Ops.on(backend, dtype);
        double[] values = {0.5, -1.25, 2.0};
        Tensor x = ops.requireGrad(ops.constant(values, 3));
        Gradients g;
        try (Tape tape = ops.startTape()) {
            // d/dx [detach(x) * x + x] = x + 1: the detached factor counts as a constant.
            g = tape.backward(ops.sumAll(ops.add(ops.mul(ops.detach(x), x), x)));
        }
        assertArrayEquals(new double[] {1.5, -0.25, 3.0}, ops.toArray(g.of(x)), 1e-6);
    }

    @Test
    void float64GradientOfACompositionMatchesFiniteDifferences() {
        requireBackend();
        // A chain like an attention head, so gradients flowing through several operations are checked too.
        OpCase head = new OpCase("composition", "softmax(q k^T / 2) v with a causal mask", List.of(
                new OpCase.Input(new int[] {2, 5, 3}, OpCase.Values.NORMAL),
                new OpCase.Input(new int[] {2, 5, 3}, OpCase.Values.NORMAL),
                new OpCase.Input(new int[] {2, 5, 4}, OpCase.Values.NORMAL)),
                (o, t) -> o.matmul(o.softmax(o.mul(o.matmul(t[0], false, t[1], true), 0.5), -1, o.band(5, 5, -5, 0)), t[2]),
                true);
        checkGradient(backend, head, inputValues(head, 6));
    }
}
