package org.attnbench.backend.cpu;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import org.attnbench.api.AttentionKernel;

/**
 * Fused attention forward ({@link AttentionKernel}) on the CPU, tiled as FlashAttention is: one task per (batch item,
 * head, block of {@link #QUERY_BLOCK} queries), which walks the key tiles its queries may see and keeps only per-task
 * tiles, so memory beyond the output is constant in n. For each key tile:
 * <ol>
 *   <li>the logits, transposed: S^T = K_tile Q_block^T, so that a vector holds one key's logits for consecutive
 *       queries and every per-query statistic below is a lanewise operation (no horizontal reductions);</li>
 *   <li>softmax: the running maximum m and sum l per query (online softmax); the output so far is rescaled by
 *       exp(m_old - m_new) as the tile's weights are added. Sigmoid: sigmoid(s + bias) in the logits' epilogue,
 *       with no maximum, sum or rescaling (as FLASHSIGMOID drops them);</li>
 *   <li>O += P V.</li>
 * </ol>
 * Only the key tiles a query block can see are visited: a causal block stops at its diagonal, a window block walks
 * its band; tiles that every query of the block sees fully skip the mask. Both products are register-blocked
 * micro-kernels (4 rows by 2 vectors of accumulators) over packed tiles, so the inputs may have any strides (the keys
 * and values come from the projections as permuted views, read here without copying them whole).
 *
 * <p>The output is written as [B, n, h, dh] rows and handed back as the permuted view [B, h, n, dh], so merging the
 * heads afterwards is a view, not a copy. Every output row is computed by one task in a fixed order, so results do not
 * depend on the number of threads.
 *
 * <p>float32 runs on the Vector API unless {@code -Dattnbench.vector=false}, which selects the scalar path for
 * comparison: the same tiles with plain loops, computed in double. float64 always takes the scalar path (it is the
 * dtype of accuracy checks).
 */
final class FusedAttentionKernel {
    /** The system property that turns the Vector API path off. */
    static final String VECTOR_PROPERTY = "attnbench.vector";
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = F.length();
    /** Rows and vectors of the micro-kernels' accumulator blocks (12 of 16 AVX2 registers, so nothing spills). */
    private static final int MR = 6;
    private static final int NR = 2;
    private static final int PV_ROWS = 4;
    /** Queries per block (a multiple of MR and of NR vectors) and keys per tile (a multiple of MR). */
    static final int QUERY_BLOCK = MR * LANES;
    static final int KEY_BLOCK = 48;
    /**
     * Queries per task: several query blocks share each packed key and value tile, which cuts the keys and values
     * read from memory by as much (they are read once per task).
     */
    static final int GROUP = 8;
    static final int TASK_QUERIES = GROUP * QUERY_BLOCK;

    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final double LOG2E = 1 / Math.log(2);
    /** 1.5 * 2^23: adding it rounds a float of magnitude below 2^22 to an integer held in the low mantissa bits. */
    private static final float ROUNDING = 12582912f;
    /** (ln 2)^k / k!, the Taylor coefficients of 2^f (constants, so that they compile to immediates). */
    private static final float E1 = (float) taylor(1), E2 = (float) taylor(2), E3 = (float) taylor(3),
            E4 = (float) taylor(4), E5 = (float) taylor(5), E6 = (float) taylor(6), E7 = (float) taylor(7);
    private static final FloatVector IOTA;

    static {
        float[] iota = new float[LANES];
        for (int i = 0; i < LANES; i++) iota[i] = i;
        IOTA = FloatVector.fromArray(F, iota, 0);

    }

    private FusedAttentionKernel() {}

    private static double taylor(int k) {
        double c = 1;
        for (int i = 1; i <= k; i++) c *= Math.log(2) / i;
        return c;
    }

    /** Whether float32 uses the Vector API in this JVM (read from {@link #VECTOR_PROPERTY}). */
    static boolean vectorByDefault() {
        return !"false".equalsIgnoreCase(System.getProperty(VECTOR_PROPERTY, "true").strip());
    }

