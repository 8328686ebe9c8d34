package org.attnbench.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TasksTest {

    @Test
    void namesListsEveryTask() {
        assertEquals(List.of("mqar", "selective-copy", "noisy-recall", "listops", "byte-classification", "char-lm", "majority"),
                Tasks.names());
    }

    @Test
    void unknownTaskListsTheKnownOnes() {
        TaskException e = assertThrows(TaskException.class, () -> Tasks.create("x", 64, 1));
        assertEquals("unknown task 'x' (known: mqar, selective-copy, noisy-recall, listops, byte-classification, char-lm, majority)",
                e.getMessage());
    }

    @Test
    void unknownOptionListsTheKnownKeys() {
        TaskException e = assertThrows(TaskException.class, () -> Tasks.create("mqar(pair=8)", 64, 1));
        assertEquals("mqar: unknown option 'pair' (known: pairs, keys, values, filler, test)", e.getMessage());
        e = assertThrows(TaskException.class, () -> Tasks.create("listops(max_depth=3)", 64, 1));
        assertEquals("listops: unknown option 'max_depth' (known: depth, args, test)", e.getMessage());
    }

    @Test
    void badValuesNameTheOptionAndConstraint() {
        assertEquals("mqar: option pairs must be an integer >= 1 (got 'many')",
                assertThrows(TaskException.class, () -> Tasks.create("mqar(pairs=many)", 64, 1)).getMessage());
        assertEquals("selective-copy: option vocab must be >= 1 (got 0)",
                assertThrows(TaskException.class, () -> Tasks.create("selective-copy(vocab=0)", 64, 1)).getMessage());
        assertEquals("noisy-recall: option noise must be in [0.0, 1.0) (got 1.5)",
                assertThrows(TaskException.class, () -> Tasks.create("noisy-recall(noise=1.5)", 64, 1)).getMessage());
        assertEquals("listops: option depth must be >= 2 (got 1)",
                assertThrows(TaskException.class, () -> Tasks.create("listops(depth=1)", 64, 1)).getMessage());
        assertEquals("mqar: option test must be >= 1 (got 0)",
                assertThrows(TaskException.class, () -> Tasks.create("mqar(test=0)", 64, 1)).getMessage());
    }

    @Test
    void malformedSpecsAreOneLineErrors() {
        assertEquals("task spec 'mqar(pairs=8': missing ')' at the end",
                assertThrows(TaskException.class, () -> Tasks.create("mqar(pairs=8", 64, 1)).getMessage());
        assertEquals("task spec 'mqar(8)': option '8' is not key=value",
                assertThrows(TaskException.class, () -> Tasks.create("mqar(8)", 64, 1)).getMessage());
        assertEquals("task spec 'mqar(pairs=2,pairs=3)': option pairs is given twice",
                assertThrows(TaskException.class, () -> Tasks.create("mqar(pairs=2,pairs=3)", 64, 1)).getMessage());
        assertTrue(assertThrows(TaskException.class, () -> Tasks.create(" ", 64, 1)).getMessage()
                .startsWith("empty task spec (known: mqar,"));
        assertEquals("mqar: length must be >= 1 (got 0)",
                assertThrows(TaskException.class, () -> Tasks.create("mqar", 0, 1)).getMessage());
    }

    @Test
    void nameIsTheNormalisedSpec() {
        assertEquals("mqar", Tasks.create("mqar", 64, 1).name());
        assertEquals("mqar", Tasks.create(" mqar() ", 64, 1).name());
        assertEquals("mqar(pairs=8)", Tasks.create("mqar( pairs = 8 )", 64, 1).name());
        assertEquals("selective-copy(tokens=4,vocab=8)", Tasks.create("selective-copy(tokens=4, vocab=8)", 64, 1).name());
    }

    @Test
    void optionsReachTheTask() {
        Task t = Tasks.create("mqar(pairs=5,keys=10,values=7,filler=3,test=11)", 64, 1);
        assertEquals(20, t.vocabulary());
        assertEquals(11, t.testSize());
        assertEquals(1.0 / 7, t.chance());
        assertEquals(5, java.util.Arrays.stream(t.train(0).targets()).filter(x -> x != Example.IGNORE).count());
    }

    @Test
    void allErrorsAreOneLine() {
        for (String spec : List.of("x", "mqar(a=1)", "mqar(pairs=x)", "mqar(", "char-lm", "byte-classification")) {
            String message = assertThrows(TaskException.class, () -> Tasks.create(spec, 64, 1)).getMessage();
            assertTrue(!message.isBlank() && !message.contains("\n"), spec + ": " + message);
        }
    }
}
