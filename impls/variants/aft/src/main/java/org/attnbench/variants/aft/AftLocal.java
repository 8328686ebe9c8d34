package org.attnbench.variants.aft;

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
 * AFT-local(s) (Zhai et al. 2021): the position bias w_tt' is learned inside |t - t'| < s and exactly 0 (not -inf)
 * outside, so every position still sees the whole sequence with weight exp(K). Stored as a band: w[t][t' - t + s - 1].
 * Computed as AFT-simple's global sums plus the band correction (exp(w) - 1), block by block: O(n s d) time and
 * O(n s + n d) memory, never an n x n tensor.
 */
@VariantInfo(name = "aft-local", encodesPosition = true, family = "attention-free",
        paper = "Zhai et al. 2021, An Attention Free Transformer, arXiv:2105.14103",
        summary = "AFT with a learned position bias inside a window of s, zero (still attended) outside",
        modes = {Mode.CAUSAL, Mode.BIDIRECTIONAL},
        time = @Complexity(exponent = 1, formula = "8 n d^2 + 2 n (3 s) d"),
        memory = @Complexity(exponent = 1, formula = "n (3 s) + O(n d)"),
        options = @Option(name = "s", summary = "the bias is learned for |t - t'| < s", defaultValue = "32", min = 1))
public final class AftLocal extends ConfigurableVariant {
    private final int s;

    public AftLocal() {
        this(null);
    }

    public AftLocal(Options options) {
        super(options);
        this.s = options().integer("s");
    }

    @Override
    public void declare(Problem p, ParameterSpec spec) {
        Heads.declareProjections(p, spec);
        spec.add("w", Init.normal(0.1), p.length(), 2 * s - 1);
    }

    /** The block-layout coefficients exp(w) - 1 on the band and 0 elsewhere: [1, m, slots * s]. */
    static Tensor coefficients(Ops ops, Problem p, Tensor bias, int s, int groups, boolean perRow) {
        int width = 2 * s - 1, slots = Aft.slots(p);
        int[][] offsets = Aft.bandOffsets(p, s, slots);
        int m = offsets.length, cols = slots * s;
        int rowsOfBias = (int) (bias.size() / width), zero = rowsOfBias * width;
        int[] index = new int[groups * m * cols];
        for (int g = 0; g < groups; g++) {
            for (int t = 0; t < m; t++) {
                for (int c = 0; c < cols; c++) {
                    int off = offsets[t][c];
                    int row = perRow ? t : g;
                    index[(g * m + t) * cols + c] = off == Integer.MIN_VALUE ? zero : row * width + off + s - 1;
                }
            }
        }
        // One extra 0 entry stands for every pair outside the band: exp(0) - 1 = 0 there.
        Tensor flat = ops.concat(0, ops.reshape(bias, (int) bias.size()), ops.zeros(1));
        return ops.add(ops.exp(ops.gather(flat, 0, index, groups, m, cols)), -1.0);
    }

    @Override
    public Tensor forward(Ops ops, Problem p, Parameters params, Tensor x) {
        Aft.Qkv qkv = Aft.project(ops, params, x);
        Tensor e = Aft.expShifted(ops, qkv.k());
        Tensor[] sums = Aft.globalSums(ops, p, e, qkv.v());
        Tensor c = coefficients(ops, p, params.get("w"), s, 1, true);
        Tensor num = ops.add(sums[0], Aft.band(ops, c, ops.mul(e, qkv.v()), 1, s, Aft.slots(p)));
        Tensor den = ops.add(sums[1], Aft.band(ops, c, e, 1, s, Aft.slots(p)));
        return Aft.output(ops, params, qkv.q(), num, den);
    }
}