    /** For the backend's description: which path float32 takes. */
    static String describe(boolean vector) {
        return vector ? "fused attention on the Vector API (" + LANES + " float lanes)"
                : "fused attention on the scalar path (-D" + VECTOR_PROPERTY + "=false)";
    }

    /**
     * One [B, h, n, dh] operand in memory: element (b, h, i, c) is at element offset b sb + h sh + i sn + c sc of
     * data, which holds float32 or float64 values.
     */
    record Operand(MemorySegment data, long sb, long sh, long sn, long sc) {
        long row(int b, int h, int i) {
            return b * sb + h * sh + i * sn;
        }
    }

    /** Sizes of one call: batch, heads, length, head width, and whether values are float64. */
    record Shape(int batch, int heads, int n, int dh, boolean float64) {}

    /**
     * Computes the attention of q, k, v into out, the row-major [B, n, h, dh] array. Tasks run on the common
     * fork-join pool (or the pool the caller runs in), one per query block.
     */
    static void run(AttentionKernel kernel, Operand q, Operand k, Operand v, MemorySegment out, Shape shape, boolean vector) {
        int groups = (shape.n() + TASK_QUERIES - 1) / TASK_QUERIES;
        long tasks = (long) shape.batch() * shape.heads() * groups;
        boolean useVector = vector && !shape.float64();
        Parallel.forRange(tasks, 1, (from, to) -> {
            Tile tile = useVector ? VectorTile.get(shape.dh()) : ScalarTile.get(shape.dh());
            for (long t = from; t < to; t++) {
                int group = (int) (t % groups);
                long bh = t / groups;
                int b = (int) (bh / shape.heads()), h = (int) (bh % shape.heads());
                tile.queries(kernel, q, k, v, out, shape, b, h, group * TASK_QUERIES, Math.min(TASK_QUERIES, shape.n() - group * TASK_QUERIES));
            }
        });
    }

    /** Per-thread buffers and the code for one query block. */
    private abstract static class Tile {
        final int dh;

        Tile(int dh) {
            this.dh = dh;
        }

        /** Queries i0 .. i0 + count (at most TASK_QUERIES) of one batch item and head. */
        abstract void queries(AttentionKernel kernel, Operand q, Operand k, Operand v, MemorySegment out, Shape shape,
                              int b, int h, int i0, int count);

        /** Whether every real query of [i0, i0 + rows) sees every key of [j0, j0 + keys). */
        static boolean full(AttentionKernel kernel, int n, int i0, int rows, int j0, int keys) {
            return j0 >= kernel.firstKey(i0 + rows - 1) && j0 + keys <= kernel.endKey(i0, n);
        }

        /**
         * For each key row j of the tile, the local query rows [lo[j], hi[j]] that see it (empty when lo > hi).
         * Query rows past the sequence end are never written out, so they need no mask.
         */
        static void visibleRows(AttentionKernel kernel, int i0, int j0, int keys, int[] lo, int[] hi) {
            int w = kernel.window();
            for (int j = 0; j < keys; j++) {
                long key = j0 + j;
                long first = kernel.causal() ? key : w < 0 ? Integer.MIN_VALUE : key - w;
                long last = w < 0 ? Integer.MAX_VALUE : key + w;
                lo[j] = (int) Math.max(0, first - i0);
                hi[j] = (int) Math.min(QUERY_BLOCK - 1, last - i0);
            }
        }
    }

    // ------------------------------------------------------------------ Vector API, float32

    private static final class VectorTile extends Tile {
        private static final ThreadLocal<VectorTile> MINE = new ThreadLocal<>();
        private static final FloatVector MINUS_INFINITY = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        /** Width of a value row in the tiles: dh rounded up to whole micro-kernel panels, zero-padded. */
        final int dhp;
        final float[] qt;                                    // Q^T per query block, scaled: [GROUP][dh][QUERY_BLOCK]
        final float[] kp;                                    // key rows in panels of MR: [KEY_BLOCK / MR][dh][MR]
        final float[] values;                                // value rows in column panels: [dhp / (NR LANES)][KEY_BLOCK][NR LANES]
        final float[] s = new float[KEY_BLOCK * QUERY_BLOCK]; // logits then weights, transposed: [key][query]
        final float[] o;                                     // output rows: [GROUP][QUERY_BLOCK][dhp]
        final float[] m = new float[TASK_QUERIES], l = new float[TASK_QUERIES], alpha = new float[QUERY_BLOCK];
        final int[] lo = new int[KEY_BLOCK], hi = new int[KEY_BLOCK];

