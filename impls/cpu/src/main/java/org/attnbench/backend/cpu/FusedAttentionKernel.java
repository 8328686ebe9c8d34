package org.attnbench.backend.cpu;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import org.attnbench.api.AttentionKernel;

/**
 * Fused attention forward ({@link AttentionKernel}) on the CPU, tiled as FlashAttention is. A task takes one batch item
 * and head and {@link #GROUP} blocks of {@link #QUERY_BLOCK} queries; it walks the key tiles of {@link #KEY_BLOCK} keys
 * its queries may see, packing each tile once for all its blocks, and keeps only per-thread tiles, so memory beyond the
 * output is constant in n. For each key tile and query block:
 * <ol>
 *   <li>the logits, transposed: S^T = K_tile Q_block^T, so that a vector holds one key's logits for consecutive
 *       queries and every per-query statistic is lanewise (no horizontal reductions); logits are in base-2 units
 *       (log2 e folded into the query scale), so every exponential is an inlined 2^x;</li>
 *   <li>softmax: the tile's maximum, the running maximum m and sum l per query (online softmax) and the factor
 *       exp(m_old - m_new) the output so far is rescaled by; sigmoid: the weights, with no maximum, sum or rescaling
 *       (as FLASHSIGMOID drops them);</li>
 *   <li>the tile's V^T P^T, summed apart in registers and then added into O^T (with the rescaling): summing each tile
 *       apart keeps the float32 error of a sum over n keys near a blocked BLAS product's, where accumulating every
 *       key into O^T in one running sum measured 3 times the unfused path's error at n = 4096.</li>
 * </ol>
 * Only the key tiles a block can see are visited: a causal block stops at its diagonal, a window block walks its band;
 * tiles that every query of the block sees skip the mask. Both products are one register-blocked micro-kernel
 * ({@code product}: accumulators for a few rows by a few vectors of queries) over packed tiles, so the inputs may have
 * any strides (the keys and values come from the projections as permuted views and are read without being copied
 * whole).
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
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    /** Rows of the micro-kernel's accumulator blocks and of the packed panels (see product). */
    private static final int MR = LANES >= 16 ? 8 : 6;
    /** Queries per block (a multiple of 2 and of 3 vectors, for either micro-kernel) and keys per tile (of 6 and 8). */
    static final int QUERY_BLOCK = 6 * LANES;
    static final int KEY_BLOCK = 48;
    /**
     * Queries per task: several query blocks share each packed key and value tile, which cuts the keys and values
     * read from memory by as much (they are read once per task).
     */
    static final int GROUP = 16;
    static final int TASK_QUERIES = GROUP * QUERY_BLOCK;

    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final double LOG2E = 1 / Math.log(2);
    /** 1.5 * 2^23: adding it rounds a float of magnitude below 2^22 to an integer held in the low mantissa bits. */
    private static final float ROUNDING = 12582912f;
    /** The bits whose difference from those of d approximate 1/d (the exponent negated, the mantissa's linear fit). */
    private static final int RECIPROCAL_GUESS = 0x7EF311C3;
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
     * Computes the attention of q, k, v into out, the row-major [B, n, h, dh] array. Tasks (see the class comment) run
     * on the common fork-join pool, or on the pool the caller runs in.
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

    /** Per-thread buffers and the code for one task's queries. */
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
        /** sigmoid's alpha (it never rescales): alpha O^T + tile is then exactly O^T + tile. */
        private static final float[] ONES = new float[QUERY_BLOCK];

        static {
            Arrays.fill(ONES, 1f);
        }
        /** dh rounded up to whole panels of MR rows (the output's rows in O^T; rows past dh stay 0). */
        final int dhp;
        final float[] qt;                                     // Q^T per query block, scaled: [GROUP][dh][QUERY_BLOCK]
        final float[] kp;                                     // key rows in panels: [KEY_BLOCK / MR][dh][MR]
        final float[] vp;                                     // value columns in panels: [dhp / MR][KEY_BLOCK][MR]
        final float[] row;                                    // one key or value row on its way into its panels
        final float[] s = new float[KEY_BLOCK * QUERY_BLOCK];  // logits then weights, transposed: [key][query]
        final float[] ot;                                     // the output, transposed, per query block: [GROUP][dhp][QUERY_BLOCK]
        final float[] m = new float[TASK_QUERIES], l = new float[TASK_QUERIES], alpha = new float[QUERY_BLOCK];
        final float[] tileMax = new float[QUERY_BLOCK];       // the tile's maximum logit per query, then the shift
        final float[] tileSum = new float[QUERY_BLOCK];       // the tile's sum of weights per query
        final int[] lo = new int[KEY_BLOCK], hi = new int[KEY_BLOCK];
        /** Where the prefetching reads go (see touch). */
        float sink;

        VectorTile(int dh) {
            super(dh);
            dhp = (dh + MR - 1) / MR * MR;
            qt = new float[GROUP * dh * QUERY_BLOCK];
            kp = new float[KEY_BLOCK * dh];
            vp = new float[KEY_BLOCK * dhp];
            row = new float[dh];
            ot = new float[GROUP * dhp * QUERY_BLOCK];
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
            Arrays.fill(ot, 0, blocks * dhp * QUERY_BLOCK, 0f);
            Arrays.fill(m, Float.NEGATIVE_INFINITY);
            Arrays.fill(l, 0f);
            int from = kernel.firstKey(i0), to = kernel.endKey(i0 + count - 1, n);
            float touched = touch(k, v, b, h, from, Math.min(KEY_BLOCK, to - from));
            for (int j0 = from; j0 < to; j0 += KEY_BLOCK) {
                int keys = Math.min(KEY_BLOCK, to - j0);
                int padded = (keys + MR - 1) / MR * MR;
                if (j0 + KEY_BLOCK < to) touched += touch(k, v, b, h, j0 + KEY_BLOCK, Math.min(KEY_BLOCK, to - j0 - KEY_BLOCK));
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
                    product(kp, dh, qt, g * dh * QUERY_BLOCK, s, 0, padded, dh, null);   // S^T = K Q^T
                    if (softmax) softmax(keys, full, g * QUERY_BLOCK);
                    else sigmoid(keys, full, bias);
                    product(vp, KEY_BLOCK, s, 0, ot, g * dhp * QUERY_BLOCK, dhp, keys, softmax ? alpha : ONES);
                }
            }
            for (int g = 0; g < blocks; g++) {
                writeRows(out, shape, b, h, i0 + g * QUERY_BLOCK, Math.min(QUERY_BLOCK, count - g * QUERY_BLOCK),
                        g * dhp * QUERY_BLOCK, g * QUERY_BLOCK, softmax);
            }
            sink = touched;
        }

        /**
         * Reads one value per cache line of key and value rows j0 .. j0+keys (the next tile's, while this one is
         * computed). The rows of a head lie a model width apart (the projections' layout), so each pair of rows is on
         * its own 4 KB page, where hardware prefetchers stop: packing a tile row after row then waited for one miss
         * at a time. These independent loads start the misses together. The sum only keeps them from being removed.
         */
        private float touch(Operand k, Operand v, int b, int h, int j0, int keys) {
            float sum = 0;
            long step = k.sc() == 1 && v.sc() == 1 ? 16 : 1; // 16 floats to a 64-byte line
            for (int j = 0; j < keys; j++) {
                long kr = k.row(b, h, j0 + j), vr = v.row(b, h, j0 + j);
                for (long c = 0; c < dh; c += step) {
                    sum += k.data().getAtIndex(JAVA_FLOAT_UNALIGNED, kr + c * k.sc()) + v.data().getAtIndex(JAVA_FLOAT_UNALIGNED, vr + c * v.sc());
                }
            }
            return sum;
        }

        private void packQueries(Operand q, int b, int h, int i0, int rows, int offset, double scale) {
            MemorySegment data = q.data();
            for (int r = 0; r < QUERY_BLOCK; r++) {
                if (r >= rows) {
                    for (int c = 0; c < dh; c++) qt[offset + c * QUERY_BLOCK + r] = 0f;
                    continue;
                }
                long at = q.row(b, h, i0 + r);
                for (int c = 0; c < dh; c++) {
                    qt[offset + c * QUERY_BLOCK + r] = (float) (scale * data.getAtIndex(JAVA_FLOAT_UNALIGNED, at + c * q.sc()));
                }
            }
        }

        /** Row j of an operand into the row buffer: by vectors where the row is contiguous, one access per vector. */
        private void readRow(Operand x, int b, int h, int j) {
            MemorySegment data = x.data();
            long at = x.row(b, h, j);
            if (x.sc() == 1 && dh % LANES == 0) {
                for (int c = 0; c < dh; c += LANES) FloatVector.fromMemorySegment(F, data, (at + c) * 4, ORDER).intoArray(row, c);
            } else {
                for (int c = 0; c < dh; c++) row[c] = data.getAtIndex(JAVA_FLOAT_UNALIGNED, at + c * x.sc());
            }
        }

        /** Key rows j0 .. j0+keys as the product's panels: key j, column c at (j / MR) dh MR + c MR + j % MR; padding 0. */
        private void packKeys(Operand k, int b, int h, int j0, int keys, int padded) {
            for (int j = 0; j < padded; j++) {
                int at = j / MR * MR * dh + j % MR;
                if (j >= keys) {
                    for (int c = 0; c < dh; c++) kp[at + c * MR] = 0f;
                } else {
                    readRow(k, b, h, j0 + j);
                    for (int c = 0; c < dh; c++) kp[at + c * MR] = row[c];
                }
            }
        }

        /** Value rows j0 .. j0+keys as panels of MR columns: key j, column c at (c / MR) KEY_BLOCK MR + j MR + c % MR. */
        private void packValues(Operand v, int b, int h, int j0, int keys) {
            for (int j = 0; j < keys; j++) {
                readRow(v, b, h, j0 + j);
                for (int c = 0; c < dh; c++) vp[c / MR * KEY_BLOCK * MR + j * MR + c % MR] = row[c];
            }
        }

        /**
         * Online softmax over the tile: masked logits become -inf; with the tile's maximum per query the weights
         * exp2(s - m_new) replace the logits (exactly 0 where masked), and the running sum l, scaled first by alpha =
         * exp2(m_old - m_new) (as the output so far will be), grows by them. Where no maximum moved, alpha is exactly
         * 1 (or 0 for a query that has seen no key yet, whose output is still 0), so the rescaling changes nothing. The
         * tile is walked row by row (a key's logits for the block's queries), never down its columns: stepping down
         * the columns measured 3x slower (43 against 14 cycles a vector), though the statistics then live in memory
         * rather than in registers.
         */
        private void softmax(int keys, boolean full, int stats) {
            tileMaximum(keys, full);
            updateStatistics(stats);
            weights(keys, stats);
        }

        // The three steps are methods of their own: as one, C2 stopped inlining the Vector API inside (measured: a
        // third of the time in FloatVector.lanewiseTemplate, the interpreter's fallback).

        private void tileMaximum(int keys, boolean full) {
            for (int i = 0; i < QUERY_BLOCK; i += LANES) MINUS_INFINITY.intoArray(tileMax, i);
            for (int j = 0; j < keys; j++) {
                for (int i = 0; i < QUERY_BLOCK; i += LANES) {
                    int at = j * QUERY_BLOCK + i;
                    FloatVector x = FloatVector.fromArray(F, s, at);
                    if (!full) {
                        x = MINUS_INFINITY.blend(x, visible(j, i));
                        x.intoArray(s, at);
                    }
                    larger(FloatVector.fromArray(F, tileMax, i), x).intoArray(tileMax, i);
                }
            }
        }

        /** The new maxima m, alpha, l scaled by alpha, and in tileMax the shift the weights subtract. */
        private void updateStatistics(int stats) {
            for (int i = 0; i < QUERY_BLOCK; i += LANES) {
                FloatVector old = FloatVector.fromArray(F, m, stats + i), now = larger(old, FloatVector.fromArray(F, tileMax, i));
                // A query that has seen no key yet keeps m = -inf; subtracting 0 instead keeps its weights exactly 0.
                FloatVector shift = now.blend(FloatVector.zero(F), now.compare(VectorOperators.EQ, Float.NEGATIVE_INFINITY));
                shift.intoArray(tileMax, i);
                FloatVector a = exp2(old.sub(shift));
                a.intoArray(alpha, i);
                FloatVector.fromArray(F, l, stats + i).mul(a).intoArray(l, stats + i);
                now.intoArray(m, stats + i);
            }
        }

        /**
         * The weights, and their sum added to l once per tile: one running sum over every key measured 3.4 times the
         * unfused path's float32 error at n = 799, where a sum per tile of 48 keys stays within it.
         */
        private void weights(int keys, int stats) {
            for (int i = 0; i < QUERY_BLOCK; i += LANES) FloatVector.zero(F).intoArray(tileSum, i);
            for (int j = 0; j < keys; j++) {
                for (int i = 0; i < QUERY_BLOCK; i += LANES) {
                    int at = j * QUERY_BLOCK + i;
                    FloatVector e = exp2(FloatVector.fromArray(F, s, at).sub(FloatVector.fromArray(F, tileMax, i)));
                    e.intoArray(s, at);
                    FloatVector.fromArray(F, tileSum, i).add(e).intoArray(tileSum, i);
                }
            }
            for (int i = 0; i < QUERY_BLOCK; i += LANES) {
                FloatVector.fromArray(F, l, stats + i).add(FloatVector.fromArray(F, tileSum, i)).intoArray(l, stats + i);
            }
        }

        /**
         * Sigmoid weights 1 / (1 + 2^-(s + bias)) replace the logits (base-2 units), masked pairs get 0; the power is
         * held below 2^126 (where the weight is below 1e-38 anyway) so that it cannot overflow. The output so far never
         * needs rescaling.
         */
        private void sigmoid(int keys, boolean full, float bias) {
            denominators(keys, bias);
            FloatVector zero = FloatVector.zero(F);
            for (int j = 0; j < keys; j++) {
                for (int i = 0; i < QUERY_BLOCK; i += LANES) {
                    int at = j * QUERY_BLOCK + i;
                    FloatVector w = reciprocal(FloatVector.fromArray(F, s, at));
                    if (!full) w = zero.blend(w, visible(j, i));
                    w.intoArray(s, at);
                }
            }
        }

        /**
         * 1 + 2^-(s + bias) in place of each logit. A pass of its own: with the reciprocal in the same loop, C2 first
         * left a multiplication to the Vector API's Java fallback, and once that was gone one pass still measured 3%
         * to 7% slower (against fused dense, in one JVM) where two are even.
         */
        private void denominators(int keys, float bias) {
            FloatVector one = FloatVector.broadcast(F, 1f), minusBias = FloatVector.broadcast(F, -bias);
            for (int at = 0; at < keys * QUERY_BLOCK; at += LANES) {
                FloatVector t = minusBias.sub(FloatVector.fromArray(F, s, at));
                exp2(t.blend(126f, t.compare(VectorOperators.GT, 126f))).add(one).intoArray(s, at);
            }
        }

        /** The lanes of key row j that queries i .. i+LANES may see. */
        private VectorMask<Float> visible(int j, int i) {
            FloatVector r = IOTA.add(i);
            return r.compare(VectorOperators.GE, lo[j]).and(r.compare(VectorOperators.LE, hi[j]));
        }

        /** A block's rows (O^T transposed back), divided by their softmax sums, into the [B, n, h, dh] output. */
        private void writeRows(MemorySegment out, Shape shape, int b, int h, int i0, int rows, int oOffset, int stats,
                               boolean softmax) {
            for (int r = 0; r < rows; r++) {
                float norm = softmax ? 1f / l[stats + r] : 1f;
                for (int c = 0; c < dh; c++) row[c] = ot[oOffset + c * QUERY_BLOCK + r] * norm;
                long at = (((long) b * shape.n() + i0 + r) * shape.heads() + h) * dh;
                MemorySegment.copy(row, 0, out, JAVA_FLOAT_UNALIGNED, at * 4, dh);
            }
        }
    }

    /**
     * The one micro-kernel, for both products: T[r][i] = sum_k A[r][k] B[k][i] for rows r < rows (a multiple of MR)
     * and k < depth, for every query i of a block, with A in panels of MR rows (element (r, k) at (r / MR) panelDepth
     * MR + k MR + r % MR) and B and C row-major in rows of QUERY_BLOCK; C = T where alpha is null, else C = alpha C + T
     * (alpha per query: the online softmax's rescaling, fused so that a tile's sums never leave the registers). An
     * accumulator block is MR rows by NR vectors of queries, a panel of queries against every row so it stays in cache:
     * 6 by 2 where there are 16 vector registers (AVX2), 8 by 3 where there are 32 (AVX-512: 24 accumulators, 3 loads
     * and 8 broadcasts for 24 FMAs, where 6 by 2 needs 8 for 12; measured 8% to 13% faster on the whole kernel). The
     * loop over k holds only FMAs and loads: with anything else live across it (an epilogue's constants), or with the
     * accumulators loaded from memory in another loop shape, C2 spilled accumulators; with the epilogue in a helper
     * method choosing among three cases, the kernel measured 1.2 to 1.5 times slower.
     */
    private static void product(float[] a, int panelDepth, float[] b, int bOffset, float[] c, int cOffset, int rows,
                                int depth, float[] alpha) {
        if (MR == 8) product8x3(a, panelDepth, b, bOffset, c, cOffset, rows, depth, alpha);
        else product6x2(a, panelDepth, b, bOffset, c, cOffset, rows, depth, alpha);
    }

    /** {@link #product} with blocks of 6 rows by 2 vectors (A in panels of 6 rows). */
    static void product6x2(float[] a, int panelDepth, float[] b, int bOffset, float[] c, int cOffset, int rows, int depth,
                           float[] alpha) {
        for (int i = 0; i < QUERY_BLOCK; i += 2 * LANES) {
            for (int p = 0; p < rows; p += 6) {
                int ab = p * panelDepth, at = cOffset + p * QUERY_BLOCK + i;
                FloatVector c00 = FloatVector.zero(F), c01 = c00;
                FloatVector c10 = FloatVector.zero(F), c11 = c10;
                FloatVector c20 = FloatVector.zero(F), c21 = c20;
                FloatVector c30 = FloatVector.zero(F), c31 = c30;
                FloatVector c40 = FloatVector.zero(F), c41 = c40;
                FloatVector c50 = FloatVector.zero(F), c51 = c50;
                for (int k = 0; k < depth; k++) {
                    int bo = bOffset + k * QUERY_BLOCK + i, ak = ab + k * 6;
                    FloatVector b0 = FloatVector.fromArray(F, b, bo), b1 = FloatVector.fromArray(F, b, bo + LANES);
                    FloatVector x0 = FloatVector.broadcast(F, a[ak + 0]);
                    c00 = x0.fma(b0, c00);
                    c01 = x0.fma(b1, c01);
                    FloatVector x1 = FloatVector.broadcast(F, a[ak + 1]);
                    c10 = x1.fma(b0, c10);
                    c11 = x1.fma(b1, c11);
                    FloatVector x2 = FloatVector.broadcast(F, a[ak + 2]);
                    c20 = x2.fma(b0, c20);
                    c21 = x2.fma(b1, c21);
                    FloatVector x3 = FloatVector.broadcast(F, a[ak + 3]);
                    c30 = x3.fma(b0, c30);
                    c31 = x3.fma(b1, c31);
                    FloatVector x4 = FloatVector.broadcast(F, a[ak + 4]);
                    c40 = x4.fma(b0, c40);
                    c41 = x4.fma(b1, c41);
                    FloatVector x5 = FloatVector.broadcast(F, a[ak + 5]);
                    c50 = x5.fma(b0, c50);
                    c51 = x5.fma(b1, c51);
                }
                if (alpha == null) {
                    c00.intoArray(c, at + 0 * QUERY_BLOCK);
                    c01.intoArray(c, at + 0 * QUERY_BLOCK + LANES);
                    c10.intoArray(c, at + 1 * QUERY_BLOCK);
                    c11.intoArray(c, at + 1 * QUERY_BLOCK + LANES);
                    c20.intoArray(c, at + 2 * QUERY_BLOCK);
                    c21.intoArray(c, at + 2 * QUERY_BLOCK + LANES);
                    c30.intoArray(c, at + 3 * QUERY_BLOCK);
                    c31.intoArray(c, at + 3 * QUERY_BLOCK + LANES);
                    c40.intoArray(c, at + 4 * QUERY_BLOCK);
                    c41.intoArray(c, at + 4 * QUERY_BLOCK + LANES);
                    c50.intoArray(c, at + 5 * QUERY_BLOCK);
                    c51.intoArray(c, at + 5 * QUERY_BLOCK + LANES);
                } else {
                    FloatVector a0 = FloatVector.fromArray(F, alpha, i);
                    FloatVector a1 = FloatVector.fromArray(F, alpha, i + LANES);
                    int row0 = at + 0 * QUERY_BLOCK;
                    FloatVector.fromArray(F, c, row0).fma(a0, c00).intoArray(c, row0);
                    FloatVector.fromArray(F, c, row0 + LANES).fma(a1, c01).intoArray(c, row0 + LANES);
                    int row1 = at + 1 * QUERY_BLOCK;
                    FloatVector.fromArray(F, c, row1).fma(a0, c10).intoArray(c, row1);
                    FloatVector.fromArray(F, c, row1 + LANES).fma(a1, c11).intoArray(c, row1 + LANES);
                    int row2 = at + 2 * QUERY_BLOCK;
                    FloatVector.fromArray(F, c, row2).fma(a0, c20).intoArray(c, row2);
                    FloatVector.fromArray(F, c, row2 + LANES).fma(a1, c21).intoArray(c, row2 + LANES);
                    int row3 = at + 3 * QUERY_BLOCK;
                    FloatVector.fromArray(F, c, row3).fma(a0, c30).intoArray(c, row3);
                    FloatVector.fromArray(F, c, row3 + LANES).fma(a1, c31).intoArray(c, row3 + LANES);
                    int row4 = at + 4 * QUERY_BLOCK;
                    FloatVector.fromArray(F, c, row4).fma(a0, c40).intoArray(c, row4);
                    FloatVector.fromArray(F, c, row4 + LANES).fma(a1, c41).intoArray(c, row4 + LANES);
                    int row5 = at + 5 * QUERY_BLOCK;
                    FloatVector.fromArray(F, c, row5).fma(a0, c50).intoArray(c, row5);
                    FloatVector.fromArray(F, c, row5 + LANES).fma(a1, c51).intoArray(c, row5 + LANES);
                }
            }
        }
    }

    /** {@link #product} with blocks of 8 rows by 3 vectors (A in panels of 8 rows). */
    static void product8x3(float[] a, int panelDepth, float[] b, int bOffset, float[] c, int cOffset, int rows, int depth,
                           float[] alpha) {
        for (int i = 0; i < QUERY_BLOCK; i += 3 * LANES) {
            for (int p = 0; p < rows; p += 8) {
                int ab = p * panelDepth, at = cOffset + p * QUERY_BLOCK + i;
                FloatVector c00 = FloatVector.zero(F), c01 = c00, c02 = c00;
                FloatVector c10 = FloatVector.zero(F), c11 = c10, c12 = c10;
                FloatVector c20 = FloatVector.zero(F), c21 = c20, c22 = c20;
                FloatVector c30 = FloatVector.zero(F), c31 = c30, c32 = c30;
                FloatVector c40 = FloatVector.zero(F), c41 = c40, c42 = c40;
                FloatVector c50 = FloatVector.zero(F), c51 = c50, c52 = c50;
                FloatVector c60 = FloatVector.zero(F), c61 = c60, c62 = c60;
                FloatVector c70 = FloatVector.zero(F), c71 = c70, c72 = c70;
                for (int k = 0; k < depth; k++) {
                    int bo = bOffset + k * QUERY_BLOCK + i, ak = ab + k * 8;
                    FloatVector b0 = FloatVector.fromArray(F, b, bo), b1 = FloatVector.fromArray(F, b, bo + LANES);
                    FloatVector b2 = FloatVector.fromArray(F, b, bo + 2 * LANES);
                    FloatVector x0 = FloatVector.broadcast(F, a[ak + 0]);
                    c00 = x0.fma(b0, c00);
                    c01 = x0.fma(b1, c01);
                    c02 = x0.fma(b2, c02);
                    FloatVector x1 = FloatVector.broadcast(F, a[ak + 1]);
                    c10 = x1.fma(b0, c10);
                    c11 = x1.fma(b1, c11);
                    c12 = x1.fma(b2, c12);
                    FloatVector x2 = FloatVector.broadcast(F, a[ak + 2]);
                    c20 = x2.fma(b0, c20);
                    c21 = x2.fma(b1, c21);
                    c22 = x2.fma(b2, c22);
                    FloatVector x3 = FloatVector.broadcast(F, a[ak + 3]);
                    c30 = x3.fma(b0, c30);
                    c31 = x3.fma(b1, c31);
                    c32 = x3.fma(b2, c32);
                    FloatVector x4 = FloatVector.broadcast(F, a[ak + 4]);
                    c40 = x4.fma(b0, c40);
                    c41 = x4.fma(b1, c41);
                    c42 = x4.fma(b2, c42);
                    FloatVector x5 = FloatVector.broadcast(F, a[ak + 5]);
                    c50 = x5.fma(b0, c50);
                    c51 = x5.fma(b1, c51);
                    c52 = x5.fma(b2, c52);
                    FloatVector x6 = FloatVector.broadcast(F, a[ak + 6]);
                    c60 = x6.fma(b0, c60);
                    c61 = x6.fma(b1, c61);
                    c62 = x6.fma(b2, c62);
                    FloatVector x7 = FloatVector.broadcast(F, a[ak + 7]);
                    c70 = x7.fma(b0, c70);
                    c71 = x7.fma(b1, c71);
                    c72 = x7.fma(b2, c72);
                }
                if (alpha == null) {
                    c00.intoArray(c, at + 0 * QUERY_BLOCK);
                    c01.intoArray(c, at + 0 * QUERY_BLOCK + LANES);
                    c02.intoArray(c, at + 0 * QUERY_BLOCK + 2 * LANES);
                    c10.intoArray(c, at + 1 * QUERY_BLOCK);
                    c11.intoArray(c, at + 1 * QUERY_BLOCK + LANES);
                    c12.intoArray(c, at + 1 * QUERY_BLOCK + 2 * LANES);
                    c20.intoArray(c, at + 2 * QUERY_BLOCK);
                    c21.intoArray(c, at + 2 * QUERY_BLOCK + LANES);
                    c22.intoArray(c, at + 2 * QUERY_BLOCK + 2 * LANES);
                    c30.intoArray(c, at + 3 * QUERY_BLOCK);
                    c31.intoArray(c, at + 3 * QUERY_BLOCK + LANES);
                    c32.intoArray(c, at + 3 * QUERY_BLOCK + 2 * LANES);
                    c40.intoArray(c, at + 4 * QUERY_BLOCK);
                    c41.intoArray(c, at + 4 * QUERY_BLOCK + LANES);
                    c42.intoArray(c, at + 4 * QUERY_BLOCK + 2 * LANES);
                    c50.intoArray(c, at + 5 * QUERY_BLOCK);
                    c51.intoArray(c, at + 5 * QUERY_BLOCK + LANES);
                    c52.intoArray(c, at + 5 * QUERY_BLOCK + 2 * LANES);
                    c60.intoArray(c, at + 6 * QUERY_BLOCK);
                    c61.intoArray(c, at + 6 * QUERY_BLOCK + LANES);
                    c62.intoArray(c, at + 6 * QUERY_BLOCK + 2 * LANES);
                    c70.intoArray(c, at + 7 * QUERY_BLOCK);
                    c71.intoArray(c, at + 7 * QUERY_BLOCK + LANES);
                    c72.intoArray(c, at + 7 * QUERY_BLOCK + 2 * LANES);
                } else {
                    FloatVector a0 = FloatVector.fromArray(F, alpha, i);
                    FloatVector a1 = FloatVector.fromArray(F, alpha, i + LANES);
                    FloatVector a2 = FloatVector.fromArray(F, alpha, i + 2 * LANES);
                    int row0 = at + 0 * QUERY_BLOCK;
                    FloatVector.fromArray(F, c, row0).fma(a0, c00).intoArray(c, row0);
                    FloatVector.fromArray(F, c, row0 + LANES).fma(a1, c01).intoArray(c, row0 + LANES);
                    FloatVector.fromArray(F, c, row0 + 2 * LANES).fma(a2, c02).intoArray(c, row0 + 2 * LANES);
                    int row1 = at + 1 * QUERY_BLOCK;
                    FloatVector.fromArray(F, c, row1).fma(a0, c10).intoArray(c, row1);
                    FloatVector.fromArray(F, c, row1 + LANES).fma(a1, c11).intoArray(c, row1 + LANES);
                    FloatVector.fromArray(F, c, row1 + 2 * LANES).fma(a2, c12).intoArray(c, row1 + 2 * LANES);
                    int row2 = at + 2 * QUERY_BLOCK;
                    FloatVector.fromArray(F, c, row2).fma(a0, c20).intoArray(c, row2);
                    FloatVector.fromArray(F, c, row2 + LANES).fma(a1, c21).intoArray(c, row2 + LANES);
                    FloatVector.fromArray(F, c, row2 + 2 * LANES).fma(a2, c22).intoArray(c, row2 + 2 * LANES);
                    int row3 = at + 3 * QUERY_BLOCK;
                    FloatVector.fromArray(F, c, row3).fma(a0, c30).intoArray(c, row3);
                    FloatVector.fromArray(F, c, row3 + LANES).fma(a1, c31).intoArray(c, row3 + LANES);
                    FloatVector.fromArray(F, c, row3 + 2 * LANES).fma(a2, c32).intoArray(c, row3 + 2 * LANES);
                    int row4 = at + 4 * QUERY_BLOCK;
                    FloatVector.fromArray(F, c, row4).fma(a0, c40).intoArray(c, row4);
                    FloatVector.fromArray(F, c, row4 + LANES).fma(a1, c41).intoArray(c, row4 + LANES);
                    FloatVector.fromArray(F, c, row4 + 2 * LANES).fma(a2, c42).intoArray(c, row4 + 2 * LANES);
                    int row5 = at + 5 * QUERY_BLOCK;
                    FloatVector.fromArray(F, c, row5).fma(a0, c50).intoArray(c, row5);
                    FloatVector.fromArray(F, c, row5 + LANES).fma(a1, c51).intoArray(c, row5 + LANES);
                    FloatVector.fromArray(F, c, row5 + 2 * LANES).fma(a2, c52).intoArray(c, row5 + 2 * LANES);
                    int row6 = at + 6 * QUERY_BLOCK;
                    FloatVector.fromArray(F, c, row6).fma(a0, c60).intoArray(c, row6);
                    FloatVector.fromArray(F, c, row6 + LANES).fma(a1, c61).intoArray(c, row6 + LANES);
                    FloatVector.fromArray(F, c, row6 + 2 * LANES).fma(a2, c62).intoArray(c, row6 + 2 * LANES);
                    int row7 = at + 7 * QUERY_BLOCK;
                    FloatVector.fromArray(F, c, row7).fma(a0, c70).intoArray(c, row7);
                    FloatVector.fromArray(F, c, row7 + LANES).fma(a1, c71).intoArray(c, row7 + LANES);
                    FloatVector.fromArray(F, c, row7 + 2 * LANES).fma(a2, c72).intoArray(c, row7 + 2 * LANES);
                }
            }
        }
    }

    /** The lanewise larger of two vectors without NaN (a compare and a blend; Java's max is five instructions). */
    private static FloatVector larger(FloatVector a, FloatVector b) {
        return a.blend(b, b.compare(VectorOperators.GT, a));
    }

    /**
     * 1/d for d in [1, 2^126]: a first guess from the bits (within 12%) and two third-order Newton steps r (1 + e +
     * e^2) with e = 1 - d r, each cubing the error (to float32's rounding). Eight lanewise operations on the FMA ports
     * in place of a division, which the vector units do not pipeline (measured 1% to 9% off fused sigmoid's time).
     */
    static FloatVector reciprocal(FloatVector d) {
        FloatVector r = IntVector.broadcast(INTS, RECIPROCAL_GUESS).sub(d.reinterpretAsInts()).reinterpretAsFloats();
        FloatVector one = FloatVector.broadcast(F, 1f), minus = FloatVector.zero(F).sub(d);
        FloatVector e = minus.fma(r, one);
        r = r.fma(e.fma(e, e), r);
        e = minus.fma(r, one);
        return r.fma(e.fma(e, e), r);
    }

    /**
     * 2^t for t in [-inf, 126]: 2^n 2^f with n = round(t) (added to the exponent bits) and f in [-1/2, 1/2], 2^f by its
     * Taylor series in f ln 2 to degree 7 (truncation error below 1e-8 relative; measured within 0.9 ulp of 2^t, as
     * the JDK's exp is). Values below 2^-126 (and -inf) give exactly 0, which is what masked logits need.
     */
    static FloatVector exp2(FloatVector t) {
        FloatVector x = t.blend(-127f, t.compare(VectorOperators.LT, -127f));
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
