package org.attnbench.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MajorityTest {
    @Test
    void theTargetIsTheStrictMajorityClass() {
        Task t = Tasks.create("majority", 17, 4);
        int[] seen = new int[4];
        for (int i = 0; i < 200; i++) {
            Example e = t.train(i);
            int[] count = new int[t.classes()];
            for (int tok : e.tokens()) count[tok]++;
            int target = e.targets()[0];
            assertTrue(count[target] >= 17 / 2 + 1, "the target fills a strict majority");
            seen[target]++;
        }
        for (int c : seen) assertTrue(c > 20, "every class is a target sometimes");
        assertEquals(0.25, t.chance());
        assertEquals(Task.Kind.SEQUENCE, t.kind());
    }

    @Test
    void examplesAreDeterministicAndTheSplitsDiffer() {
        Task a = Tasks.create("majority(classes=3)", 32, 9), b = Tasks.create("majority(classes=3)", 32, 9);
        assertArrayEquals(a.test(5).tokens(), b.test(5).tokens());
        assertTrue(!java.util.Arrays.equals(a.train(5).tokens(), a.test(5).tokens()));
        assertEquals("majority(classes=3)", a.name());
    }

    @Test
    void badOptionsAndLengthsAreOneLine() {
        assertTrue(assertThrows(TaskException.class, () -> Tasks.create("majority", 1, 1)).getMessage().contains("at least 2"));
        assertThrows(TaskException.class, () -> Tasks.create("majority(classes=1)", 8, 1));
    }
}
