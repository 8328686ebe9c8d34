package org.attnbench.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NoisyRecallTest {
    private static final int KEYS = 8, VALUES = 8;

    /** Reads an example back as the class comment describes it, independently of the generator. */
    @Test
    void repeatedKeysAreScoredWithTheValueOfTheirEarlierOccurrence() {
        Task t = Tasks.create("noisy-recall", 128, 4);
        assertEquals(KEYS + VALUES + 8, t.vocabulary());
        assertEquals(1.0 / VALUES, t.chance());
        int scoredTotal = 0;
        for (int i = 0; i < 200; i++) {
            Example e = t.train(i);
            int[] tokens = e.tokens();
            Map<Integer, Integer> earlier = new HashMap<>();
            int at = 0;
            while (at < tokens.length) {
                int token = tokens[at];
                if (token >= KEYS + VALUES) {
                    assertEquals(Example.IGNORE, e.targets()[at], "noise is scored");
                    at++;
                    continue;
                }
                assertTrue(token < KEYS, "a value where a key or noise belongs, at " + at);
                int value = tokens[at + 1];
                assertTrue(value >= KEYS && value < KEYS + VALUES, "a key not followed by a value");
                Integer seen = earlier.putIfAbsent(token, value);
                if (seen == null) {
                    assertEquals(Example.IGNORE, e.targets()[at], "a first occurrence is scored");
                } else {
                    assertEquals(seen, value, "a key's value changed within the example");
                    assertEquals(seen, e.targets()[at], "a repeat is not scored with the earlier value");
                    scoredTotal++;
                }
                assertEquals(Example.IGNORE, e.targets()[at + 1]);
                at += 2;
            }
        }
        assertTrue(scoredTotal > 200 * 20, "too few recalls");
    }

    @Test
    void noiseRateControlsTheNoiseShare() {
        assertTrue(noiseShare("noisy-recall(noise=0)") == 0.0);
        double low = noiseShare("noisy-recall(noise=0.1)");
        double high = noiseShare("noisy-recall(noise=0.6)");
        // Per item: noise share of positions = r / (r + 2(1 - r)), up to the forced last-position noise.
        assertEquals(0.1 / 1.9, low, 0.02);
        assertEquals(0.6 / 1.4, high, 0.03);
    }

    private static double noiseShare(String spec) {
        Task t = Tasks.create(spec, 256, 2);
        long noise = 0, all = 0;
        for (int i = 0; i < 100; i++) {
            int[] tokens = t.train(i).tokens();
            for (int at = 0; at < tokens.length - 1; at++) {
                noise += tokens[at] >= KEYS + VALUES ? 1 : 0;
                all++;
            }
        }
        return (double) noise / all;
    }

    @Test
    void shortLengthsAreRefused() {
        assertEquals("noisy-recall: length 3 cannot hold a key seen twice (needs at least 4)",
                assertThrows(TaskException.class, () -> Tasks.create("noisy-recall", 3, 1)).getMessage());
        Example e = Tasks.create("noisy-recall(noise=0.5)", 4, 1).train(0);
        assertEquals(e.tokens()[0], e.tokens()[2]);
        assertEquals(e.tokens()[1], e.targets()[2]);
    }
}