        VectorTile(int dh) {
            super(dh);
            dhp = (dh + NR * LANES - 1) / (NR * LANES) * (NR * LANES);
            qt = new float[GROUP * dh * QUERY_BLOCK];
            kp = new float[KEY_BLOCK * dh];
            values = new float[KEY_BLOCK * dhp];
            o = new float[GROUP * QUERY_BLOCK * dhp];
        }

        static VectorTile get(int dh) {
            VectorTile t = MINE.get();
            if (t == null || t.dh != dh) MINE.set(t = new VectorTile(dh));
            return t;
        }

        @Override
        void queries(AttentionKernel kernel, Operand q, Operand k, Operand v, MemorySegment out, Shape shape, int b, int h,
                     int i0, int count) {
            int n = shape.n();
            int blocks = (count + QUERY_BLOCK - 1) / QUERY_BLOCK;
            boolean softmax = kernel.weighting() == AttentionKernel.Weighting.SOFTMAX;
            // Logits in base-2 units (scaled by log2 e), so that every exponential is a power of 2.
            // (The scale stays in double until it multiplies q: rounding it first would scale every logit by the same
            // error, which the float32 accuracy test saw as twice the unfused path's error.)
            double scale = kernel.scale() * LOG2E;
            float bias = (float) (kernel.bias() * LOG2E);
            for (int g = 0; g < blocks; g++) {
                packQueries(q, b, h, i0 + g * QUERY_BLOCK, Math.min(QUERY_BLOCK, count - g * QUERY_BLOCK), g * dh * QUERY_BLOCK, scale);
            }
            Arrays.fill(o, 0, blocks * QUERY_BLOCK * dhp, 0f);
            Arrays.fill(m, Float.NEGATIVE_INFINITY);
            Arrays.fill(l, 0f);
            int from = kernel.firstKey(i0), to = kernel.endKey(i0 + count - 1, n);
            for (int j0 = from; j0 < to; j0 += KEY_BLOCK) {
                int keys = Math.min(KEY_BLOCK, to - j0);
                int padded = (keys + MR - 1) / MR * MR;
                packKeys(k, b, h, j0, keys, padded);
                packValues(v, b, h, j0, keys);
                for (int g = 0; g < blocks; g++) {
                    int start = i0 + g * QUERY_BLOCK, rows = Math.min(QUERY_BLOCK, count - g * QUERY_BLOCK);
                    if (j0 >= kernel.endKey(start + rows - 1, n) || j0 + keys <= kernel.firstKey(start)) continue;
                    // Key rows past the tile's keys (padding to whole panels) are masked like invisible ones.
                    boolean full = keys == padded && full(kernel, n, start, rows, j0, keys);
                    if (!full) {
                        visibleRows(kernel, start, j0, keys, lo, hi);
                        for (int j = keys; j < padded; j++) {
                            lo[j] = 1;
                            hi[j] = 0;
                        }
                    }
                    logits(padded, g * dh * QUERY_BLOCK);
                    if (softmax) {
                        if (softmax(keys, full, g * QUERY_BLOCK)) rescale(g * QUERY_BLOCK * dhp);
                    } else {
                        sigmoid(keys, full, bias);
                    }
                    weightedValues(keys, g * QUERY_BLOCK * dhp);
                }
            }
            for (int g = 0; g < blocks; g++) {
                writeRows(out, shape, b, h, i0 + g * QUERY_BLOCK, Math.min(QUERY_BLOCK, count - g * QUERY_BLOCK),
                        g * QUERY_BLOCK * dhp, g * QUERY_BLOCK, softmax);
            }
        }

