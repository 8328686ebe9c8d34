package org.attnbench.suites.timing;

import org.attnbench.api.AttentionLayer;
import org.attnbench.api.Backend;
import org.attnbench.api.Backends;
import org.attnbench.api.DType;
import org.attnbench.api.Mode;
import org.attnbench.api.Ops;
import org.attnbench.api.Problem;
import org.attnbench.api.Rng;
import org.attnbench.api.Tape;
import org.attnbench.api.Tensor;
import org.attnbench.api.Variants;

/**
 * One attention configuration ready to be called: the layer with its parameters and an input, built once. The
 * JMH benchmark times {@link #call()}; the cost probe runs the same call on the shape-only backend, so what is
 * counted is exactly what is timed.
 */
public final class TimedCall {
    private final Ops ops;
    private final AttentionLayer layer;
    private final Tensor input;
    private final Pass pass;

    private TimedCall(Ops ops, AttentionLayer layer, Tensor input, Pass pass) {
        this.ops = ops;
        this.layer = layer;
        this.input = input;
        this.pass = pass;
    }

    public static TimedCall prepare(Ops ops, String variant, Problem problem, Pass pass, long seed) {
        boolean training = pass == Pass.FORWARD_BACKWARD;
        AttentionLayer layer = AttentionLayer.create(Variants.get(variant), problem, ops, new Rng(seed), training);
        Tensor x = layer.randomInput(new Rng(seed).child("input"));
        return new TimedCall(ops, layer, training ? ops.requireGrad(x) : x, pass);
    }

    public static TimedCall prepare(String backend, DType dtype, String variant, Problem problem, Pass pass, long seed) {
        return prepare(Ops.on(open(backend), dtype), variant, problem, pass, seed);
    }

    /** The backend a benchmark in this process measures on, kept so the memory profiler can ask it for device peaks. */
    private static volatile Backend measured;

    /** Opens a backend for a benchmark of this process. */
    public static Backend open(String backend) {
        Backend b = Backends.open(backend);
        measured = b;
        return b;
    }

    /** The device peaks of the backend this process measures on, or null (none opened, or host memory). */
    public static Backend.DevicePeaks devicePeaks() {
        Backend b = measured;
        return b == null ? null : b.devicePeaks();
    }

    public static Problem problem(int batch, int length, int heads, int headDim, String mode) {
        return new Problem(batch, length, heads, headDim, Mode.parse(mode));
    }

    /**
     * The timed work, inside the backend's call scope (so memory is reused from call to call, as a caching allocator
     * does). Returns the output (forward) or the input's gradient (training step) for the blackhole only: its data
     * may be reused by the next call.
     */
    public Tensor call() {
        try (Backend.CallScope scope = ops.backend().callScope()) {
            if (pass == Pass.FORWARD) return layer.forward(input);
            try (Tape tape = ops.startTape()) {
                Tensor loss = ops.sumAll(layer.forward(input));
                return tape.backward(loss).of(input);
            }
        }
    }

    public Ops ops() {
        return ops;
    }

    public AttentionLayer layer() {
        return layer;
    }
}
