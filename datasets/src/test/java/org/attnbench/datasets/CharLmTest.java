package org.attnbench.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CharLmTest {
    @TempDir
    Path dir;

    /** Bytes whose value encodes their position's low bits, so a window's start can be read back; includes >= 128. */
    private Path fixture(int size) throws IOException {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 7 % 251);
        }
        return Files.write(dir.resolve("text.bin"), bytes);
    }

    private static int[] unsigned(byte[] bytes, int from, int to) {
        return java.util.stream.IntStream.range(from, to).map(i -> bytes[i] & 0xFF).toArray();
    }

    @Test
    void trainWindowsComeFromTheHeadAndPredictTheNextByte() throws IOException {
        Path file = fixture(1000);
        byte[] bytes = Files.readAllBytes(file);
        Task t = Tasks.create("char-lm(path=" + file + ")", 16, 5);
        assertEquals(Task.Metric.BITS_PER_CHAR, t.metric());
        assertEquals(Task.Kind.TOKENS, t.kind());
        assertTrue(t.requiresCausal());
        assertEquals(256, t.vocabulary());
        assertEquals(256, t.classes());
        assertEquals(Integer.MAX_VALUE, t.trainSize());
        Set<Integer> starts = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            Example e = t.train(i);
            assertArrayEquals(Arrays.copyOfRange(e.tokens(), 1, 16), Arrays.copyOfRange(e.targets(), 0, 15));
            int start = findStart(bytes, e.tokens(), 900);
            assertTrue(start >= 0 && start + 17 <= 900, "window outside the head: " + start);
            assertArrayEquals(unsigned(bytes, start + 1, start + 17), e.targets());
            starts.add(start);
        }
        assertTrue(starts.size() > 100, "starts do not spread over the head");
        assertTrue(starts.contains(0) || starts.size() > 200);
        assertArrayEquals(t.train(42).tokens(), Tasks.create("char-lm(path=" + file + ")", 16, 5).train(42).tokens());
    }

    @Test
    void everyHeadWindowIsDrawnAndNoneCrossesIntoTheTail() throws IOException {
        Path file = fixture(36);
        byte[] bytes = Files.readAllBytes(file);
        // Head 18 bytes: windows of 17 can start at 0 or 1 only.
        Task t = Tasks.create("char-lm(path=" + file + ",test=0.5)", 16, 3);
        Set<Integer> starts = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            starts.add(findStart(bytes, t.train(i).tokens(), 36));
        }
        assertEquals(Set.of(0, 1), starts);
    }

    private static int findStart(byte[] bytes, int[] tokens, int limit) {
        for (int s = 0; s + tokens.length < limit; s++) {
            if (Arrays.equals(unsigned(bytes, s, s + tokens.length), tokens)) {
                return s;
            }
        }
        return -1;
    }

    @Test
    void testWindowsTileTheTail() throws IOException {
        Path file = fixture(1000);
        byte[] bytes = Files.readAllBytes(file);
        Task t = Tasks.create("char-lm(path=" + file + ")", 16, 5);
        // The tail is bytes 900..999; windows start at 900, 916, ...; (100 - 1) / 16 = 6 of them.
        assertEquals(6, t.testSize());
        for (int j = 0; j < 6; j++) {
            int start = 900 + 16 * j;
            assertArrayEquals(unsigned(bytes, start, start + 16), t.test(j).tokens());
            assertArrayEquals(unsigned(bytes, start + 1, start + 17), t.test(j).targets());
        }
        assertThrows(IndexOutOfBoundsException.class, () -> t.test(6));
        Task half = Tasks.create("char-lm(path=" + file + ",test=0.5)", 16, 5);
        assertEquals(499 / 16, half.testSize());
        assertEquals(unsigned(bytes, 500, 501)[0], half.test(0).tokens()[0]);
    }

    @Test
    void chanceIsTheMostFrequentTailByte() throws IOException {
        byte[] bytes = new byte[200];
        Arrays.fill(bytes, 180, 200, (byte) 'e');
        bytes[185] = 'x';
        Path file = Files.write(dir.resolve("skewed"), bytes);
        Task t = Tasks.create("char-lm(path=" + file + ")", 9, 1);
        // Tail 180..199, two windows of 9 scored bytes (181..198), one of them 'x'.
        assertEquals(2, t.testSize());
        assertEquals(17.0 / 18, t.chance(), 1e-12);
    }

    @Test
    void errors() throws IOException {
        Path missing = dir.resolve("missing.txt");
        assertEquals("char-lm: " + missing + " does not exist",
                assertThrows(TaskException.class, () -> Tasks.create("char-lm(path=" + missing + ")", 16, 1)).getMessage());
        Path empty = Files.write(dir.resolve("empty.txt"), new byte[0]);
        assertEquals("char-lm: " + empty + " is empty",
                assertThrows(TaskException.class, () -> Tasks.create("char-lm(path=" + empty + ")", 16, 1)).getMessage());
        assertEquals("char-lm: " + dir + " is not a file",
                assertThrows(TaskException.class, () -> Tasks.create("char-lm(path=" + dir + ")", 16, 1)).getMessage());
        Path small = fixture(169);
        assertEquals("char-lm: " + small + " has 169 bytes; a train head and a test tail of 0.1 of it each need a window "
                        + "of n + 1 = 17 bytes, so it needs at least 170 bytes",
                assertThrows(TaskException.class, () -> Tasks.create("char-lm(path=" + small + ")", 16, 1)).getMessage());
        Path enough = fixture(170);
        Task t = Tasks.create("char-lm(path=" + enough + ")", 16, 1);
        assertEquals(1, t.testSize());
        t.train(0);
        assertEquals("char-lm: option path is required, e.g. char-lm(path=FILE)",
                assertThrows(TaskException.class, () -> Tasks.create("char-lm", 16, 1)).getMessage());
        assertEquals("char-lm: option test must be in (0.0, 1.0) (got 0)",
                assertThrows(TaskException.class, () -> Tasks.create("char-lm(path=" + enough + ",test=0)", 16, 1)).getMessage());
    }
}