        private void packQueries(Operand q, int b, int h, int i0, int rows, int offset, double scale) {
            MemorySegment data = q.data();
            for (int r = 0; r < QUERY_BLOCK; r++) {
                if (r >= rows) {
                    for (int c = 0; c < dh; c++) qt[offset + c * QUERY_BLOCK + r] = 0f;
                    continue;
                }
                long row = q.row(b, h, i0 + r);
                for (int c = 0; c < dh; c++) {
                    qt[offset + c * QUERY_BLOCK + r] = (float) (scale * data.getAtIndex(JAVA_FLOAT_UNALIGNED, row + c * q.sc()));
                }
            }
        }

        /** Key rows j0 .. j0+keys into panels of MR rows, element (c, r) of a panel at c * MR + r; padding rows are 0. */
        private void packKeys(Operand k, int b, int h, int j0, int keys, int padded) {
            MemorySegment data = k.data();
            for (int j = 0; j < padded; j++) {
                int at = j / MR * MR * dh + j % MR;
                if (j >= keys) {
                    for (int c = 0; c < dh; c++) kp[at + c * MR] = 0f;
                    continue;
                }
                long row = k.row(b, h, j0 + j);
                for (int c = 0; c < dh; c++) kp[at + c * MR] = data.getAtIndex(JAVA_FLOAT_UNALIGNED, row + c * k.sc());
            }
        }

        /**
         * Value rows j0 .. j0+keys in panels of NR vectors of columns: element (j, c) at (c / P) KEY_BLOCK P + j P + c % P
         * with P = NR * LANES, so the product's loop over keys steps by a constant (columns past dh stay 0).
         */
        private void packValues(Operand v, int b, int h, int j0, int keys) {
            MemorySegment data = v.data();
            final int panel = NR * LANES;
            for (int j = 0; j < keys; j++) {
                long row = v.row(b, h, j0 + j);
                if (v.sc() == 1 && dh % LANES == 0) {
                    // Vector loads and stores: MemorySegment.copy costs tens of nanoseconds a call on rows this short.
                    for (int c = 0; c < dh; c += LANES) {
                        FloatVector.fromMemorySegment(F, data, (row + c) * 4, ORDER)
                                .intoArray(values, c / panel * KEY_BLOCK * panel + j * panel + c % panel);
                    }
                } else {
                    for (int c = 0; c < dh; c++) {
                        values[c / panel * KEY_BLOCK * panel + j * panel + c % panel] = data.getAtIndex(JAVA_FLOAT_UNALIGNED, row + c * v.sc());
                    }
                }
            }
        }

