package org.attnbench.suites.accuracy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.attnbench.api.Init;
import org.attnbench.api.Ops;
import org.attnbench.api.ParameterSpec;
import org.attnbench.api.Parameters;
import org.attnbench.api.Problem;
import org.attnbench.api.Rng;
import org.attnbench.api.Tensor;
import org.attnbench.api.Variant;
import org.attnbench.api.VariantInfo;
import org.attnbench.api.Variants;
import org.attnbench.datasets.Example;
import org.attnbench.datasets.Task;

/**
 * The model every variant is trained in: token embedding, fixed sinusoidal positions added unless the variant
 * carries position itself, L pre-norm blocks x + mixer(LN(x)), x + FF(LN(x)) with FF = W2 GELU(W1 x + b1) + b2 of
 * width 4d, a final norm and a linear head. A variant that replaces the feed-forward (persistent memory) gets no
 * FF sublayer; one that is a whole block (gMLP's) is applied as it is. A sequence task's head reads the mean over
 * positions; a per-token task's head reads every scored position.
 *
 * Parameter values live on the host in float64 (see {@link AdamW}); each step uploads them as leaves of the tape.
 */
final class TaskModel {
    private final Variant variant;
    private final VariantInfo info;
    private final Task task;
    private final Problem problem;
    private final int layers;
    private final boolean positions;
    private final Map<String, double[]> values = new LinkedHashMap<>();
    private final Map<String, int[]> shapes = new LinkedHashMap<>();
    private final Set<String> decayed = new HashSet<>();
    /** Fixed buffers of the mixers (DFT matrices): uploaded once, never trained. */
    private final Map<String, Tensor> constants = new LinkedHashMap<>();
    private final List<Set<String>> mixerConstantNames = new ArrayList<>();
    private Tensor position;

    TaskModel(Ops ops, Variant variant, Task task, Problem problem, int layers, Rng rng) {
        this.variant = variant;
        this.info = variant.info();
        this.task = task;
        this.problem = problem;
        this.layers = layers;
        this.positions = !info.encodesPosition();
        Variants.check(variant, problem);
        int d = problem.width();
        add("embed", Init.normal(1.0), rng, task.vocabulary(), d);
        // Fixed sinusoidal positions (Vaswani et al. 2017): an offset is a linear map of them, so attending to a
        // neighbour, which recall needs, does not wait for a position table to be learned (previous-token copying
        // at n = 32 reached a loss of 0.01 nats by step 200).
        if (positions) position = ops.constant(sinusoids(task.length(), d), task.length(), d);
        for (int l = 0; l < layers; l++) {
            String b = "block" + l + ".";
            if (!info.block()) {
                add(b + "ln1.gain", Init.ones(), rng, d);
                add(b + "ln1.bias", Init.zeros(), rng, d);
            }
            ParameterSpec spec = new ParameterSpec();
            variant.declare(problem, spec);
            Set<String> fixed = new HashSet<>();
            for (ParameterSpec.Entry e : spec.entries()) {
                String name = b + "mixer." + e.name();
                if (e.trainable()) {
                    add(name, e.init(), rng, e.shape());
                } else {
                    fixed.add(e.name());
                    constants.put(name, ops.constant(e.init().values(e.shape(), rng.child(name)), e.shape()));
                }
            }
            mixerConstantNames.add(fixed);
            if (info.feedForward() && !info.block()) {
                add(b + "ln2.gain", Init.ones(), rng, d);
                add(b + "ln2.bias", Init.zeros(), rng, d);
                add(b + "ff.w1", Init.xavierUniform(), rng, d, 4 * d);
                add(b + "ff.b1", Init.zeros(), rng, 4 * d);
                add(b + "ff.w2", Init.xavierUniform(), rng, 4 * d, d);
                add(b + "ff.b2", Init.zeros(), rng, d);
            }
        }
        add("ln.gain", Init.ones(), rng, d);
        add("ln.bias", Init.zeros(), rng, d);
        add("head.w", Init.xavierUniform(), rng, d, task.classes());
        add("head.b", Init.zeros(), rng, task.classes());
    }

