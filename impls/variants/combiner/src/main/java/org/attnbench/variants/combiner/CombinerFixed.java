package org.attnbench.variants.combiner;

import org.attnbench.api.Complexity;
import org.attnbench.api.Mode;
import org.attnbench.api.Ops;
import org.attnbench.api.Option;
import org.attnbench.api.Options;
import org.attnbench.api.Problem;
import org.attnbench.api.Tensor;
import org.attnbench.api.VariantInfo;

/**
 * Combiner-Fixed (Ren et al. 2021): the sequence is cut into n/s spans. A query scores the keys of its own span
 * directly (causal: those up to itself); every other span it may see (causal: the earlier ones) is one summary with
 * key = pooled keys of the span and value = softmax(q_r K_r^T / sqrt(dh)) V_r, q_r the span's pooled query. One
 * softmax over both. Bidirectional: the query's own span is not also a summary (the public code double-counts it).
 * With s = 1 or s = n it is dense attention. Cost O(n (s + n/s) d), O(n sqrt(n) d) at s = sqrt(n).
 */
@VariantInfo(name = "combiner-fixed", family = "combiner",
        paper = "Ren et al. 2021, Combiner: Full Attention Transformer with Sparse Computation Cost, NeurIPS",
        summary = "direct attention within the span plus one pooled summary per other span, in one softmax",
        modes = {Mode.CAUSAL, Mode.BIDIRECTIONAL},
        time = @Complexity(exponent = 1.5, formula = "8 n d^2 + 4 n (s + n/s) d, s = sqrt(n)"),
        memory = @Complexity(exponent = 1.5, formula = "h n (s + n/s)"),
        options = {
            @Option(name = "span", summary = "s, dividing n; sqrt means the divisor of n nearest sqrt(n)",
                    defaultValue = "sqrt", keywords = "sqrt", min = 1),
            @Option(name = "pool", summary = "how a span's keys and queries are summarised", defaultValue = "max",
                    choices = {"max", "mean"})})
public final class CombinerFixed extends CombinerAttention {

    public CombinerFixed() {
        this(null);
    }

    public CombinerFixed(Options options) {
        super(options);
    }

    @Override
    public void check(Problem p) {
        checkSpan("span", "span", p);
    }

    @Override
    protected Tensor attend(Ops ops, Problem p, Tensor q, Tensor k, Tensor v) {
        int n = p.length(), s = span("span", n), spans = n / s;
        int b = q.dim(0), h = q.dim(1), dh = q.dim(3);
        boolean causal = p.causal();
        Tensor qs = ops.reshape(q, b, h, spans, s, dh);
        Tensor ks = ops.reshape(k, b, h, spans, s, dh);
        Tensor vs = ops.reshape(v, b, h, spans, s, dh);

        // Direct: each query against the keys of its own span.
        Tensor direct = ops.reshape(ops.matmul(qs, false, ks, true), b, h, n, s);
        Tensor directMask = ops.mask(n, s, (i, c) -> !causal || c <= i % s);

        // Summaries: one key and one value per span, from its pooled keys and pooled query.
        Tensor summaryKeys = ops.reshape(pool(ops, ks, 3), b, h, spans, dh);
        Tensor local = ops.softmax(ops.matmul(pool(ops, qs, 3), false, ks, true), -1); // [b, h, spans, 1, s]
        Tensor summaryValues = ops.reshape(ops.matmul(local, vs), b, h, spans, dh);
        Tensor summary = ops.matmul(q, false, summaryKeys, true); // [b, h, n, spans]
        Tensor summaryMask = ops.mask(n, spans, (i, r) -> causal ? r < i / s : r != i / s);

        Tensor[] w = jointSoftmax(ops, direct, directMask, summary, summaryMask);
        Tensor fromDirect = ops.reshape(ops.matmul(ops.reshape(w[0], b, h, spans, s, s), vs), b, h, n, dh);
        return ops.add(fromDirect, ops.matmul(w[1], summaryValues));
    }
}