        /**
         * The logits s[j][i] = k_j . q_i of key rows 0 .. padded against the query block whose Q^T is at qOffset: an
         * accumulator block of MR keys by NR vectors of queries at a time. Only FMAs, loads and stores, in a method of
         * its own: with anything else live across the loop over c (constants of an epilogue), C2 spills accumulators.
         */
        private void logits(int padded, int qOffset) {
            final int d = dh;
            final float[] q = qt, kt = kp, out = s;
            for (int i = 0; i < QUERY_BLOCK; i += NR * LANES) {
                for (int p = 0; p < padded; p += MR) {
                    int kb = p * d;
                    FloatVector a00 = FloatVector.zero(F), a01 = a00;
                    FloatVector a10 = FloatVector.zero(F), a11 = a10;
                    FloatVector a20 = FloatVector.zero(F), a21 = a20;
                    FloatVector a30 = FloatVector.zero(F), a31 = a30;
                    FloatVector a40 = FloatVector.zero(F), a41 = a40;
                    FloatVector a50 = FloatVector.zero(F), a51 = a50;
                    for (int c = 0; c < d; c++) {
                        int qo = qOffset + c * QUERY_BLOCK + i, ko = kb + c * MR;
                        FloatVector b0 = FloatVector.fromArray(F, q, qo), b1 = FloatVector.fromArray(F, q, qo + LANES);
                        FloatVector x0 = FloatVector.broadcast(F, kt[ko + 0]);
                        a00 = x0.fma(b0, a00);
                        a01 = x0.fma(b1, a01);
                        FloatVector x1 = FloatVector.broadcast(F, kt[ko + 1]);
                        a10 = x1.fma(b0, a10);
                        a11 = x1.fma(b1, a11);
                        FloatVector x2 = FloatVector.broadcast(F, kt[ko + 2]);
                        a20 = x2.fma(b0, a20);
                        a21 = x2.fma(b1, a21);
                        FloatVector x3 = FloatVector.broadcast(F, kt[ko + 3]);
                        a30 = x3.fma(b0, a30);
                        a31 = x3.fma(b1, a31);
                        FloatVector x4 = FloatVector.broadcast(F, kt[ko + 4]);
                        a40 = x4.fma(b0, a40);
                        a41 = x4.fma(b1, a41);
                        FloatVector x5 = FloatVector.broadcast(F, kt[ko + 5]);
                        a50 = x5.fma(b0, a50);
                        a51 = x5.fma(b1, a51);
                    }
                    int at = p * QUERY_BLOCK + i;
                    a00.intoArray(out, at + 0 * QUERY_BLOCK + 0 * LANES);
                    a01.intoArray(out, at + 0 * QUERY_BLOCK + 1 * LANES);
                    a10.intoArray(out, at + 1 * QUERY_BLOCK + 0 * LANES);
                    a11.intoArray(out, at + 1 * QUERY_BLOCK + 1 * LANES);
                    a20.intoArray(out, at + 2 * QUERY_BLOCK + 0 * LANES);
                    a21.intoArray(out, at + 2 * QUERY_BLOCK + 1 * LANES);
                    a30.intoArray(out, at + 3 * QUERY_BLOCK + 0 * LANES);
                    a31.intoArray(out, at + 3 * QUERY_BLOCK + 1 * LANES);
                    a40.intoArray(out, at + 4 * QUERY_BLOCK + 0 * LANES);
                    a41.intoArray(out, at + 4 * QUERY_BLOCK + 1 * LANES);
                    a50.intoArray(out, at + 5 * QUERY_BLOCK + 0 * LANES);
                    a51.intoArray(out, at + 5 * QUERY_BLOCK + 1 * LANES);
                }
            }
        }

        /**
         * Online softmax over the tile, a vector of queries at a time: masked logits become -inf, then with the tile's
         * maximum the weights exp2(s - m_new) replace the logits (exactly 0 where masked), and the running sum l grows
         * by their sum after being scaled by alpha = exp2(m_old - m_new), by which the output so far is scaled too.
         * Returns whether any maximum moved: where none did, alpha is exactly 1 and the rescaling can be skipped.
         */
        private boolean softmax(int keys, boolean full, int stats) {
            boolean moved = false;
            for (int i = 0; i < QUERY_BLOCK; i += LANES) {
                FloatVector max = MINUS_INFINITY;
                if (full) {
                    for (int j = 0; j < keys; j++) max = max.max(FloatVector.fromArray(F, s, j * QUERY_BLOCK + i));
                } else {
                    for (int j = 0; j < keys; j++) {
                        int at = j * QUERY_BLOCK + i;
                        FloatVector x = MINUS_INFINITY.blend(FloatVector.fromArray(F, s, at), visible(j, i));
                        x.intoArray(s, at);
                        max = max.max(x);
                    }
                }
                FloatVector old = FloatVector.fromArray(F, m, stats + i), now = old.max(max);
                // A query that has seen no key yet keeps m = -inf; subtracting 0 instead keeps its weights exactly 0.
                FloatVector shift = now.blend(FloatVector.zero(F), now.compare(VectorOperators.EQ, Float.NEGATIVE_INFINITY));
                FloatVector sum = FloatVector.zero(F);
                for (int j = 0; j < keys; j++) {
                    int at = j * QUERY_BLOCK + i;
                    FloatVector e = exp2(FloatVector.fromArray(F, s, at).sub(shift));
                    e.intoArray(s, at);
                    sum = sum.add(e);
                }
                FloatVector a = exp2(old.sub(shift));
                a.intoArray(alpha, i);
                FloatVector.fromArray(F, l, stats + i).fma(a, sum).intoArray(l, stats + i);
                now.intoArray(m, stats + i);
                moved |= now.compare(VectorOperators.NE, old).anyTrue();
            }
            return moved;
        }

