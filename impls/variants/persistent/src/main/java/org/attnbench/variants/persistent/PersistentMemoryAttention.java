package org.attnbench.variants.persistent;

import org.attnbench.api.Complexity;
import org.attnbench.api.ConfigurableVariant;
import org.attnbench.api.Heads;
import org.attnbench.api.Init;
import org.attnbench.api.Mode;
import org.attnbench.api.Ops;
import org.attnbench.api.Option;
import org.attnbench.api.Options;
import org.attnbench.api.ParameterSpec;
import org.attnbench.api.Parameters;
import org.attnbench.api.Problem;
import org.attnbench.api.Tensor;
import org.attnbench.api.VariantInfo;

/**
 * The all-attention layer of Sukhbaatar et al. 2019: each head owns N learned persistent key and value vectors that
 * join the context in one softmax, so query i weighs the context keys it may see (causal: j <= i) and the N
 * persistent keys together; the output mixes context and persistent values. In the paper's block this layer
 * replaces the feed-forward sublayer (with N = 4d the parameters and FLOPs match it). With N = 0 it is dense
 * attention. Cost 8 n d^2 + 4 n (n + N) d time and h n (n + N) memory.
 *
 * <p>Initialisation and rescaling follow the authors' code (facebookresearch/adaptive-span, persistent_memory.py):
 * the stored keys are drawn from N(0, 1/dh) and the stored values from N(0, 1/N), and the forward multiplies them by
 * sqrt(dh) and sqrt(N), so the vectors the softmax sees, Kp = sqrt(dh) Kp' and Vp = sqrt(N) Vp', start with unit
 * variance while the stored parameters (and so the optimiser's steps) stay small. This is a reparameterisation: the
 * layer is dense attention over [K; Kp] and [V; Vp] with the rescaled vectors.
 */
@VariantInfo(name = "persistent-memory", family = "dense",
        paper = "Sukhbaatar et al. 2019, Augmenting Self-attention with Persistent Memory, arXiv:1907.01470",
        summary = "softmax attention over the context joined with N learned key/value vectors per head",
        modes = {Mode.CAUSAL, Mode.BIDIRECTIONAL},
        time = @Complexity(exponent = 2, formula = "8 n d^2 + 4 n (n + N) d"),
        memory = @Complexity(exponent = 2, formula = "h n (n + N)"),
        feedForward = false,
        options = @Option(name = "memory", summary = "N, persistent vectors per head", defaultValue = "64"))
public final class PersistentMemoryAttention extends ConfigurableVariant {
    private final int memory;

    public PersistentMemoryAttention() {
        this(null);
    }

    public PersistentMemoryAttention(Options options) {
        super(options);
        this.memory = options().integer("memory");
    }

    @Override
    public void declare(Problem p, ParameterSpec spec) {
        Heads.declareProjections(p, spec);
        if (memory == 0) return;
        spec.add("memory-keys", Init.normal(1 / Math.sqrt(p.headDim())), p.heads(), memory, p.headDim());
        spec.add("memory-values", Init.normal(1 / Math.sqrt(memory)), p.heads(), memory, p.headDim());
    }

    @Override
    public Tensor forward(Ops ops, Problem p, Parameters params, Tensor x) {
        int n = p.length();
        Heads.Projected qkv = Heads.project(ops, p, params, x);
        Tensor context = ops.matmul(qkv.q(), false, qkv.k(), true); // [b, h, n, n]
        if (memory == 0) {
            Tensor w = p.causal() ? ops.softmax(context, -1, ops.band(n, n, -n, 0)) : ops.softmax(context, -1);
            return Heads.output(ops, params, ops.matmul(w, qkv.v()));
        }
        Tensor keys = ops.mul(params.get("memory-keys"), Math.sqrt(p.headDim())); // [h, N, dh], rescaled
        Tensor values = ops.mul(params.get("memory-values"), Math.sqrt(memory)); // [h, N, dh], rescaled
        Tensor persistent = ops.matmul(qkv.q(), false, keys, true); // [b, h, n, N]
        Tensor logits = ops.concat(-1, context, persistent);
        // The causal mask covers the context columns only: persistent vectors are visible from every position.
        Tensor w = p.causal()
                ? ops.softmax(logits, -1, ops.concat(-1, ops.band(n, n, -n, 0), ops.ones(n, memory)))
                : ops.softmax(logits, -1);
        Tensor fromContext = ops.matmul(ops.slice(w, -1, 0, n), qkv.v());
        Tensor fromMemory = ops.matmul(ops.slice(w, -1, n, n + memory), values);
        return Heads.output(ops, params, ops.add(fromContext, fromMemory));
    }
}
