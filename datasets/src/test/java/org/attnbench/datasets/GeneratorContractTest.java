package org.attnbench.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What every generator promises: determinism per (seed, split, index), shapes and id ranges. */
class GeneratorContractTest {

    private static boolean same(Example a, Example b) {
        return Arrays.equals(a.tokens(), b.tokens()) && Arrays.equals(a.targets(), b.targets());
    }

    @ParameterizedTest
    @CsvSource({"mqar,64", "selective-copy,64", "noisy-recall,64", "listops,64", "mqar,1024", "listops,512"})
    void sameSeedAndIndexGiveTheSameExample(String spec, int n) {
        Task a = Tasks.create(spec, n, 42);
        Task b = Tasks.create(spec, n, 42);
        for (int i = 0; i < 20; i++) {
            assertTrue(same(a.train(i), b.train(i)), "train " + i);
            assertTrue(same(a.test(i), b.test(i)), "test " + i);
        }
    }

    @ParameterizedTest
    @CsvSource({"mqar,64", "selective-copy,64", "noisy-recall,64", "listops,64"})
    void exampleDoesNotDependOnWhatWasMadeBefore(String spec, int n) {
        Task fresh = Tasks.create(spec, n, 7);
        Example direct = fresh.train(17);
        Example directTest = fresh.test(5);
        Task used = Tasks.create(spec, n, 7);
        for (int i = 30; i >= 0; i--) {
            used.train(i);
            used.test(i);
        }
        assertTrue(same(direct, used.train(17)));
        assertTrue(same(directTest, used.test(5)));
    }

    @ParameterizedTest
    @CsvSource({"mqar,64", "selective-copy,64", "noisy-recall,64", "listops,64"})
    void seedsSplitsAndIndicesDiffer(String spec, int n) {
        Task a = Tasks.create(spec, n, 1);
        Task b = Tasks.create(spec, n, 2);
        int differentSeed = 0, trainVsTest = 0, neighbours = 0;
        for (int i = 0; i < 20; i++) {
            differentSeed += same(a.train(i), b.train(i)) ? 0 : 1;
            trainVsTest += same(a.train(i), a.test(i)) ? 0 : 1;
            neighbours += same(a.train(i), a.train(i + 1)) ? 0 : 1;
        }
        // Tiny ListOps trees can coincide by chance; at n = 64 most examples must differ.
        assertTrue(differentSeed >= 18, "seeds 1 and 2 agree too often");
        assertTrue(trainVsTest >= 18, "train and test agree too often");
        assertTrue(neighbours >= 18, "neighbouring indices agree too often");
    }

    @ParameterizedTest
    @CsvSource({"mqar,16", "mqar,100", "mqar(filler=1),50", "selective-copy,4", "selective-copy,257", "noisy-recall,4",
            "noisy-recall,333", "noisy-recall(noise=0.9),64", "listops,4", "listops,5", "listops,300", "'listops(depth=3,args=3)',64"})
    void shapesAndRanges(String spec, int n) {
        Task t = Tasks.create(spec, n, 3);
        assertEquals(n, t.length());
        assertEquals(Integer.MAX_VALUE, t.trainSize());
        assertEquals(256, t.testSize());
        assertTrue(t.classes() <= t.vocabulary() || t.kind() == Task.Kind.SEQUENCE);
        assertTrue(t.chance() > 0 && t.chance() < 1);
        for (int i = 0; i < 100; i++) {
            for (Example e : new Example[] {t.train(i), t.test(i)}) {
                assertEquals(n, e.tokens().length);
                for (int token : e.tokens()) {
                    assertTrue(token >= 0 && token < t.vocabulary(), spec + " token " + token);
                }
                int expected = t.kind() == Task.Kind.TOKENS ? n : 1;
                assertEquals(expected, e.targets().length);
                int scored = 0;
                for (int target : e.targets()) {
                    assertTrue(target == Example.IGNORE || target >= 0 && target < t.classes(), spec + " target " + target);
                    scored += target == Example.IGNORE ? 0 : 1;
                }
                assertTrue(scored > 0, "an example scores nothing");
                if (t.kind() == Task.Kind.SEQUENCE) {
                    assertFalse(e.targets()[0] == Example.IGNORE);
                }
            }
        }
        assertThrows(IndexOutOfBoundsException.class, () -> t.test(t.testSize()));
        assertThrows(IndexOutOfBoundsException.class, () -> t.train(-1));
    }

    @ParameterizedTest
    @CsvSource({"mqar,false", "selective-copy,false", "noisy-recall,true", "listops,false"})
    void kindsMetricsAndCausality(String spec, boolean causal) {
        Task t = Tasks.create(spec, 64, 1);
        assertEquals(causal, t.requiresCausal());
        assertEquals(Task.Metric.ACCURACY, t.metric());
        assertEquals(spec.equals("listops") ? Task.Kind.SEQUENCE : Task.Kind.TOKENS, t.kind());
    }
}
