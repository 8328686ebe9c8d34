package org.attnbench.variants.sparse;

import java.util.List;

import org.attnbench.api.Complexity;
import org.attnbench.api.Mode;
import org.attnbench.api.Option;
import org.attnbench.api.Options;
import org.attnbench.api.Problem;
import org.attnbench.api.Ops;
import org.attnbench.api.Rng;
import org.attnbench.api.Tensor;
import org.attnbench.api.VariantInfo;

/**
 * Random sparse attention: query i sees itself and r keys drawn without replacement (causal: from the positions
 * before it), the same draw for every head and batch item, fixed by the seed and n. The keys of each query are
 * gathered, so time and memory are O(n r d). Yun et al. 2020 found this the weakest pattern on every task.
 */
@VariantInfo(name = "random", family = "sparse",
        paper = "Yun et al. 2020, O(n) Connections are Expressive Enough: Universal Approximability of Sparse Transformers, NeurIPS",
        summary = "softmax attention to the query itself and r random keys (seeded)",
        modes = {Mode.CAUSAL, Mode.BIDIRECTIONAL},
        time = @Complexity(exponent = 1, formula = "8 n d^2 + 4 n (r + 1) d"),
        memory = @Complexity(exponent = 1, formula = "h n (r + 1) dh (the gathered keys and values)"),
        options = {
            @Option(name = "r", summary = "random keys per query, besides itself", defaultValue = "8"),
            @Option(name = "seed", summary = "seed of the pattern", defaultValue = "0")})
public final class RandomAttention extends SparseAttention {
    private final int r;
    private final long seed;

    public RandomAttention() {
        this(null);
    }

    public RandomAttention(Options options) {
        super(options);
        this.r = options().integer("r");
        this.seed = options().integer("seed");
    }

    /** keys[i] = {i, r distinct others}, -1 where fewer than r others are allowed. */
    int[][] keys(Problem p) {
        int n = p.length();
        Rng rng = new Rng(seed).child("random n=" + n + " " + p.mode().id());
        int[][] keys = new int[n][r + 1];
        for (int i = 0; i < n; i++) {
            keys[i][0] = i;
            int pool = p.causal() ? i : n - 1; // the others: [0, i) or everything but i
            if (pool <= r) {
                for (int s = 0; s < r; s++) keys[i][s + 1] = s < pool ? (p.causal() || s < i ? s : s + 1) : -1;
                continue;
            }
            for (int s = 1; s <= r; s++) {
                int j;
                do {
                    j = rng.nextInt(pool);
                    if (!p.causal() && j >= i) j++;
                } while (contains(keys[i], s, j));
                keys[i][s] = j;
            }
        }
        return keys;
    }

    private static boolean contains(int[] a, int upTo, int x) {
        for (int s = 0; s < upTo; s++) {
            if (a[s] == x) return true;
        }
        return false;
    }

    @Override
    public boolean allowed(Problem p, int i, int j) {
        return contains(keys(p)[i], r + 1, j);
    }

    @Override
    protected Tensor attend(Ops ops, Problem p, Tensor q, Tensor k, Tensor v) {
        int n = p.length(), b = q.dim(0), h = q.dim(1), dh = q.dim(3), slots = r + 1;
        int[][] keys = keys(p);
        int[] index = new int[n * slots];
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < slots; s++) index[i * slots + s] = Math.max(0, keys[i][s]);
        }
        Tensor kg = ops.gather(k, 2, index, n, slots); // [b, h, n, slots, dh]
        Tensor vg = ops.gather(v, 2, index, n, slots);
        // Each query has its own keys: a row-wise dot product, not a matrix product.
        Tensor logits = ops.reshape(ops.sum(ops.mul(ops.reshape(q, b, h, n, 1, dh), kg), -1), b, h, n, slots);
        Tensor mask = ops.mask(n, slots, (i, s) -> keys[i][s] >= 0);
        BlockSparse.Group g = new BlockSparse.Group(logits, mask,
                w -> ops.reshape(ops.sum(ops.mul(ops.reshape(w, b, h, n, slots, 1), vg), 3), b, h, n, dh));
        return BlockSparse.attend(ops, List.of(g));
    }
}
