package org.attnbench.variants.sparse;

import java.util.List;

import org.attnbench.api.Ops;
import org.attnbench.api.Options;
import org.attnbench.api.Problem;
import org.attnbench.api.Tensor;

/**
 * Attention to the keys with lower <= j - i <= upper: blocks of at least the band's width, each query block against
 * its own and neighbouring key blocks, so work and memory are O(n * width).
 */
abstract class BandAttention extends SparseAttention {
    private static final int MIN_BLOCK = 32; // smaller blocks make many tiny products without saving much work

    protected BandAttention(Options options) {
        super(options);
    }

    /** Smallest allowed j - i (<= 0). */
    protected abstract int lower(Problem p);

    /** Largest allowed j - i (>= 0). */
    protected abstract int upper(Problem p);

    @Override
    public boolean allowed(Problem p, int i, int j) {
        int lo = lower(p), hi = p.causal() ? 0 : upper(p);
        return j - i >= lo && j - i <= hi;
    }

    @Override
    protected Tensor attend(Ops ops, Problem p, Tensor q, Tensor k, Tensor v) {
        int n = p.length();
        int reach = Math.max(-lower(p), p.causal() ? 0 : upper(p));
        int block = Math.min(Math.max(reach, MIN_BLOCK), n);
        int nb = (n + block - 1) / block, m = nb * block;
        boolean ahead = !p.causal() && upper(p) > 0;
        int[][] keyBlocks = new int[nb][ahead ? 3 : 2];
        for (int qb = 0; qb < nb; qb++) {
            keyBlocks[qb][0] = qb - 1; // -1 when there is none
            keyBlocks[qb][1] = qb;
            if (ahead) keyBlocks[qb][2] = qb + 1 < nb ? qb + 1 : -1;
        }
        BlockSparse.Group g = BlockSparse.blocks(ops, BlockSparse.padTo(ops, q, m), BlockSparse.padTo(ops, k, m),
                BlockSparse.padTo(ops, v, m), block, 0, keyBlocks, (i, j) -> i < n && j < n && allowed(p, i, j));
        Tensor out = BlockSparse.attend(ops, List.of(g));
        return m == n ? out : ops.slice(out, 2, 0, n);
    }
}
