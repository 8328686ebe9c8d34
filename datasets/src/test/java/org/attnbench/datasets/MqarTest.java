package org.attnbench.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MqarTest {

    @Test
    void everyQueryIsAnsweredByTheValueThatFollowedItsKey() {
        Task t = Tasks.create("mqar(pairs=6,keys=10,values=5,filler=4)", 40, 11);
        for (int i = 0; i < 200; i++) {
            int[] tokens = t.train(i).tokens();
            int[] targets = t.train(i).targets();
            Set<Integer> queried = new HashSet<>();
            for (int at = 0; at < tokens.length; at++) {
                if (targets[at] == Example.IGNORE) {
                    continue;
                }
                int key = tokens[at];
                int earlier = -1;
                for (int j = 0; j < at; j++) {
                    if (tokens[j] == key) {
                        earlier = j;
                        break;
                    }
                }
                assertTrue(earlier >= 0, "a query whose key did not appear before");
                assertEquals(tokens[earlier + 1], targets[at], "query at " + at);
                assertTrue(queried.add(key), "a key queried twice");
            }
            assertEquals(6, queried.size());
        }
    }

    @Test
    void pairsOpenTheSequenceAndFillerFillsTheRest() {
        int keys = 10, values = 5, filler = 4, pairs = 6;
        Task t = Tasks.create("mqar(pairs=6,keys=10,values=5,filler=4)", 40, 11);
        assertEquals(keys + values + filler, t.vocabulary());
        assertEquals(1.0 / values, t.chance());
        for (int i = 0; i < 100; i++) {
            int[] tokens = t.test(i).tokens();
            int[] targets = t.test(i).targets();
            Set<Integer> pairKeys = new HashSet<>();
            for (int p = 0; p < pairs; p++) {
                assertTrue(tokens[2 * p] < keys, "a pair without a key first");
                assertTrue(pairKeys.add(tokens[2 * p]), "keys of the pairs repeat");
                assertTrue(tokens[2 * p + 1] >= keys && tokens[2 * p + 1] < keys + values, "a pair without a value");
                assertEquals(Example.IGNORE, targets[2 * p]);
                assertEquals(Example.IGNORE, targets[2 * p + 1]);
            }
            for (int at = 2 * pairs; at < tokens.length; at++) {
                if (targets[at] == Example.IGNORE) {
                    assertTrue(tokens[at] >= keys + values, "a non-query position holds a key or value");
                } else {
                    assertTrue(pairKeys.contains(tokens[at]));
                }
            }
        }
    }

    @Test
    void queryOrderAndPlacesVary() {
        Task t = Tasks.create("mqar(pairs=4)", 64, 5);
        Set<String> firstQueryPlaces = new HashSet<>();
        int inPairOrder = 0;
        for (int i = 0; i < 50; i++) {
            int[] tokens = t.train(i).tokens();
            int[] targets = t.train(i).targets();
            StringBuilder queries = new StringBuilder(), pairs = new StringBuilder();
            int first = -1;
            for (int at = 8; at < 64; at++) {
                if (targets[at] != Example.IGNORE) {
                    queries.append(tokens[at]).append(' ');
                    first = first < 0 ? at : first;
                }
            }
            for (int p = 0; p < 4; p++) {
                pairs.append(tokens[2 * p]).append(' ');
            }
            inPairOrder += queries.toString().equals(pairs.toString()) ? 1 : 0;
            firstQueryPlaces.add(Integer.toString(first));
        }
        assertTrue(inPairOrder < 10, "queries follow the pairs' order too often");
        assertTrue(firstQueryPlaces.size() > 5, "queries sit at the same places");
    }

    @Test
    void defaultsFollowTheLength() {
        Task small = Tasks.create("mqar", 16, 1);
        assertEquals(2, countScored(small.train(0).targets()));
        assertEquals(64 + 64 + 16, small.vocabulary());
        Task large = Tasks.create("mqar", 2048, 1);
        assertEquals(128, countScored(large.train(0).targets()));
        // 128 distinct keys do not fit the default 64, so keys rise to the pair count.
        assertEquals(128 + 64 + 16, large.vocabulary());
        assertNotEquals(small.train(0).tokens()[0], -1);
    }

    @Test
    void lengthMustHoldPairsAndQueries() {
        assertEquals("mqar: length 8 cannot hold 4 key-value pairs and their 4 queries (needs at least 12)",
                assertThrows(TaskException.class, () -> Tasks.create("mqar(pairs=4)", 8, 1)).getMessage());
        assertEquals("mqar: length 5 cannot hold 2 key-value pairs and their 2 queries (needs at least 6)",
                assertThrows(TaskException.class, () -> Tasks.create("mqar", 5, 1)).getMessage());
        Tasks.create("mqar(pairs=4)", 12, 1).train(0);
        assertEquals("mqar: 8 pairs need 8 distinct keys but keys=4",
                assertThrows(TaskException.class, () -> Tasks.create("mqar(pairs=8,keys=4)", 64, 1)).getMessage());
    }

    private static long countScored(int[] targets) {
        return java.util.Arrays.stream(targets).filter(x -> x != Example.IGNORE).count();
    }
}
