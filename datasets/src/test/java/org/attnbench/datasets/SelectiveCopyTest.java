package org.attnbench.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelectiveCopyTest {

    @Test
    void targetsAreTheDataTokensInOrder() {
        int n = 50, k = 7, vocab = 5;
        Task t = Tasks.create("selective-copy(tokens=7,vocab=5)", n, 9);
        int blank = vocab, copy = vocab + 1;
        assertEquals(vocab + 2, t.vocabulary());
        assertEquals(0.2, t.chance());
        for (int i = 0; i < 200; i++) {
            Example e = i % 2 == 0 ? t.train(i) : t.test(i);
            List<Integer> data = new ArrayList<>();
            for (int at = 0; at < n - k; at++) {
                int token = e.tokens()[at];
                assertTrue(token == blank || token < vocab, "the head holds only data and blanks");
                assertEquals(Example.IGNORE, e.targets()[at]);
                if (token != blank) {
                    data.add(token);
                }
            }
            assertEquals(k, data.size());
            for (int j = 0; j < k; j++) {
                assertEquals(copy, e.tokens()[n - k + j]);
                assertEquals(data.get(j), e.targets()[n - k + j]);
            }
        }
    }

    @Test
    void dataPositionsVary() {
        Task t = Tasks.create("selective-copy", 64, 1);
        java.util.Set<Integer> firstDataPosition = new java.util.HashSet<>();
        for (int i = 0; i < 40; i++) {
            int[] tokens = t.train(i).tokens();
            int at = 0;
            while (tokens[at] == 16) {
                at++;
            }
            firstDataPosition.add(at);
        }
        assertTrue(firstDataPosition.size() > 5);
    }

    @Test
    void lengthMustHoldDataAndCopies() {
        assertEquals("selective-copy: length 7 cannot hold 4 data tokens and their 4 copy positions (needs at least 8)",
                assertThrows(TaskException.class, () -> Tasks.create("selective-copy(tokens=4)", 7, 1)).getMessage());
        assertEquals("selective-copy: length 3 cannot hold 2 data tokens and their 2 copy positions (needs at least 4)",
                assertThrows(TaskException.class, () -> Tasks.create("selective-copy", 3, 1)).getMessage());
        Example e = Tasks.create("selective-copy(tokens=4)", 8, 1).train(0);
        assertEquals(8, e.tokens().length);
    }
}
