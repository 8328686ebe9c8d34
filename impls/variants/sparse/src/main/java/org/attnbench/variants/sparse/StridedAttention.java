package org.attnbench.variants.sparse;

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
 * The strided pattern of the Sparse Transformer (Child et al. 2019) as one merged head: query i sees the l keys
 * before it ({i - j < l}; bidirectional |i - j| < l) and every l-th key ({(i - j) mod l = 0}), with one softmax over
 * the union. The local part is computed in blocks of l, the strided part as attention within each residue class
 * mod l (the sequence read as an n/l x l grid, column by column). With l ~ sqrt(n): O(n sqrt(n) d) time and
 * O(h n sqrt(n)) memory.
 */
@VariantInfo(name = "strided", family = "sparse",
        paper = "Child et al. 2019, Generating Long Sequences with Sparse Transformers, arXiv:1904.10509",
        summary = "softmax over the last l keys and every l-th key (merged strided head)",
        modes = {Mode.CAUSAL, Mode.BIDIRECTIONAL},
        time = @Complexity(exponent = 1.5, formula = "8 n d^2 + 4 n (3 l + n / l) d, l = sqrt(n)"),
        memory = @Complexity(exponent = 1.5, formula = "h n (3 l + n / l)"),
        options = @Option(name = "stride", summary = "l; sqrt means ceil(sqrt(n))", defaultValue = "sqrt",
                keywords = "sqrt", min = 1))
public final class StridedAttention extends SparseAttention {

    public StridedAttention() {
        this(null);
    }

    public StridedAttention(Options options) {
        super(options);
    }

    int stride(int n) {
        return options().is("stride", "sqrt") ? ceilSqrt(n) : Math.min(options().integer("stride"), n);
    }

    @Override
    public boolean allowed(Problem p, int i, int j) {
        int l = stride(p.length());
        if (p.causal() && j > i) return false;
        return Math.abs(i - j) < l || Math.floorMod(i - j, l) == 0;
    }

    @Override
    protected Tensor attend(Ops ops, Problem p, Tensor q, Tensor k, Tensor v) {
        int n = p.length(), l = stride(n), rows = (n + l - 1) / l, m = rows * l;
        int b = q.dim(0), h = q.dim(1), dh = q.dim(3);
        q = BlockSparse.padTo(ops, q, m);
        k = BlockSparse.padTo(ops, k, m);
        v = BlockSparse.padTo(ops, v, m);
        boolean ahead = !p.causal();
        int[][] keyBlocks = new int[rows][ahead ? 3 : 2];
        for (int r = 0; r < rows; r++) {
            keyBlocks[r][0] = r - 1;
            keyBlocks[r][1] = r;
            if (ahead) keyBlocks[r][2] = r + 1 < rows ? r + 1 : -1;
        }
        BlockSparse.Group local = BlockSparse.blocks(ops, q, k, v, l, 0, keyBlocks,
                (i, j) -> i < n && j < n && (!p.causal() || j <= i) && Math.abs(i - j) < l);

        // Residue class c holds positions c, c + l, c + 2l, ...: [b, h, m] -> [b, h, l, rows].
        Tensor qc = ops.permute(ops.reshape(q, b, h, rows, l, dh), 0, 1, 3, 2, 4);
        Tensor kc = ops.permute(ops.reshape(k, b, h, rows, l, dh), 0, 1, 3, 2, 4);
        Tensor vc = ops.permute(ops.reshape(v, b, h, rows, l, dh), 0, 1, 3, 2, 4);
        Tensor logits = ops.reshape(ops.permute(ops.matmul(qc, false, kc, true), 0, 1, 3, 2, 4), b, h, m, rows);
        Tensor mask = ops.mask(m, rows, (i, r) -> {
            int j = r * l + i % l;
            return i < n && j < n && j != i && (!p.causal() || j < i); // j == i is in the local part already
        });
        BlockSparse.Group strided = new BlockSparse.Group(logits, mask, w -> {
            Tensor perClass = ops.permute(ops.reshape(w, b, h, rows, l, rows), 0, 1, 3, 2, 4);
            return ops.reshape(ops.permute(ops.matmul(perClass, vc), 0, 1, 3, 2, 4), b, h, m, dh);
        });
        Tensor out = BlockSparse.attend(ops, List.of(local, strided));
        return m == n ? out : ops.slice(out, 2, 0, n);
    }
}
