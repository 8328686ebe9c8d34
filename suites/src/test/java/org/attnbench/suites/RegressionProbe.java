package org.attnbench.suites;

import org.attnbench.api.Complexity;
import org.attnbench.api.Mode;
import org.attnbench.api.Ops;
import org.attnbench.api.ParameterSpec;
import org.attnbench.api.Parameters;
import org.attnbench.api.Problem;
import org.attnbench.api.Tensor;
import org.attnbench.api.Variant;
import org.attnbench.api.VariantInfo;
import org.attnbench.api.Variants;

/**
 * A test-only variant that can be made worse on purpose, as a code change would: dense attention computed
 * {@value #REPEATS} times over (real work, proportional to the real work), and holding {@value #EXTRA} extra float32
 * values alive for the whole call (exactly 4 bytes each more peak live memory). With neither property set it is dense
 * attention and passes the kit like any variant. The sweep hands attnbench.* properties on to its measuring JVMs, so
 * setting them in the test's JVM changes what the forks measure.
 */
@VariantInfo(name = "regression-probe-test", family = "test", paper = "none (test fixture)",
        summary = "dense attention, repeated attnbench.test.probe-repeats times, with attnbench.test.probe-extra-floats more live floats",
        modes = {Mode.CAUSAL, Mode.BIDIRECTIONAL},
        time = @Complexity(exponent = 2, formula = "repeats (8 n d^2 + 4 n^2 d)"), memory = @Complexity(exponent = 2, formula = "h n^2"))
public final class RegressionProbe implements Variant {
    static final String REPEATS = "attnbench.test.probe-repeats";
    static final String EXTRA = "attnbench.test.probe-extra-floats";

    private Variant dense; // looked up once, outside the timed calls that follow

    private Variant dense() {
        if (dense == null) dense = Variants.get("dense");
        return dense;
    }

    @Override
    public void declare(Problem p, ParameterSpec spec) {
        dense().declare(p, spec);
    }

    @Override
    public Tensor forward(Ops ops, Problem p, Parameters params, Tensor x) {
        int extra = Integer.getInteger(EXTRA, 0);
        Tensor pad = extra > 0 ? ops.zeros(extra) : null; // alive until its last use below, so through the whole call
        Tensor y = null;
        for (int i = 0, repeats = Integer.getInteger(REPEATS, 1); i < repeats; i++) y = dense().forward(ops, p, params, x);
        return pad == null ? y : ops.add(y, ops.sumAll(pad));
    }
}
