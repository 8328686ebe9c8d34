package org.attnbench.api;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reverse-mode automatic differentiation. While a tape is open ({@link Ops#startTape()}), every operation whose
 * inputs track gradients records a node holding the inputs and a function from the output's gradient to the
 * inputs' gradients. {@link #backward} walks those nodes in reverse order of creation. Gradients are computed
 * with the same operations, so they run on any backend and are counted by the meter like the forward.
 */
public final class Tape implements AutoCloseable {

    /** Maps the gradient of an operation's output to the gradients of its inputs (null where none is needed). */
    @FunctionalInterface
    interface Backward {
        Tensor[] apply(Tensor gradOutput);
    }

    static final class Node {
        final long id;
        final String op;
        final Tensor[] inputs;
        final Backward backward;
        Tensor output;

        Node(long id, String op, Tensor[] inputs, Backward backward) {
            this.id = id;
            this.op = op;
            this.inputs = inputs;
            this.backward = backward;
        }
    }

    private final Ops ops;
    private long nextId;

    Tape(Ops ops) {
        this.ops = ops;
    }

    Node node(String op, Tensor[] inputs, Backward backward) {
        return new Node(nextId++, op, inputs, backward);
    }

    /**
     * Gradients of a one-element tensor with respect to every leaf that requires them and that it depends on.
     * Intermediate gradients are dropped as soon as they have been passed on.
     */
    public Gradients backward(Tensor loss) {
        if (loss.size() != 1) {
            throw new ShapeException("backward: the loss must have one element, got shape " + Shapes.toString(loss.shape()));
        }
        if (!loss.tracksGradient()) {
            throw new IllegalStateException("backward: the loss does not depend on any tensor that requires a gradient");
        }
        List<Node> order = reachable(loss);
        order.sort(Comparator.comparingLong((Node n) -> n.id).reversed());
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        Map<Tensor, Tensor> leafGrads = new IdentityHashMap<>();
        boolean wasRecording = ops.pauseTape();
        try {
            accumulate(loss.requiresGrad ? leafGrads : grads, loss, ops.full(1.0, loss.shape()));
            for (Node node : order) {
                Tensor g = grads.remove(node.output);
                if (g == null) continue;
                Tensor[] inputGrads = node.backward.apply(g);
                for (int i = 0; i < node.inputs.length; i++) {
                    Tensor in = node.inputs[i];
                    if (inputGrads[i] == null || !in.tracksGradient()) continue;
                    if (!in.sameShape(inputGrads[i].shape())) {
                        throw new IllegalStateException("backward of " + node.op + " gave a gradient of shape "
                                + Shapes.toString(inputGrads[i].shape()) + " for an input of shape " + Shapes.toString(in.shape()));
                    }
                    accumulate(in.requiresGrad ? leafGrads : grads, in, inputGrads[i]);
                }
            }
        } finally {
            ops.resumeTape(wasRecording);
        }
        return new Gradients(ops, leafGrads);
    }

    private void accumulate(Map<Tensor, Tensor> grads, Tensor t, Tensor g) {
        Tensor old = grads.get(t);
        grads.put(t, old == null ? g : ops.add(old, g));
    }

    private static List<Node> reachable(Tensor loss) {
        List<Node> out = new ArrayList<>();
        Map<Node, Boolean> seen = new IdentityHashMap<>();
        Deque<Tensor> stack = new ArrayDeque<>();
        stack.push(loss);
        while (!stack.isEmpty()) {
            Tensor t = stack.pop();
            Node n = t.node;
            if (n == null || seen.put(n, Boolean.TRUE) != null) continue;
            out.add(n);
            for (Tensor in : n.inputs) {
                if (in.node != null) stack.push(in);
            }
        }
        return out;
    }

    /** Stops recording; tensors made afterwards do not track gradients. */
    @Override
    public void close() {
        ops.endTape(this);
    }
}