        /** Sigmoid weights 1 / (1 + 2^-(s + bias)) (logits in base-2 units) replace the logits; masked pairs get 0. */
        private void sigmoid(int keys, boolean full, float bias) {
            FloatVector one = FloatVector.broadcast(F, 1f);
            for (int j = 0; j < keys; j++) {
                for (int i = 0; i < QUERY_BLOCK; i += LANES) {
                    int at = j * QUERY_BLOCK + i;
                    FloatVector w = one.div(exp2(FloatVector.fromArray(F, s, at).add(bias).neg()).add(one));
                    if (!full) w = FloatVector.zero(F).blend(w, visible(j, i));
                    w.intoArray(s, at);
                }
            }
        }

        /** The lanes of key row j that queries i .. i+LANES may see. */
        private VectorMask<Float> visible(int j, int i) {
            FloatVector r = IOTA.add(i);
            return r.compare(VectorOperators.GE, lo[j]).and(r.compare(VectorOperators.LE, hi[j]));
        }

        /** The output rows at oOffset scaled by alpha: the online softmax's correction before a tile's values add in. */
        private void rescale(int oOffset) {
            for (int i = 0; i < QUERY_BLOCK; i++) {
                float f = alpha[i];
                int row = oOffset + i * dhp;
                for (int c = 0; c < dhp; c += LANES) FloatVector.fromArray(F, o, row + c).mul(f).intoArray(o, row + c);
            }
        }

        /**
         * o[i] += sum_j s[j][i] values[j] for the output rows at oOffset, PV_ROWS query rows by NR vectors of value
         * columns at a time, a panel of columns against every query. Only FMAs, loads and stores (see logits); 8
         * accumulators, because with 12 C2 issues the broadcasts early and spills two (Zen 3's FMA latency of 4 and
         * its 2 FMA pipes need 8 in flight).
         */
        private void weightedValues(int keys, int oOffset) {
            final int w = dhp;
            final float[] p = s, vt = values, acc = o;
            for (int c = 0; c < w; c += NR * LANES) {
                int vb = c * KEY_BLOCK;
                for (int i = 0; i < QUERY_BLOCK; i += PV_ROWS) {
                    int r0 = oOffset + i * w + c;
                    FloatVector a00 = FloatVector.fromArray(F, acc, r0 + 0 * w), a01 = FloatVector.fromArray(F, acc, r0 + 0 * w + LANES);
                    FloatVector a10 = FloatVector.fromArray(F, acc, r0 + 1 * w), a11 = FloatVector.fromArray(F, acc, r0 + 1 * w + LANES);
                    FloatVector a20 = FloatVector.fromArray(F, acc, r0 + 2 * w), a21 = FloatVector.fromArray(F, acc, r0 + 2 * w + LANES);
                    FloatVector a30 = FloatVector.fromArray(F, acc, r0 + 3 * w), a31 = FloatVector.fromArray(F, acc, r0 + 3 * w + LANES);
                    for (int j = 0; j < keys; j++) {
                        int vo = vb + j * (NR * LANES), po = j * QUERY_BLOCK + i;
                        FloatVector b0 = FloatVector.fromArray(F, vt, vo), b1 = FloatVector.fromArray(F, vt, vo + LANES);
                        FloatVector x0 = FloatVector.broadcast(F, p[po + 0]);
                        a00 = x0.fma(b0, a00);
                        a01 = x0.fma(b1, a01);
                        FloatVector x1 = FloatVector.broadcast(F, p[po + 1]);
                        a10 = x1.fma(b0, a10);
                        a11 = x1.fma(b1, a11);
                        FloatVector x2 = FloatVector.broadcast(F, p[po + 2]);
                        a20 = x2.fma(b0, a20);
                        a21 = x2.fma(b1, a21);
                        FloatVector x3 = FloatVector.broadcast(F, p[po + 3]);
                        a30 = x3.fma(b0, a30);
                        a31 = x3.fma(b1, a31);
                    }
                    a00.intoArray(acc, r0 + 0 * w);
                    a01.intoArray(acc, r0 + 0 * w + LANES);
                    a10.intoArray(acc, r0 + 1 * w);
                    a11.intoArray(acc, r0 + 1 * w + LANES);
                    a20.intoArray(acc, r0 + 2 * w);
                    a21.intoArray(acc, r0 + 2 * w + LANES);
                    a30.intoArray(acc, r0 + 3 * w);
                    a31.intoArray(acc, r0 + 3 * w + LANES);
                }
            }
        }

