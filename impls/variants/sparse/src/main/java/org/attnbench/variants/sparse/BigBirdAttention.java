package org.attnbench.variants.sparse;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.attnbench.api.Complexity;
import org.attnbench.api.Mode;
import org.attnbench.api.Option;
import org.attnbench.api.Options;
import org.attnbench.api.Problem;
import org.attnbench.api.Ops;
import org.attnbench.api.Rng;
import org.attnbench.api.Tensor;
import org.attnbench.api.UnsupportedProblemException;
import org.attnbench.api.VariantInfo;

/**
 * BigBird-ITC (Zaheer et al. 2020): the sequence is cut into blocks of b; a query block sees its three neighbouring
 * blocks, r random blocks (seeded) and the global blocks (the first and the last); the global blocks see everything
 * (causal: only what is before them). Always computed block-sparsely, at every length: unlike some public code there
 * is no switch to dense attention for short sequences. Cost O(n (5 + r) b d) time and O(h n (5 + r) b) memory.
 */
@VariantInfo(name = "bigbird", family = "sparse",
        paper = "Zaheer et al. 2020, Big Bird: Transformers for Longer Sequences, NeurIPS",
        summary = "block-sparse softmax attention: window, random and global blocks (ITC)",
        modes = {Mode.CAUSAL, Mode.BIDIRECTIONAL},
        time = @Complexity(exponent = 1, formula = "8 n d^2 + 4 n (5 + r) b d + 8 b n d"),
        memory = @Complexity(exponent = 1, formula = "h n (5 + r) b"),
        options = {
            @Option(name = "block", summary = "b, the block length; n must be a multiple of it", defaultValue = "64", min = 1),
            @Option(name = "random", summary = "r, random blocks per query block", defaultValue = "3"),
            @Option(name = "seed", summary = "seed of the random blocks", defaultValue = "0")})
public final class BigBirdAttention extends SparseAttention {
    private final int block;
    private final int random;
    private final long seed;

    public BigBirdAttention() {
        this(null);
    }

    public BigBirdAttention(Options options) {
        super(options);
        this.block = options().integer("block");
        this.random = options().integer("random");
        this.seed = options().integer("seed");
    }

    @Override
    public void check(Problem p) {
        if (p.length() % block != 0) {
            throw new UnsupportedProblemException("bigbird: length " + p.length() + " is not a multiple of the block size "
                    + block + " (option block)");
        }
    }

    private static boolean global(int blockIndex, int blocks) {
        return blockIndex == 0 || blockIndex == blocks - 1;
    }

    /** The key blocks of each query block: window, global, then random ones, each once. */
    List<Set<Integer>> keyBlocks(Problem p) {
        int blocks = p.length() / block;
        Rng rng = new Rng(seed).child("bigbird n=" + p.length() + " b=" + block + " " + p.mode().id());
        List<Set<Integer>> out = new ArrayList<>();
        for (int qb = 0; qb < blocks; qb++) {
            Set<Integer> keys = new LinkedHashSet<>();
            for (int kb = qb - 1; kb <= qb + 1; kb++) {
                if (kb >= 0 && kb < blocks && (!p.causal() || kb <= qb)) keys.add(kb);
            }
            keys.add(0);
            if (!p.causal()) keys.add(blocks - 1);
            List<Integer> candidates = new ArrayList<>();
            for (int kb = 0; kb < (p.causal() ? qb : blocks); kb++) {
                if (!keys.contains(kb) && !global(kb, blocks)) candidates.add(kb);
            }
            for (int s = 0; s < random && !candidates.isEmpty(); s++) {
                keys.add(candidates.remove(rng.nextInt(candidates.size())));
            }
            out.add(keys);
        }
        return out;
    }

    @Override
    public boolean allowed(Problem p, int i, int j) {
        if (p.causal() && j > i) return false;
        int blocks = p.length() / block;
        return global(i / block, blocks) || keyBlocks(p).get(i / block).contains(j / block);
    }

    @Override
    protected Tensor attend(Ops ops, Problem p, Tensor q, Tensor k, Tensor v) {
        int n = p.length(), blocks = n / block;
        boolean causal = p.causal();
        List<Set<Integer>> sets = keyBlocks(p);

        // The global query blocks see every key: [g b, n] scores, linear in n.
        List<Tensor> globalRows = new ArrayList<>();
        globalRows.add(ops.slice(q, 2, 0, block));
        if (blocks > 1) globalRows.add(ops.slice(q, 2, n - block, n));
        int globalCount = globalRows.size() * block;
        Tensor gq = globalRows.size() == 1 ? globalRows.get(0) : ops.concat(globalRows, 2);
        Tensor gMask = ops.mask(globalCount, n, (r, j) -> !causal || j <= (r < block ? r : n - globalCount + r));
        Tensor globalOut = BlockSparse.attend(ops, List.of(BlockSparse.columns(ops, gq, k, v, gMask)));
        if (blocks <= 2) return globalOut;

        // The other query blocks, each against its own list of key blocks.
        int slots = sets.subList(1, blocks - 1).stream().mapToInt(Set::size).max().orElse(1);
        int[][] keyBlocks = new int[blocks - 2][slots];
        for (int qb = 1; qb < blocks - 1; qb++) {
            int s = 0;
            for (int kb : sets.get(qb)) keyBlocks[qb - 1][s++] = kb;
            while (s < slots) keyBlocks[qb - 1][s++] = -1;
        }
        BlockSparse.Group middle = BlockSparse.blocks(ops, ops.slice(q, 2, block, n - block), k, v, block, 1, keyBlocks,
                (i, j) -> !causal || j <= i);
        Tensor middleOut = BlockSparse.attend(ops, List.of(middle));
        return ops.concat(2, ops.slice(globalOut, 2, 0, block), middleOut, ops.slice(globalOut, 2, block, 2 * block));
    }
}
