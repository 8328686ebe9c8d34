package org.attnbench.variants.sparse;

import java.util.ArrayList;
import java.util.List;

import org.attnbench.api.Complexity;
import org.attnbench.api.Mode;
import org.attnbench.api.Option;
import org.attnbench.api.Options;
import org.attnbench.api.Problem;
import org.attnbench.api.Ops;
import org.attnbench.api.Tensor;
import org.attnbench.api.VariantInfo;

/**
 * The fixed pattern of the Sparse Transformer (Child et al. 2019) as one merged head: query i sees its own block of
 * l positions ({floor(j/l) = floor(i/l)}) and the c "summary" positions at the end of every block
 * ({j mod l >= l - c}), with one softmax over the union (causal: j <= i). The own block is one batched product per
 * block; the summary columns are gathered once and shared by every query. With l ~ sqrt(n):
 * O(n (l + c n / l) d) = O(n sqrt(n) d) time and O(h n sqrt(n)) memory.
 */
@VariantInfo(name = "fixed", family = "sparse",
        paper = "Child et al. 2019, Generating Long Sequences with Sparse Transformers, arXiv:1904.10509",
        summary = "softmax over the query's own block and the last c positions of every block (merged fixed head)",
        modes = {Mode.CAUSAL, Mode.BIDIRECTIONAL},
        time = @Complexity(exponent = 1.5, formula = "8 n d^2 + 4 n (l + c n / l) d, l = sqrt(n)"),
        memory = @Complexity(exponent = 1.5, formula = "h n (l + c n / l)"),
        options = {
            @Option(name = "stride", summary = "l, the block length; sqrt means ceil(sqrt(n))", defaultValue = "sqrt",
                    keywords = "sqrt", min = 1),
            @Option(name = "summary", summary = "c, summary positions at the end of each block", defaultValue = "8",
                    min = 1)})
public final class FixedAttention extends SparseAttention {

    public FixedAttention() {
        this(null);
    }

    public FixedAttention(Options options) {
        super(options);
    }

    int stride(int n) {
        return options().is("stride", "sqrt") ? ceilSqrt(n) : Math.min(options().integer("stride"), n);
    }

    private boolean summary(int j, int l) {
        return j % l >= l - Math.min(options().integer("summary"), l);
    }

    @Override
    public boolean allowed(Problem p, int i, int j) {
        int l = stride(p.length());
        if (p.causal() && j > i) return false;
        return i / l == j / l || summary(j, l);
    }

    @Override
    protected Tensor attend(Ops ops, Problem p, Tensor q, Tensor k, Tensor v) {
        int n = p.length(), l = stride(n), blocks = (n + l - 1) / l, m = blocks * l;
        q = BlockSparse.padTo(ops, q, m);
        k = BlockSparse.padTo(ops, k, m);
        v = BlockSparse.padTo(ops, v, m);
        int[][] own = new int[blocks][1];
        for (int r = 0; r < blocks; r++) own[r][0] = r;
        BlockSparse.Group local = BlockSparse.blocks(ops, q, k, v, l, 0, own,
                (i, j) -> i < n && j < n && (!p.causal() || j <= i));

        List<Integer> columns = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            if (summary(j, l)) columns.add(j);
        }
        int[] index = columns.stream().mapToInt(Integer::intValue).toArray();
        if (index.length == 0) {
            Tensor out = BlockSparse.attend(ops, List.of(local));
            return m == n ? out : ops.slice(out, 2, 0, n);
        }
        Tensor mask = ops.mask(m, index.length, (i, c) -> {
            int j = index[c];
            return i < n && i / l != j / l && (!p.causal() || j <= i); // the own block is in the local part
        });
        BlockSparse.Group summaries = BlockSparse.columns(ops, q, ops.gather(k, 2, index), ops.gather(v, 2, index), mask);
        Tensor out = BlockSparse.attend(ops, List.of(local, summaries));
        return m == n ? out : ops.slice(out, 2, 0, n);
    }
}