        /** A block's rows, divided by their softmax sums, into the [B, n, h, dh] output. */
        private void writeRows(MemorySegment out, Shape shape, int b, int h, int i0, int rows, int oOffset, int stats,
                               boolean softmax) {
            for (int r = 0; r < rows; r++) {
                int row = oOffset + r * dhp;
                if (softmax) {
                    float inv = 1f / l[stats + r];
                    for (int c = 0; c < dhp; c += LANES) FloatVector.fromArray(F, o, row + c).mul(inv).intoArray(o, row + c);
                }
                long at = (((long) b * shape.n() + i0 + r) * shape.heads() + h) * dh;
                MemorySegment.copy(o, row, out, JAVA_FLOAT_UNALIGNED, at * 4, dh);
            }
        }
    }

    /**
     * 2^t for t in [-inf, 127]: 2^n 2^f with n = round(t) (added to the exponent bits) and f in [-1/2, 1/2], 2^f by
     * its Taylor series in f ln 2 to degree 7 (truncation error below 1e-8 relative). Values below 2^-126 (and -inf)
     * give exactly 0, which is what masked logits need.
     */
    static FloatVector exp2(FloatVector t) {
        FloatVector x = t.max(-127f).min(127f);
        FloatVector shifted = x.add(ROUNDING); // the integer nearest x lands in the low bits of the mantissa
        FloatVector f = x.sub(shifted.sub(ROUNDING));
        FloatVector p = f.fma(E7, E6).fma(f, FloatVector.broadcast(F, E5)).fma(f, FloatVector.broadcast(F, E4))
                .fma(f, FloatVector.broadcast(F, E3)).fma(f, FloatVector.broadcast(F, E2)).fma(f, FloatVector.broadcast(F, E1))
                .fma(f, FloatVector.broadcast(F, 1f));
        FloatVector power = shifted.reinterpretAsInts().add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(power);
    }

    // ------------------------------------------------------------------ scalar, in double (float32 and float64)

    /**
     * The same tiles and online softmax with plain loops in the textbook order (a dot product per query and key), in
     * double whatever the dtype: the baseline the Vector API path is compared with, and the float64 kernel.
     */
    private static final class ScalarTile extends Tile {
        private static final ThreadLocal<ScalarTile> MINE = new ThreadLocal<>();
        final double[] qb;                                       // the block's queries, scaled: [QUERY_BLOCK][dh]
        final double[] keys, values;                             // [KEY_BLOCK][dh]
        final double[] s = new double[QUERY_BLOCK * KEY_BLOCK];  // logits then weights: [query][key]
        final double[] o;                                        // [QUERY_BLOCK][dh]
        final double[] m = new double[QUERY_BLOCK], l = new double[QUERY_BLOCK];
        final int[] lo = new int[KEY_BLOCK], hi = new int[KEY_BLOCK];

        ScalarTile(int dh) {
            super(dh);
            qb = new double[QUERY_BLOCK * dh];
            keys = new double[KEY_BLOCK * dh];
            values = new double[KEY_BLOCK * dh];
            o = new double[QUERY_BLOCK * dh];
        }

        static ScalarTile get(int dh) {
            ScalarTile t = MINE.get();
            if (t == null || t.dh != dh) MINE.set(t = new ScalarTile(dh));
            return t;
        }

