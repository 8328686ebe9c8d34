package org.attnbench.variants.aft;

import org.attnbench.api.Ops;
import org.attnbench.api.Parameters;
import org.attnbench.api.Problem;
import org.attnbench.api.Tensor;

/**
 * What the AFT variants share (Zhai et al. 2021): Q, K, V = X Wq, X Wk, X Wv (d x d, no heads for the mixing), the
 * output Y_t = sigmoid(Q_t) * num_t / den_t elementwise over channels, then the output projection Wo of the
 * paper's layer. num_t = sum_t' exp(K_t' + w_tt') V_t' and den_t = sum_t' exp(K_t' + w_tt') (causal: t' <= t).
 * With w zero outside a band of |t - t'| < s (AFT-local, AFT-conv), exp(w) = 1 + (exp(w) - 1) on the band: the
 * sums split into the global ones of AFT-simple plus a band correction computed block by block, O(n s d).
 */
final class Aft {
    private Aft() {}

    record Qkv(Tensor q, Tensor k, Tensor v) {}

    static Qkv project(Ops ops, Parameters params, Tensor x) {
        return new Qkv(ops.matmul(x, params.get("wq")), ops.matmul(x, params.get("wk")), ops.matmul(x, params.get("wv")));
    }

    static Tensor output(Ops ops, Parameters params, Tensor q, Tensor num, Tensor den) {
        return ops.matmul(ops.mul(ops.sigmoid(q), ops.div(num, den)), params.get("wo"));
    }

    /**
     * exp(K - max over t of K) per channel: the shift cancels between num and den, so it is detached. (AFT-simple's
     * causal form instead subtracts the running maximum, see {@link AftSimple}.)
     */
    static Tensor expShifted(Ops ops, Tensor k) {
        return ops.exp(ops.sub(k, ops.detach(ops.max(k, 1))));
    }

    /** sum_t' e V and sum_t' e over all t' (bidirectional) or t' <= t (causal), [b, 1 or n, d]. */
    static Tensor[] globalSums(Ops ops, Problem p, Tensor e, Tensor v) {
        Tensor ev = ops.mul(e, v);
        return p.causal() ? new Tensor[] {ops.cumsum(ev, 1), ops.cumsum(e, 1)} : new Tensor[] {ops.sum(ev, 1), ops.sum(e, 1)};
    }

    /**
     * The band correction sum over |t - t'| < s of coefficient(t, t') * values[t'] per group of channels: values is
     * [b, n, d] split into groups (1 for a bias shared by all channels, h for one per head); coefficients are
     * [groups, m, slots * s] in block layout (query block I against key blocks I-1, I and, bidirectional, I+1), with
     * zero wherever a pair is outside the band or the sequence. Returns [b, n, d].
     */
    static Tensor band(Ops ops, Tensor coefficients, Tensor values, int groups, int s, int slots) {
        int b = values.dim(0), n = values.dim(1), d = values.dim(2), dg = d / groups;
        int blocks = (n + s - 1) / s, m = blocks * s;
        Tensor vp = m == n ? values : ops.pad(values, 1, 0, m - n, 0.0);
        Tensor grouped = ops.permute(ops.reshape(vp, b, m, groups, dg), 0, 2, 1, 3); // [b, g, m, dg]
        int[] index = new int[blocks * slots];
        for (int qb = 0; qb < blocks; qb++) {
            for (int k = 0; k < slots; k++) index[qb * slots + k] = Math.min(Math.max(qb - 1 + k, 0), blocks - 1);
        }
        Tensor keys = ops.reshape(ops.gather(ops.reshape(grouped, b, groups, blocks, s, dg), 2, index, blocks, slots),
                b, groups, blocks, slots * s, dg);
        Tensor c = ops.reshape(coefficients, groups, blocks, s, slots * s);
        Tensor out = ops.reshape(ops.matmul(c, keys), b, groups, m, dg);
        out = ops.reshape(ops.permute(out, 0, 2, 1, 3), b, m, d);
        return m == n ? out : ops.slice(out, 1, 0, n);
    }

    /**
     * For each row t of the padded sequence and each key slot of its block layout, the offset t' - t when the pair
     * is a real one inside the band (|t' - t| < s, causal t' <= t), else Integer.MIN_VALUE.
     */
    static int[][] bandOffsets(Problem p, int s, int slots) {
        int n = p.length(), blocks = (n + s - 1) / s, m = blocks * s;
        int[][] out = new int[m][slots * s];
        for (int t = 0; t < m; t++) {
            for (int c = 0; c < slots * s; c++) {
                int keyBlock = t / s - 1 + c / s, tp = keyBlock * s + c % s, off = tp - t;
                boolean ok = t < n && keyBlock >= 0 && tp < n && Math.abs(off) < s && (!p.causal() || off <= 0);
                out[t][c] = ok ? off : Integer.MIN_VALUE;
            }
        }
        return out;
    }

    static int slots(Problem p) {
        return p.causal() ? 2 : 3;
    }
}