    /** PE[t, 2i] = sin(t / 10000^(2i/d)), PE[t, 2i + 1] = cos(t / 10000^(2i/d)). */
    static double[] sinusoids(int n, int d) {
        double[] pe = new double[n * d];
        for (int t = 0; t < n; t++) {
            for (int i = 0; i < d; i += 2) {
                double angle = t / Math.pow(10000, i / (double) d);
                pe[t * d + i] = Math.sin(angle);
                if (i + 1 < d) pe[t * d + i + 1] = Math.cos(angle);
            }
        }
        return pe;
    }

    private void add(String name, Init init, Rng rng, int... shape) {
        values.put(name, init.values(shape, rng.child(name)));
        shapes.put(name, shape.clone());
        if (shape.length >= 2) decayed.add(name);
    }

    /** Whether sinusoidal positions are added to the embeddings (the variant carries none itself). */
    boolean addsPositions() {
        return positions;
    }

    Map<String, double[]> values() {
        return values;
    }

    Set<String> decayed() {
        return decayed;
    }

    long parameterCount() {
        return values.values().stream().mapToLong(v -> v.length).sum();
    }

    /** Uploads the parameters; as tape leaves when training. */
    Map<String, Tensor> upload(Ops ops, boolean trainable) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        values.forEach((name, v) -> {
            Tensor t = ops.constant(v, shapes.get(name));
            out.put(name, trainable ? ops.requireGrad(t) : t);
        });
        return out;
    }

    /** The logits of the scored targets, [scored, classes], for a batch of examples; targets receives their ids. */
    Tensor logits(Ops ops, Map<String, Tensor> p, List<Example> batch, List<Integer> targets) {
        int b = batch.size(), n = task.length(), d = problem.width();
        Problem shape = problem.withBatch(b);
        int[] tokens = new int[b * n];
        for (int i = 0; i < b; i++) System.arraycopy(batch.get(i).tokens(), 0, tokens, i * n, n);
        Tensor x = ops.gather(p.get("embed"), 0, tokens, b, n);
        if (positions) x = ops.add(x, position);
        for (int l = 0; l < layers; l++) {
            String pre = "block" + l + ".";
            Parameters mixer = mixerParameters(p, pre, mixerConstantNames.get(l));
            if (info.block()) {
                x = variant.forward(ops, shape, mixer, x);
                continue;
            }
            Tensor h = ops.layerNorm(x, p.get(pre + "ln1.gain"), p.get(pre + "ln1.bias"), 1e-5);
            x = ops.add(x, variant.forward(ops, shape, mixer, h));
            if (info.feedForward()) {
                h = ops.layerNorm(x, p.get(pre + "ln2.gain"), p.get(pre + "ln2.bias"), 1e-5);
                h = ops.gelu(ops.add(ops.matmul(h, p.get(pre + "ff.w1")), p.get(pre + "ff.b1")));
                x = ops.add(x, ops.add(ops.matmul(h, p.get(pre + "ff.w2")), p.get(pre + "ff.b2")));
            }
        }
        x = ops.layerNorm(x, p.get("ln.gain"), p.get("ln.bias"), 1e-5);
        if (task.kind() == Task.Kind.SEQUENCE) {
            for (Example e : batch) targets.add(e.targets()[0]);
            Tensor pooled = ops.reshape(ops.mean(x, 1), b, d);
            return ops.add(ops.matmul(pooled, p.get("head.w")), p.get("head.b"));
        }
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            int[] t = batch.get(i).targets();
            for (int j = 0; j < n; j++) {
                if (t[j] != Example.IGNORE) {
                    rows.add(i * n + j);
                    targets.add(t[j]);
                }
            }
        }
        Tensor scored = ops.gather(ops.reshape(x, b * n, d), 0, rows.stream().mapToInt(Integer::intValue).toArray());
        return ops.add(ops.matmul(scored, p.get("head.w")), p.get("head.b"));
    }

    private Parameters mixerParameters(Map<String, Tensor> p, String block, Set<String> fixed) {
        String prefix = block + "mixer.";
        Map<String, Tensor> own = new LinkedHashMap<>();
        p.forEach((name, t) -> {
            if (name.startsWith(prefix)) own.put(name.substring(prefix.length()), t);
        });
        for (String c : fixed) own.put(c, constants.get(prefix + c));
        return new Parameters(own, fixed);
    }
}