        @Override
        void queries(AttentionKernel kernel, Operand q, Operand k, Operand v, MemorySegment out, Shape shape, int b, int h,
                     int i0, int count) {
            for (int g = 0; g * QUERY_BLOCK < count; g++) block(kernel, q, k, v, out, shape, b, h, i0 + g * QUERY_BLOCK);
        }

        private void block(AttentionKernel kernel, Operand q, Operand k, Operand v, MemorySegment out, Shape shape, int b, int h,
                           int i0) {
            int n = shape.n();
            boolean f64 = shape.float64();
            int rows = Math.min(QUERY_BLOCK, n - i0);
            boolean softmax = kernel.weighting() == AttentionKernel.Weighting.SOFTMAX;
            double scale = kernel.scale(), bias = kernel.bias();
            pack(q, b, h, i0, rows, qb, f64, scale);
            Arrays.fill(o, 0);
            Arrays.fill(m, Double.NEGATIVE_INFINITY);
            Arrays.fill(l, 0);
            int from = kernel.firstKey(i0), to = kernel.endKey(i0 + rows - 1, n);
            for (int j0 = from; j0 < to; j0 += KEY_BLOCK) {
                int count = Math.min(KEY_BLOCK, to - j0);
                pack(k, b, h, j0, count, keys, f64, 1);
                pack(v, b, h, j0, count, values, f64, 1);
                boolean full = full(kernel, n, i0, rows, j0, count);
                if (!full) visibleRows(kernel, i0, j0, count, lo, hi);
                for (int i = 0; i < rows; i++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < count; j++) {
                        boolean seen = full || (i >= lo[j] && i <= hi[j]);
                        double dot = 0;
                        for (int c = 0; c < dh; c++) dot += qb[i * dh + c] * keys[j * dh + c];
                        double x = softmax ? (seen ? dot : Double.NEGATIVE_INFINITY)
                                : (seen ? 1 / (1 + Math.exp(-(dot + bias))) : 0);
                        s[i * KEY_BLOCK + j] = x;
                        max = Math.max(max, x);
                    }
                    double rescale = 1;
                    if (softmax) {
                        double now = Math.max(m[i], max), shift = now == Double.NEGATIVE_INFINITY ? 0 : now;
                        double sum = 0;
                        for (int j = 0; j < count; j++) sum += (s[i * KEY_BLOCK + j] = Math.exp(s[i * KEY_BLOCK + j] - shift));
                        rescale = Math.exp(m[i] - shift);
                        l[i] = l[i] * rescale + sum;
                        m[i] = now;
                    }
                    for (int c = 0; c < dh; c++) {
                        double acc = o[i * dh + c] * rescale;
                        for (int j = 0; j < count; j++) acc += s[i * KEY_BLOCK + j] * values[j * dh + c];
                        o[i * dh + c] = acc;
                    }
                }
            }
            for (int r = 0; r < rows; r++) {
                double norm = softmax ? 1 / l[r] : 1;
                long at = (((long) b * n + i0 + r) * shape.heads() + h) * dh;
                for (int c = 0; c < dh; c++) {
                    double value = o[r * dh + c] * norm;
                    if (f64) out.setAtIndex(JAVA_DOUBLE_UNALIGNED, at + c, value);
                    else out.setAtIndex(JAVA_FLOAT_UNALIGNED, at + c, (float) value);
                }
            }
        }

        /** Rows j0 .. j0+count of an operand, times a scale, as doubles. */
        private void pack(Operand x, int b, int h, int j0, int count, double[] tile, boolean f64, double scale) {
            MemorySegment data = x.data();
            for (int r = 0; r < count; r++) {
                long row = x.row(b, h, j0 + r);
                for (int c = 0; c < dh; c++) {
                    long at = row + c * x.sc();
                    double value = f64 ? data.getAtIndex(JAVA_DOUBLE_UNALIGNED, at) : data.getAtIndex(JAVA_FLOAT_UNALIGNED, at);
                    tile[r * dh + c] = scale * value;
                }
            }
        }
    }
}
