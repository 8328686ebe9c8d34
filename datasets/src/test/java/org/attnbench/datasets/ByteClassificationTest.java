package org.attnbench.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ByteClassificationTest {
    @TempDir
    Path dir;

    /** Class "a" gets 10 files, "b" 5, "c" 3; file j of class x holds "x" repeated 3 + j times plus one byte 200. */
    private Path fixture() throws IOException {
        Map<String, Integer> sizes = Map.of("a", 10, "b", 5, "c", 3);
        for (var entry : sizes.entrySet()) {
            Path classDir = Files.createDirectories(dir.resolve("data").resolve(entry.getKey()));
            for (int j = 0; j < entry.getValue(); j++) {
                byte[] bytes = (entry.getKey().repeat(3 + j)).getBytes(StandardCharsets.US_ASCII);
                bytes = Arrays.copyOf(bytes, bytes.length + 1);
                bytes[bytes.length - 1] = (byte) 200;
                Files.write(classDir.resolve("f" + j + ".txt"), bytes);
            }
        }
        Files.writeString(dir.resolve("data").resolve("README"), "top-level files are not examples");
        Files.writeString(dir.resolve("data").resolve("a").resolve(".hidden"), "skipped");
        return dir.resolve("data");
    }

    private static String spec(Path path) {
        return "byte-classification(path=" + path + ")";
    }

    @Test
    void filesBecomePaddedOrTruncatedByteSequences() throws IOException {
        Path data = fixture();
        Task t = Tasks.create(spec(data), 8, 1);
        assertEquals(Task.Kind.SEQUENCE, t.kind());
        assertEquals(257, t.vocabulary());
        assertEquals(3, t.classes());
        // round(0.2 * 10) = 2, round(0.2 * 5) = 1, round(0.2 * 3) = 1 test files.
        assertEquals(4, t.testSize());
        assertEquals(14, t.trainSize());
        Set<String> all = new HashSet<>();
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < t.trainSize(); i++) {
            examples.add(t.train(i));
        }
        for (int i = 0; i < t.testSize(); i++) {
            examples.add(t.test(i));
        }
        for (Example e : examples) {
            int classId = e.targets()[0];
            int letter = "abc".charAt(classId);
            int[] tokens = e.tokens();
            assertEquals(8, tokens.length);
            int run = 0;
            while (run < 8 && tokens[run] == letter) {
                run++;
            }
            assertTrue(run >= 3, "the file's bytes open the sequence");
            if (run < 8) {
                assertEquals(200, tokens[run], "byte 200 stays 200, not a negative byte");
                for (int at = run + 1; at < 8; at++) {
                    assertEquals(256, tokens[at], "padding");
                }
            }
            assertTrue(all.add(Arrays.toString(tokens) + classId) || run == 8, "a file appears twice");
        }
    }

    @Test
    void splitIsDeterministicDisjointAndDependsOnTheSeed() throws IOException {
        Path data = fixture();
        Task a = Tasks.create(spec(data), 64, 1);
        Task again = Tasks.create(spec(data), 64, 1);
        Set<String> train = new HashSet<>(), test = new HashSet<>();
        for (int i = 0; i < a.trainSize(); i++) {
            assertArrayEquals(a.train(i).tokens(), again.train(i).tokens());
            train.add(Arrays.toString(a.train(i).tokens()));
        }
        for (int i = 0; i < a.testSize(); i++) {
            assertArrayEquals(a.test(i).tokens(), again.test(i).tokens());
            test.add(Arrays.toString(a.test(i).tokens()));
        }
        assertEquals(18, train.size() + test.size());
        assertTrue(train.stream().noneMatch(test::contains), "train and test share a file");
        Set<Set<String>> testSets = new HashSet<>();
        for (long seed = 0; seed < 8; seed++) {
            Task other = Tasks.create(spec(data), 64, seed);
            Set<String> s = new HashSet<>();
            for (int i = 0; i < other.testSize(); i++) {
                s.add(Arrays.toString(other.test(i).tokens()));
            }
            testSets.add(s);
        }
        assertTrue(testSets.size() > 1, "the seed does not move the split");
        Map<Integer, Integer> perClass = new HashMap<>();
        for (int i = 0; i < a.testSize(); i++) {
            perClass.merge(a.test(i).targets()[0], 1, Integer::sum);
        }
        assertEquals(Map.of(0, 2, 1, 1, 2, 1), perClass);
        assertEquals(0.5, a.chance());
    }

    @Test
    void testFractionOption() throws IOException {
        Path data = fixture();
        Task t = Tasks.create("byte-classification(path=" + data + ",test=0.5)", 16, 1);
        assertEquals(5 + 3 + 2, t.testSize()); // round(1.5) = 2, and a class keeps at least one train file
        Task most = Tasks.create("byte-classification(path=" + data + ",test=0.99)", 16, 1);
        assertEquals(9 + 4 + 2, most.testSize());
        assertEquals(3, most.trainSize());
        assertNotEquals(0, t.trainSize());
    }

    @Test
    void errorsNameThePath() throws IOException {
        Path missing = dir.resolve("nowhere");
        assertEquals("byte-classification: " + missing + " does not exist",
                assertThrows(TaskException.class, () -> Tasks.create(spec(missing), 8, 1)).getMessage());
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertEquals("byte-classification: " + file + " is not a folder",
                assertThrows(TaskException.class, () -> Tasks.create(spec(file), 8, 1)).getMessage());
        Path one = Files.createDirectories(dir.resolve("one").resolve("only"));
        Files.writeString(one.resolve("f1"), "x");
        Files.writeString(one.resolve("f2"), "y");
        assertEquals("byte-classification: " + dir.resolve("one") + " has 1 class folder(s); it needs at least two, one per class",
                assertThrows(TaskException.class, () -> Tasks.create(spec(dir.resolve("one")), 8, 1)).getMessage());
        Path emptyClass = Files.createDirectories(dir.resolve("one").resolve("empty"));
        Files.writeString(emptyClass.resolve(".gitkeep"), "");
        assertEquals("byte-classification: class folder " + emptyClass + " holds no files",
                assertThrows(TaskException.class, () -> Tasks.create(spec(dir.resolve("one")), 8, 1)).getMessage());
        Files.writeString(emptyClass.resolve("lonely"), "z");
        assertEquals("byte-classification: class folder " + emptyClass
                        + " holds a single file; a class needs at least two to give both train and test one",
                assertThrows(TaskException.class, () -> Tasks.create(spec(dir.resolve("one")), 8, 1)).getMessage());
        Files.writeString(emptyClass.resolve("second"), "w");
        assertEquals(2, Tasks.create(spec(dir.resolve("one")), 8, 1).classes());
        assertEquals("byte-classification: option path is required, e.g. byte-classification(path=DIR)",
                assertThrows(TaskException.class, () -> Tasks.create("byte-classification", 8, 1)).getMessage());
    }
}
