package org.attnbench.tck;

import org.attnbench.api.AttentionKernel;
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
 * A small correct variant and deliberately broken copies of it, each breaking one rule of the kit. They exist only
 * to prove that the kit passes what is right and catches what is wrong; they are not registered.
 */
final class ToyVariants {
    private ToyVariants() {}

    /** Single-head softmax attention of the input with itself, then a learned projection: correct. */
    @VariantInfo(name = "toy", family = "test", paper = "none", summary = "correct toy attention",
            modes = {Mode.CAUSAL, Mode.BIDIRECTIONAL},
            time = @Complexity(exponent = 2, formula = "n^2 d"), memory = @Complexity(exponent = 2, formula = "n^2"))
    static class Toy implements Variant {
        @Override
        public void declare(Problem p, ParameterSpec spec) {
            spec.add("w", Init.xavierUniform(), p.width(), p.width());
        }

        @Override
        public Tensor forward(Ops ops, Problem p, Parameters params, Tensor x) {
            int n = p.length();
            Tensor v = values(ops, params, x);
            Tensor s = ops.mul(ops.matmul(x, false, x, true), 1.0 / Math.sqrt(p.width()));
            Tensor w = p.causal() ? ops.softmax(s, -1, ops.band(n, n, -n, 0)) : ops.softmax(s, -1);
            return ops.matmul(w, v);
        }

        Tensor values(Ops ops, Parameters params, Tensor x) {
            return ops.matmul(x, params.get("w"));
        }
    }

    /** Claims to be causal but never masks the future. */
    @VariantInfo(name = "peeks-at-future", family = "test", paper = "none", summary = "broken: not causal",
            modes = {Mode.CAUSAL}, time = @Complexity(exponent = 2, formula = "n^2 d"), memory = @Complexity(exponent = 2, formula = "n^2"))
    static final class PeeksAtFuture extends Toy {
        @Override
        public Tensor forward(Ops ops, Problem p, Parameters params, Tensor x) {
            return super.forward(ops, p.withMode(Mode.BIDIRECTIONAL), params, x);
        }
    }

    /** Changes its output a little on every call. */
    @VariantInfo(name = "nondeterministic", family = "test", paper = "none", summary = "broken: not deterministic",
            modes = {Mode.BIDIRECTIONAL}, time = @Complexity(exponent = 2, formula = "n^2 d"), memory = @Complexity(exponent = 2, formula = "n^2"))
    static final class Nondeterministic extends Toy {
        private static int calls;

        @Override
        public Tensor forward(Ops ops, Problem p, Parameters params, Tensor x) {
            return ops.add(super.forward(ops, p, params, x), 1e-9 * ++calls);
        }
    }

    /** Lets batch items see each other. */
    @VariantInfo(name = "mixes-batch", family = "test", paper = "none", summary = "broken: mixes batch items",
            modes = {Mode.BIDIRECTIONAL}, time = @Complexity(exponent = 2, formula = "n^2 d"), memory = @Complexity(exponent = 2, formula = "n^2"))
    static final class MixesBatch extends Toy {
        @Override
        public Tensor forward(Ops ops, Problem p, Parameters params, Tensor x) {
            return ops.add(super.forward(ops, p, params, x), ops.mul(ops.mean(x, 0), 0.1));
        }
    }

    /** Declares linear cost but materialises n x n scores. */
    @VariantInfo(name = "under-declared", family = "test", paper = "none", summary = "broken: declares O(n)",
            modes = {Mode.BIDIRECTIONAL}, time = @Complexity(exponent = 1, formula = "n d"), memory = @Complexity(exponent = 1, formula = "n d"))
    static final class UnderDeclared extends Toy {}

    /** Cuts the gradient of the value path, so the tape's gradient is wrong. */
    @VariantInfo(name = "detached-values", family = "test", paper = "none", summary = "broken: gradient cut",
            modes = {Mode.BIDIRECTIONAL}, time = @Complexity(exponent = 2, formula = "n^2 d"), memory = @Complexity(exponent = 2, formula = "n^2"))
    static final class DetachedValues extends Toy {
        @Override
        Tensor values(Ops ops, Parameters params, Tensor x) {
            return ops.detach(super.values(ops, params, x));
        }
    }

    /** Returns half the width. */
    @VariantInfo(name = "wrong-shape", family = "test", paper = "none", summary = "broken: output shape",
            modes = {Mode.BIDIRECTIONAL}, time = @Complexity(exponent = 2, formula = "n^2 d"), memory = @Complexity(exponent = 2, formula = "n^2"))
    static final class WrongShape extends Toy {
        @Override
        public Tensor forward(Ops ops, Problem p, Parameters params, Tensor x) {
            return ops.slice(super.forward(ops, p, params, x), -1, 0, p.width() / 2);
        }
    }

    /** The toy computed by the backend's fused attention kernel (one head): correct where the backend has one. */
    @VariantInfo(name = "toy", impl = "fused", family = "test", paper = "none", summary = "correct toy, fused kernel",
            modes = {Mode.CAUSAL, Mode.BIDIRECTIONAL},
            time = @Complexity(exponent = 2, formula = "n^2 d"), memory = @Complexity(exponent = 1, formula = "n d"))
    static final class Fused extends Toy {
        @Override
        public Tensor forward(Ops ops, Problem p, Parameters params, Tensor x) {
            int b = p.batch(), n = p.length(), d = p.width();
            Tensor heads = ops.reshape(x, b, 1, n, d);
            Tensor v = ops.reshape(values(ops, params, x), b, 1, n, d);
            return ops.reshape(ops.fusedAttention(AttentionKernel.softmax(p.causal(), -1, 1.0 / Math.sqrt(d)), heads, heads, v), b, n, d);
        }
    }

    /** Refuses every problem in its forward (not in check): a broken variant, which the kit must not skip. */
    @VariantInfo(name = "refuses-in-forward", family = "test", paper = "none", summary = "broken: refuses in forward",
            modes = {Mode.BIDIRECTIONAL}, time = @Complexity(exponent = 2, formula = "n^2 d"), memory = @Complexity(exponent = 2, formula = "n^2"))
    static final class RefusesInForward extends Toy {
        @Override
        public Tensor forward(Ops ops, Problem p, Parameters params, Tensor x) {
            throw new UnsupportedProblemException("refuses-in-forward: refuses n = " + p.length());
        }
    }
}
