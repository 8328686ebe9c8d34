package org.attnbench.suites;

import org.attnbench.api.Complexity;
import org.attnbench.api.Init;
import org.attnbench.api.Mode;
import org.attnbench.api.Ops;
import org.attnbench.api.ParameterSpec;
import org.attnbench.api.Parameters;
import org.attnbench.api.Problem;
import org.attnbench.api.Tensor;
import org.attnbench.api.UnsupportedProblemException;
import org.attnbench.api.Variant;
import org.attnbench.api.VariantInfo;

/**
 * A test-only variant with a length constraint: single-head softmax attention inside blocks of 16 tokens. It is
 * registered in the test class path so the sweep's 'unsupported' rows and the kit's search for a supported length
 * are exercised by something real; it passes the conformance kit like any variant.
 */
@VariantInfo(name = "block-local-test", family = "test", paper = "none (test fixture)",
        summary = "softmax attention within blocks of 16 tokens; n must be a multiple of 16",
        modes = {Mode.CAUSAL, Mode.BIDIRECTIONAL},
        time = @Complexity(exponent = 1, formula = "4 n 16 d"), memory = @Complexity(exponent = 1, formula = "n 16"))
public final class BlockLocalAttention implements Variant {
    static final int BLOCK = 16;

    @Override
    public void check(Problem p) {
        if (p.length() % BLOCK != 0) {
            throw new UnsupportedProblemException("block-local-test: n = " + p.length() + " is not a multiple of the block size " + BLOCK);
        }
    }

    @Override
    public void declare(Problem p, ParameterSpec spec) {
        spec.add("w", Init.xavierUniform(), p.width(), p.width());
    }

    @Override
    public Tensor forward(Ops ops, Problem p, Parameters params, Tensor x) {
        int b = p.batch(), blocks = p.length() / BLOCK, d = p.width();
        Tensor xb = ops.reshape(x, b, blocks, BLOCK, d);
        Tensor v = ops.matmul(xb, params.get("w"));
        Tensor s = ops.mul(ops.matmul(xb, false, xb, true), 1.0 / Math.sqrt(d));
        Tensor w = p.causal() ? ops.softmax(s, -1, ops.band(BLOCK, BLOCK, -BLOCK, 0)) : ops.softmax(s, -1);
        return ops.reshape(ops.matmul(w, v), b, p.length(), d);
    }
}
