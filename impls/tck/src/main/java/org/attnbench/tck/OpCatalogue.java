package org.attnbench.tck;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import org.attnbench.api.AttentionKernel;
import org.attnbench.api.Ops;
import org.attnbench.api.Tensor;
import org.attnbench.tck.OpCase.Input;
import org.attnbench.tck.OpCase.Values;

/**
 * Every operation of {@link Ops} on small, awkward inputs: odd sizes, broadcasting, transposes, views as
 * inputs. {@link BackendConformance} runs each case on a backend; {@link #covered()} lets it check that no public
 * operation is missing.
 */
public final class OpCatalogue {
    private OpCatalogue() {}

    private static Input in(Values v, int... shape) {
        return new Input(shape, v);
    }

    private static Input n(int... shape) {
        return in(Values.NORMAL, shape);
    }

    private static OpCase c(String name, String label, BiFunction<Ops, Tensor[], Tensor> f, Input... inputs) {
        return new OpCase(name, name + " " + label, List.of(inputs), f, true);
    }

    private static OpCase forwardOnly(String name, String label, BiFunction<Ops, Tensor[], Tensor> f, Input... inputs) {
        return new OpCase(name, name + " " + label, List.of(inputs), f, false);
    }

    public static List<OpCase> all() {
        List<OpCase> cs = new ArrayList<>();
        // matrix products: plain, transposed, batched, broadcast weights, views as operands
        cs.add(c("matmul", "[3,4]x[4,5]", (o, t) -> o.matmul(t[0], t[1]), n(3, 4), n(4, 5)));
        cs.add(c("matmul", "[4,3]^T x[4,5]", (o, t) -> o.matmul(t[0], true, t[1], false), n(4, 3), n(4, 5)));
        cs.add(c("matmul", "[3,4]x[5,4]^T", (o, t) -> o.matmul(t[0], false, t[1], true), n(3, 4), n(5, 4)));
        cs.add(c("matmul", "[2,4,3]^T x[2,5,4]^T", (o, t) -> o.matmul(t[0], true, t[1], true), n(2, 4, 3), n(2, 5, 4)));
        cs.add(c("matmul", "[2,2,3,4]x[2,2,5,4]^T", (o, t) -> o.matmul(t[0], false, t[1], true), n(2, 2, 3, 4), n(2, 2, 5, 4)));
        cs.add(c("matmul", "[2,3,4]x[4,5] (broadcast weight)", (o, t) -> o.matmul(t[0], t[1]), n(2, 3, 4), n(4, 5)));
        cs.add(c("matmul", "[3,4]x[2,4,5] (broadcast left)", (o, t) -> o.matmul(t[0], t[1]), n(3, 4), n(2, 4, 5)));
        cs.add(c("matmul", "[2,1,3,4]x[1,3,4,2] (broadcast batch)", (o, t) -> o.matmul(t[0], t[1]), n(2, 1, 3, 4), n(1, 3, 4, 2)));
        cs.add(c("matmul", "permuted view operands", (o, t) -> o.matmul(o.permute(t[0], 0, 2, 1, 3), o.transpose(o.permute(t[1], 0, 2, 1, 3), -1, -2)),
                n(1, 5, 2, 3), n(1, 4, 2, 3)));
        // elementwise with broadcasting
        cs.add(c("add", "[2,3,4]+[3,1]", (o, t) -> o.add(t[0], t[1]), n(2, 3, 4), n(3, 1)));
        cs.add(c("sub", "[3,1]-[2,1,4]", (o, t) -> o.sub(t[0], t[1]), n(3, 1), n(2, 1, 4)));
        cs.add(c("mul", "[2,3,4]*[4]", (o, t) -> o.mul(t[0], t[1]), n(2, 3, 4), n(4)));
        cs.add(c("div", "[2,3]/[2,1]", (o, t) -> o.div(t[0], t[1]), n(2, 3), in(Values.AWAY_FROM_ZERO, 2, 1)));
        cs.add(c("maximum", "[3,4] vs [4]", (o, t) -> o.maximum(t[0], t[1]), in(Values.DISTINCT, 3, 4), in(Values.DISTINCT, 4)));
        cs.add(c("minimum", "[3,4] vs [3,1]", (o, t) -> o.minimum(t[0], t[1]), in(Values.DISTINCT, 3, 4), in(Values.DISTINCT, 3, 1)));
        cs.add(forwardOnly("greater", "[3,4] vs [4]", (o, t) -> o.greater(t[0], t[1]), in(Values.DISTINCT, 3, 4), in(Values.DISTINCT, 4)));
        cs.add(forwardOnly("equal", "[3,4] vs itself sliced", (o, t) -> o.equal(t[0], o.add(o.mul(t[0], 0.0), o.slice(t[0], 0, 1, 2))),
                n(3, 4)));
        cs.add(c("where", "mask [3,1] over [3,4] and [4]", (o, t) -> o.where(t[0], t[1], t[2]), in(Values.MASK, 3, 1), n(3, 4), n(4)));
        // scalars
        cs.add(c("add", "scalar", (o, t) -> o.add(t[0], 0.75), n(3, 4)));
        cs.add(c("mul", "scalar", (o, t) -> o.mul(t[0], -1.5), n(3, 4)));
        cs.add(c("pow", "scalar 1.7", (o, t) -> o.pow(t[0], 1.7), in(Values.POSITIVE, 3, 4)));
        cs.add(c("maximum", "scalar", (o, t) -> o.maximum(t[0], 0.2), in(Values.DISTINCT, 3, 4)));
        cs.add(c("minimum", "scalar", (o, t) -> o.minimum(t[0], -0.1), in(Values.DISTINCT, 3, 4)));
        // unary
        cs.add(c("neg", "[2,3,4]", (o, t) -> o.neg(t[0]), n(2, 3, 4)));
        cs.add(c("exp", "[2,3,4]", (o, t) -> o.exp(t[0]), n(2, 3, 4)));
        cs.add(c("log", "[2,3,4]", (o, t) -> o.log(t[0]), in(Values.POSITIVE, 2, 3, 4)));
        cs.add(c("sigmoid", "[2,3,4]", (o, t) -> o.sigmoid(t[0]), n(2, 3, 4)));
        cs.add(c("tanh", "[2,3,4]", (o, t) -> o.tanh(t[0]), n(2, 3, 4)));
        cs.add(c("gelu", "[2,3,4]", (o, t) -> o.gelu(t[0]), n(2, 3, 4)));
        cs.add(c("relu", "[2,3,4]", (o, t) -> o.relu(t[0]), in(Values.AWAY_FROM_ZERO, 2, 3, 4)));
        cs.add(c("sqrt", "[2,3,4]", (o, t) -> o.sqrt(t[0]), in(Values.POSITIVE, 2, 3, 4)));
        cs.add(c("reciprocal", "[2,3,4]", (o, t) -> o.reciprocal(t[0]), in(Values.AWAY_FROM_ZERO, 2, 3, 4)));
        cs.add(c("square", "[2,3,4]", (o, t) -> o.square(t[0]), n(2, 3, 4)));
        cs.add(c("abs", "[2,3,4]", (o, t) -> o.abs(t[0]), in(Values.AWAY_FROM_ZERO, 2, 3, 4)));
        // reductions and scans
        cs.add(c("sum", "axis 0 of [2,3,4]", (o, t) -> o.sum(t[0], 0), n(2, 3, 4)));
        cs.add(c("sum", "axis -1 of a permuted view", (o, t) -> o.sum(o.permute(t[0], 2, 0, 1), -1), n(2, 3, 4)));
        cs.add(c("mean", "axis 1 of [2,3,4]", (o, t) -> o.mean(t[0], 1), n(2, 3, 4)));
        cs.add(c("max", "axis 2 of [2,3,4]", (o, t) -> o.max(t[0], 2), in(Values.DISTINCT, 2, 3, 4)));
        cs.add(c("max", "axis 0 of [3,5]", (o, t) -> o.max(t[0], 0), in(Values.DISTINCT, 3, 5)));
        cs.add(c("sumAll", "[2,3,4]", (o, t) -> o.sumAll(t[0]), n(2, 3, 4)));
        cs.add(c("meanAll", "[2,3,4]", (o, t) -> o.meanAll(t[0]), n(2, 3, 4)));
        cs.add(c("sumTo", "[2,3,4] to [3,1]", (o, t) -> o.sumTo(t[0], new int[] {3, 1}), n(2, 3, 4)));
        cs.add(c("cumsum", "axis 1 of [2,5,3]", (o, t) -> o.cumsum(t[0], 1), n(2, 5, 3)));
        cs.add(c("cumsumReverse", "axis -1 of [2,3,5]", (o, t) -> o.cumsumReverse(t[0], -1), n(2, 3, 5)));
        cs.add(c("decayScan", "axis 1 of [2,6,3]", (o, t) -> o.decayScan(t[0], t[1], 1), in(Values.POSITIVE, 2, 6, 3), n(2, 6, 3)));
        cs.add(c("decayScan", "axis -1 of [3,7]", (o, t) -> o.decayScan(t[0], t[1], -1), in(Values.POSITIVE, 3, 7), n(3, 7)));
        cs.add(c("decayScanReverse", "axis 0 of [5,4]", (o, t) -> o.decayScanReverse(t[0], t[1], 0), in(Values.POSITIVE, 5, 4), n(5, 4)));
        cs.add(c("cummax", "axis 1 of [2,6,3]", (o, t) -> o.cummax(t[0], 1), in(Values.DISTINCT, 2, 6, 3)));
        cs.add(c("cummax", "axis -1 of [3,7]", (o, t) -> o.cummax(t[0], -1), in(Values.DISTINCT, 3, 7)));
        // normalisation
        cs.add(c("softmax", "axis -1 of [2,3,5]", (o, t) -> o.softmax(t[0], -1), n(2, 3, 5)));
        cs.add(c("softmax", "axis 1 of [2,4,3]", (o, t) -> o.softmax(t[0], 1), n(2, 4, 3)));
        cs.add(c("softmax", "causal mask [4,4] over [2,4,4]", (o, t) -> o.softmax(t[0], -1, o.band(4, 4, -4, 0)), n(2, 4, 4)));
        cs.add(c("softmax", "mask with a fully masked row", (o, t) -> o.softmax(t[0], -1,
                o.mask(3, 5, (i, j) -> i != 1 && (i + j) % 3 != 0)), n(2, 3, 5)));
        cs.add(c("softmax", "random mask [2,1,4,6] over [2,3,4,6]", (o, t) -> o.softmax(t[0], -1, t[1]), n(2, 3, 4, 6), in(Values.MASK, 2, 1, 4, 6)));
        cs.add(c("logSoftmax", "axis -1 of [3,6]", (o, t) -> o.logSoftmax(t[0], -1), n(3, 6)));
        cs.add(c("layerNorm", "[2,3,6] with scale and shift", (o, t) -> o.layerNorm(t[0], t[1], t[2], 1e-5), n(2, 3, 6), n(6), n(6)));
        cs.add(c("layerNorm", "[4,5] plain", (o, t) -> o.layerNorm(t[0], null, null, 1e-5), n(4, 5)));
        cs.add(c("crossEntropy", "[4,5]", (o, t) -> o.crossEntropy(t[0], new int[] {0, 4, 2, 2}), n(4, 5)));
        // layout
        cs.add(c("reshape", "[2,3,4] to [4,-1]", (o, t) -> o.reshape(t[0], 4, -1), n(2, 3, 4)));
        cs.add(c("reshape", "of a permuted view", (o, t) -> o.reshape(o.permute(t[0], 1, 0, 2), 3, 8), n(2, 3, 4)));
        cs.add(c("permute", "[2,3,4] by (2,0,1)", (o, t) -> o.permute(t[0], 2, 0, 1), n(2, 3, 4)));
        cs.add(c("transpose", "[2,3,4] axes 0,2", (o, t) -> o.transpose(t[0], 0, 2), n(2, 3, 4)));
        cs.add(c("slice", "axis 1 [1,3) of [2,4,3]", (o, t) -> o.slice(t[0], 1, 1, 3), n(2, 4, 3)));
        cs.add(c("slice", "axis -1 of a transposed view", (o, t) -> o.slice(o.transpose(t[0], 0, 1), -1, 2, 5), n(5, 3)));
        cs.add(c("concat", "three along axis 1", (o, t) -> o.concat(1, t[0], t[1], t[2]), n(2, 1, 3), n(2, 4, 3), n(2, 2, 3)));
        cs.add(c("concat", "along the last axis", (o, t) -> o.concat(-1, t[0], t[1]), n(3, 2), n(3, 5)));
        cs.add(c("pad", "axis 1 by (2,1) with 0.5", (o, t) -> o.pad(t[0], 1, 2, 1, 0.5), n(2, 3, 2)));
        cs.add(c("broadcastTo", "[3,1] to [2,3,4]", (o, t) -> o.broadcastTo(t[0], 2, 3, 4), n(3, 1)));
        cs.add(c("gather", "axis 0 with repeats", (o, t) -> o.gather(t[0], 0, new int[] {3, 0, 3, 1, 3, 2}, 2, 3), n(4, 5)));
        cs.add(c("gather", "axis 1 of [2,5,3]", (o, t) -> o.gather(t[0], 1, new int[] {4, 4, 0}), n(2, 5, 3)));
        // fused attention: a backend without a kernel for a case skips it (BackendConformance), never computes it otherwise
        cs.add(c("fusedAttention", "softmax bidirectional [1,2,5,3]", (o, t) -> o.fusedAttention(
                AttentionKernel.softmax(false, -1, 0.7), t[0], t[1], t[2]), n(1, 2, 5, 3), n(1, 2, 5, 3), n(1, 2, 5, 3)));
        cs.add(c("fusedAttention", "softmax causal [2,1,6,4]", (o, t) -> o.fusedAttention(
                AttentionKernel.softmax(true, -1, 0.5), t[0], t[1], t[2]), n(2, 1, 6, 4), n(2, 1, 6, 4), n(2, 1, 6, 4)));
        cs.add(c("fusedAttention", "softmax window 2 [1,2,7,3]", (o, t) -> o.fusedAttention(
                AttentionKernel.softmax(false, 2, 0.6), t[0], t[1], t[2]), n(1, 2, 7, 3), n(1, 2, 7, 3), n(1, 2, 7, 3)));
        cs.add(c("fusedAttention", "softmax causal window 1 [1,1,6,2]", (o, t) -> o.fusedAttention(
                AttentionKernel.softmax(true, 1, 1.0), t[0], t[1], t[2]), n(1, 1, 6, 2), n(1, 1, 6, 2), n(1, 1, 6, 2)));
        cs.add(c("fusedAttention", "sigmoid bidirectional bias -log n [1,2,5,3]", (o, t) -> o.fusedAttention(
                AttentionKernel.sigmoid(false, -1, 0.7, -Math.log(5)), t[0], t[1], t[2]), n(1, 2, 5, 3), n(1, 2, 5, 3), n(1, 2, 5, 3)));
        cs.add(c("fusedAttention", "sigmoid causal [2,1,6,4]", (o, t) -> o.fusedAttention(
                AttentionKernel.sigmoid(true, -1, 0.5, -1.0), t[0], t[1], t[2]), n(2, 1, 6, 4), n(2, 1, 6, 4), n(2, 1, 6, 4)));
        cs.add(c("fusedAttention", "sigmoid window 2 [1,1,7,3]", (o, t) -> o.fusedAttention(
                AttentionKernel.sigmoid(false, 2, 0.6, 0.3), t[0], t[1], t[2]), n(1, 1, 7, 3), n(1, 1, 7, 3), n(1, 1, 7, 3)));
        // Fourier
        cs.add(c("fft2Real", "[2,5,6]", (o, t) -> o.fft2Real(t[0]), n(2, 5, 6)));
        cs.add(c("fft2Imag", "[2,5,6]", (o, t) -> o.fft2Imag(t[0]), n(2, 5, 6)));
        cs.add(c("fft2Real", "[8,4] powers of two", (o, t) -> o.fft2Real(t[0]), n(8, 4)));
        cs.add(c("fft2Imag", "[1,7,3] odd sizes", (o, t) -> o.fft2Imag(t[0]), n(1, 7, 3)));
        // creation, gradient stops, casts
        cs.add(forwardOnly("band", "window 1 on [4,6]", (o, t) -> o.band(4, 6, -1, 1)));
        cs.add(forwardOnly("mask", "checkerboard [3,4]", (o, t) -> o.mask(3, 4, (i, j) -> (i + j) % 2 == 0)));
        cs.add(forwardOnly("full", "[2,3]", (o, t) -> o.full(2.5, 2, 3)));
        cs.add(forwardOnly("zeros", "[2,3]", (o, t) -> o.zeros(2, 3)));
        cs.add(forwardOnly("ones", "[2,3]", (o, t) -> o.ones(2, 3)));
        cs.add(forwardOnly("constant", "[2,2]", (o, t) -> o.constant(new double[] {1, -2, 3.5, 4}, 2, 2)));
        cs.add(forwardOnly("cast", "to float32 and back", (o, t) -> o.cast(o.cast(t[0], org.attnbench.api.DType.FLOAT32), o.dtype()), n(2, 3)));
        // detach's gradient is checked on its own (BackendConformance.detachStopsTheGradient): by design it is not
        // what finite differences see.
        cs.add(forwardOnly("detach", "[2,3]", (o, t) -> o.detach(t[0]), n(2, 3)));
        return cs;
    }

    /** The names of the Ops methods that have at least one case. */
    public static List<String> covered() {
        return all().stream().map(OpCase::name).distinct().toList();
    }
}
