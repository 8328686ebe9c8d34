package org.attnbench.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListOpsTest {

    @Test
    void evaluatorOnHandWrittenExpressions() {
        assertEquals(9, ListOps.evaluate("[MAX 2 9 [MIN 4 7 ] 0 ]"));
        assertEquals(2, ListOps.evaluate("[SM 3 9]"));
        assertEquals(3, ListOps.evaluate("[MED 1 5 3]"));
        assertEquals(0, ListOps.evaluate("[MIN 4 [MAX 0 0 ] 8 ]"));
        assertEquals(7, ListOps.evaluate("7"));
        // numpy's median of 1 2 is 1.5 and LRA's int() makes it 1; of 2 3 8 9 it is 5.5, so 5.
        assertEquals(1, ListOps.evaluate("[MED 2 1 ]"));
        assertEquals(5, ListOps.evaluate("[MED 9 2 8 3 ]"));
        assertEquals(6, ListOps.evaluate("[SM [SM 9 9 ] [MED 1 7 9 ] [MAX 0 1 ] ]"));
        assertEquals(5, ListOps.evaluate("[MAX [MIN 5 6 [SM 4 4 ] ] [MED 0 0 9 ] 2 ]"));
    }

    @Test
    void evaluatorRefusesMalformedExpressions() {
        for (String bad : List.of("[MAX 1 2", "[MAX ]", "1 2", "]", "[MAX 1 2 ] 3", "[FOO 1 2 ]", "")) {
            assertThrows(IllegalArgumentException.class, () -> ListOps.evaluate(bad), bad);
        }
        assertThrows(IllegalArgumentException.class,
                () -> ListOps.evaluate(new int[] {ListOps.MAX, 1, ListOps.PAD, 2, ListOps.END}));
    }

    @Test
    void tokensAreTheDocumentedIds() {
        assertArrayEquals(new int[] {11, 2, 10, 4, 14, 13, 9, 14, 14}, ListOps.tokenize("[MAX 2 [MIN 4] [SM 9]]"));
        assertEquals(16, Tasks.create("listops", 64, 1).vocabulary());
        assertEquals(10, Tasks.create("listops", 64, 1).classes());
    }

    @Test
    void generatedTargetsMatchAnIndependentParse() {
        for (int n : new int[] {4, 16, 100, 1000}) {
            Task t = Tasks.create("listops", n, 3);
            for (int i = 0; i < 100; i++) {
                Example e = i % 2 == 0 ? t.train(i) : t.test(i);
                Parser p = new Parser(e.tokens());
                int value = p.expression(1);
                int length = p.at;
                assertTrue(length <= n && 4 * length > n, "length " + length + " at n = " + n);
                for (int at = length; at < n; at++) {
                    assertEquals(ListOps.PAD, e.tokens()[at]);
                }
                assertTrue(e.tokens()[0] >= ListOps.MIN, "the root is an operator");
                assertEquals(value, e.targets()[0], "example " + i + " at n = " + n);
                assertEquals(value, ListOps.evaluate(e.tokens()));
                assertTrue(p.deepest <= 9, "deeper than LRA's max_depth 10 allows");
                assertTrue(p.widest <= 10, "more than 10 arguments");
            }
        }
    }

    @Test
    void depthAndArgsBoundTheTrees() {
        Task t = Tasks.create("listops(depth=3,args=3)", 40, 8);
        int deepest = 0, widest = 0;
        for (int i = 0; i < 300; i++) {
            Parser p = new Parser(t.train(i).tokens());
            assertEquals(t.train(i).targets()[0], p.expression(1));
            deepest = Math.max(deepest, p.deepest);
            widest = Math.max(widest, p.widest);
        }
        assertEquals(2, deepest);
        assertEquals(3, widest);
    }

    @Test
    void answersAreSkewedAsInLra() {
        Task t = Tasks.create("listops", 256, 1);
        double chance = t.chance();
        int[] counts = new int[10];
        for (int i = 0; i < t.testSize(); i++) {
            counts[t.test(i).targets()[0]]++;
        }
        int most = 0;
        for (int c : counts) {
            most = Math.max(most, c);
        }
        assertEquals((double) most / t.testSize(), chance);
        assertTrue(chance > 0.1 && chance < 0.4, "chance " + chance);
    }

    @Test
    void lengthsItCannotFillAreRefused() {
        assertEquals("listops: length 3 cannot hold the shortest expression, [MAX 3 7 ] (needs at least 4)",
                assertThrows(TaskException.class, () -> Tasks.create("listops", 3, 1)).getMessage());
        // depth 2 allows only "[OP d ... d ]" with at most 2 digits here: 4 tokens, too short for 4L > 64.
        Task tooShallow = Tasks.create("listops(depth=2,args=2)", 64, 1);
        assertEquals("listops: no tree of depth 2 and 2 args had between 17 and 64 tokens in 1000000 draws; raise depth "
                + "or args, or lower the length", assertThrows(TaskException.class, () -> tooShallow.train(0)).getMessage());
    }

    /** A recursive-descent reading of the token ids, written apart from ListOps's stack evaluator. */
    private static final class Parser {
        final int[] tokens;
        int at;
        int deepest;
        int widest;

        Parser(int[] tokens) {
            this.tokens = tokens;
        }

        int expression(int level) {
            int t = tokens[at++];
            if (t < 10) {
                return t;
            }
            assertTrue(t >= ListOps.MIN && t <= ListOps.SUM_MOD, "not an operator: " + t);
            deepest = Math.max(deepest, level);
            List<Integer> args = new ArrayList<>();
            while (tokens[at] != ListOps.END) {
                args.add(expression(level + 1));
            }
            at++;
            widest = Math.max(widest, args.size());
            assertTrue(args.size() >= 2);
            List<Integer> sorted = new ArrayList<>(args);
            Collections.sort(sorted);
            int size = sorted.size();
            return switch (t) {
                case ListOps.MIN -> sorted.get(0);
                case ListOps.MAX -> sorted.get(size - 1);
                case ListOps.SUM_MOD -> args.stream().mapToInt(Integer::intValue).sum() % 10;
                default -> (int) Math.floor(size % 2 == 1 ? sorted.get(size / 2)
                        : (sorted.get(size / 2 - 1) + sorted.get(size / 2)) / 2.0);
            };
        }
    }
}
