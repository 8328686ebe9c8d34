package org.attnbench.variants.sparse;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import org.attnbench.api.Ops;
import org.attnbench.api.Tensor;

/**
 * The pieces every sparse pattern here is built from, so that only allowed pairs are ever multiplied. Tensors are
 * [batch, heads, m, dh] with m the padded length. A {@link Group} is one set of keys per query (the query's own and
 * neighbouring blocks, a shared set of columns, a strided sub-sequence): its logits laid out as rows [batch, heads,
 * m, width], a 0/1 mask [m, width], and how to turn its share of the softmax weights into values. Groups are then
 * normalised together by one softmax over all their columns ({@link #attend}), which is how a query that sees a
 * union of patterns gets exactly one probability per allowed key.
 */
final class BlockSparse {
    private BlockSparse() {}

    /** One set of keys per query; {@code values} maps the group's row weights [b, h, m, width] to [b, h, m, dh]. */
    record Group(Tensor logits, Tensor mask, UnaryOperator<Tensor> values) {}

    /** Pads axis 2 (the sequence) with zeros up to m rows. */
    static Tensor padTo(Ops ops, Tensor t, int m) {
        int n = t.dim(2);
        return m == n ? t : ops.pad(t, 2, 0, m - n, 0.0);
    }

    /**
     * Query block I (rows I*block .. I*block+block-1 of q) against the key blocks keyBlocks[I] (-1 = unused slot):
     * one batched product [blocks, block, slots*block] per head, never a dense one. q may hold fewer blocks than k:
     * its first block is then query block {@code firstBlock} of the sequence. allowed(i, j) takes sequence
     * positions and must already include the pattern, causality and j below the real length; duplicate and unused
     * slots are masked out here.
     */
    static Group blocks(Ops ops, Tensor q, Tensor k, Tensor v, int block, int firstBlock, int[][] keyBlocks,
            Ops.PairPredicate allowed) {
        int b = q.dim(0), h = q.dim(1), rows = q.dim(2), dh = q.dim(3);
        int qBlocks = rows / block, kBlocks = k.dim(2) / block, slots = keyBlocks[0].length;
        int[] index = new int[qBlocks * slots];
        for (int qb = 0; qb < qBlocks; qb++) {
            for (int s = 0; s < slots; s++) index[qb * slots + s] = Math.max(0, keyBlocks[qb][s]);
        }
        Tensor kb = ops.reshape(ops.gather(ops.reshape(k, b, h, kBlocks, block, dh), 2, index, qBlocks, slots),
                b, h, qBlocks, slots * block, dh);
        Tensor vb = ops.reshape(ops.gather(ops.reshape(v, b, h, kBlocks, block, dh), 2, index, qBlocks, slots),
                b, h, qBlocks, slots * block, dh);
        Tensor logits = ops.matmul(ops.reshape(q, b, h, qBlocks, block, dh), false, kb, true);
        Tensor mask = ops.mask(rows, slots * block, (r, c) -> {
            int[] mine = keyBlocks[r / block];
            int slot = c / block, key = mine[slot];
            if (key < 0) return false;
            for (int s = 0; s < slot; s++) {
                if (mine[s] == key) return false; // a block listed twice is counted once
            }
            return allowed.test(firstBlock * block + r, key * block + c % block);
        });
        return new Group(ops.reshape(logits, b, h, rows, slots * block), mask,
                w -> ops.reshape(ops.matmul(ops.reshape(w, b, h, qBlocks, block, slots * block), vb), b, h, rows, dh));
    }

    /** Every query against the same keys kc, vc [b, h, c, dh] (global or summary columns). */
    static Group columns(Ops ops, Tensor q, Tensor kc, Tensor vc, Tensor mask) {
        return new Group(ops.matmul(q, false, kc, true), mask, w -> ops.matmul(w, vc));
    }

    /** One softmax over the columns of all groups; the sum of each group's weighted values. */
    static Tensor attend(Ops ops, List<Group> groups) {
        if (groups.size() == 1) {
            Group g = groups.get(0);
            return g.values().apply(ops.softmax(g.logits(), -1, g.mask()));
        }
        List<Tensor> logits = new ArrayList<>(), masks = new ArrayList<>();
        for (Group g : groups) {
            logits.add(g.logits());
            masks.add(g.mask());
        }
        Tensor weights = ops.softmax(ops.concat(logits, -1), -1, ops.concat(masks, -1));
        Tensor out = null;
        int start = 0;
        for (Group g : groups) {
            int width = g.logits().dim(3);
            Tensor part = g.values().apply(ops.slice(weights, -1, start, start + width));
            out = out == null ? part : ops.add(out, part);
            start += width;
        }
        return out;
    }
}
