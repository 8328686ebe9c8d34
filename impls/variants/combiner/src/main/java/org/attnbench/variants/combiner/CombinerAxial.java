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
 * Combiner-Axial (Ren et al. 2021): the sequence is read as a grid of n/C rows of C. A query at (row r, column c)
 * scores the keys of its own row directly (causal: columns up to c); each column c' of the other rows (causal: the
 * rows above r) is one region, summarised by the pooled keys and by a local attention of the pooled query over
 * that part of the column. One softmax over the C direct and C summary logits. Together the direct part and the
 * regions cover every key the query may see, so it is a full-attention factorisation. With C = sqrt(n):
 * O(n sqrt(n) d) time and O(h n sqrt(n)) memory.
 */
@VariantInfo(name = "combiner-axial", family = "combiner",
        paper = "Ren et al. 2021, Combiner: Full Attention Transformer with Sparse Computation Cost, NeurIPS",
        summary = "direct attention within the grid row plus one summary per column of the other rows, in one softmax",
        modes = {Mode.CAUSAL, Mode.BIDIRECTIONAL},
        time = @Complexity(exponent = 1.5, formula = "8 n d^2 + 4 n (2 C + n/C) d, C = sqrt(n)"),
        memory = @Complexity(exponent = 1.5, formula = "h n (2 C + n/C)"),
        options = {
            @Option(name = "row", summary = "C, the row length, dividing n; sqrt means the divisor of n nearest sqrt(n)",
                    defaultValue = "sqrt", keywords = "sqrt", min = 1),
            @Option(name = "pool", summary = "how a region's keys and queries are summarised", defaultValue = "max",
                    choices = {"max", "mean"})})
public final class CombinerAxial extends CombinerAttention {

    public CombinerAxial() {
        this(null);
    }

    public CombinerAxial(Options options) {
        super(options);
    }

    @Override
    public void check(Problem p) {
        checkSpan("row", "row length", p);
    }

    @Override
    protected Tensor attend(Ops ops, Problem p, Tensor q, Tensor k, Tensor v) {
        int n = p.length(), cols = span("row", n), rows = n / cols;
        int b = q.dim(0), h = q.dim(1), dh = q.dim(3);
        boolean causal = p.causal();
        Tensor qg = ops.reshape(q, b, h, rows, cols, dh);
        Tensor kg = ops.reshape(k, b, h, rows, cols, dh);
        Tensor vg = ops.reshape(v, b, h, rows, cols, dh);

        Tensor direct = ops.reshape(ops.matmul(qg, false, kg, true), b, h, n, cols);
        Tensor directMask = ops.mask(n, cols, (i, c) -> !causal || c <= i % cols);

        // Column views [b, h, column, row, dh]; region (c', r) is column c' without row r (causal: above row r).
        Tensor kc = ops.permute(kg, 0, 1, 3, 2, 4);
        Tensor vc = ops.permute(vg, 0, 1, 3, 2, 4);
        Tensor qc = ops.permute(qg, 0, 1, 3, 2, 4);
        Tensor regionKeys = regionPool(ops, kc, rows, causal);
        Tensor regionQueries = regionPool(ops, qc, rows, causal);
        Tensor inRegion = ops.mask(rows, rows, (r, r2) -> causal ? r2 < r : r2 != r);
        Tensor local = ops.softmax(ops.matmul(regionQueries, false, kc, true), -1, inRegion); // [b, h, C, R, R]
        Tensor regionValues = ops.permute(ops.matmul(local, vc), 0, 1, 3, 2, 4);             // [b, h, R, C', dh]

        Tensor summary = ops.reshape(ops.matmul(qg, false, ops.permute(regionKeys, 0, 1, 3, 2, 4), true), b, h, n, cols);
        Tensor summaryMask = ops.mask(n, cols, (i, c) -> causal ? i / cols >= 1 : rows >= 2); // empty regions drop out

        Tensor[] w = jointSoftmax(ops, direct, directMask, summary, summaryMask);
        Tensor fromDirect = ops.matmul(ops.reshape(w[0], b, h, rows, cols, cols), vg);
        Tensor fromRegions = ops.matmul(ops.reshape(w[1], b, h, rows, cols, cols), regionValues);
        return ops.reshape(ops.add(fromDirect, fromRegions), b, h, n, dh);
    }

    /** Pooling of t [b, h, C, R, dh] over each region: rows above r (causal) or all rows but r; empty regions give 0. */
    private Tensor regionPool(Ops ops, Tensor t, int rows, boolean causal) {
        boolean max = options().is("pool", "max");
        if (causal) {
            Tensor upTo = max ? ops.cummax(t, 3) : ops.cumsum(t, 3);
            Tensor above = ops.slice(ops.pad(upTo, 3, 1, 0, 0.0), 3, 0, rows);
            if (max) return above;
            double[] inverseCount = new double[rows];
            for (int r = 0; r < rows; r++) inverseCount[r] = 1.0 / Math.max(r, 1);
            return ops.mul(above, ops.constant(inverseCount, rows, 1));
        }
        if (rows == 1) return ops.mul(t, 0.0); // no other rows: the summaries are masked out
        if (!max) return ops.mul(ops.sub(ops.sum(t, 3), t), 1.0 / (rows - 1));
        int[] reversed = new int[rows];
        for (int r = 0; r < rows; r++) reversed[r] = rows - 1 - r;
        Tensor above = ops.slice(ops.pad(ops.cummax(t, 3), 3, 1, 0, 0.0), 3, 0, rows);
        Tensor belowReversed = ops.cummax(ops.gather(t, 3, reversed), 3);
        Tensor below = ops.slice(ops.pad(ops.gather(belowReversed, 3, reversed), 3, 0, 1, 0.0), 3, 1, rows + 1);
        double[] first = new double[rows], last = new double[rows];
        first[0] = 1;
        last[rows - 1] = 1;
        Tensor both = ops.maximum(above, below);
        return ops.where(ops.constant(first, rows, 1), below, ops.where(ops.constant(last, rows, 1), above, both));
    }
}
