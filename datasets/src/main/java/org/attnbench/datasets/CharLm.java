package org.attnbench.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Byte-level language modelling of one file, scored in bits per character as on enwik8 and text8. The file's last
 * {@code test} fraction (default 0.1, rounded down to whole bytes) is the held-out tail, the rest the head.
 *
 * <p>Train example i is a window of n + 1 bytes of the head starting at a position drawn uniformly from a stream of
 * (seed, i); tokens are its first n bytes, targets its last n (the next byte at every position, all scored), so
 * trainSize is Integer.MAX_VALUE. Test example j is the window of the tail starting at j * n: consecutive windows
 * share one byte, so every tail byte after the first is scored exactly once; testSize = (tail - 1) / n.
 * vocabulary = classes = 256; chance is the share of the most frequent scored tail byte. The target at i is the input at i + 1, so the mixer must be causal.
 *
 * <p>Options: path (required), test fraction (default 0.1).
 */
final class CharLm implements Task {
    static final List<String> OPTIONS = List.of("path", "test");

    private final String name;
    private final int length;
    private final long seed;
    private final byte[] bytes;
    private final int headSize;

    CharLm(Spec spec, int n, long seed) {
        this.name = spec.normalised();
        this.length = n;
        this.seed = seed;
        String given = spec.required("path", "char-lm(path=FILE)");
        double test = spec.number("test", 0.1, 0.0, true, 1.0);
        Path file = Path.of(given);
        if (!Files.exists(file)) {
            throw new TaskException("char-lm: " + given + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new TaskException("char-lm: " + given + " is not a file");
        }
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException | OutOfMemoryError e) {
            throw new TaskException("char-lm: cannot read " + given + ": " + e.getMessage());
        }
        if (bytes.length == 0) {
            throw new TaskException("char-lm: " + given + " is empty");
        }
        long window = n + 1L;
        long tail = tailSize(bytes.length, test);
        if (tail < window || bytes.length - tail < window) {
            throw new TaskException("char-lm: " + given + " has " + bytes.length + " bytes; a train head and a "
                    + "test tail of " + test + " of it each need a window of n + 1 = " + window
                    + " bytes, so it needs at least " + smallestFile(window, test) + " bytes");
        }
        headSize = (int) (bytes.length - tail);
    }

    /** The tail's size in bytes; the small tolerance keeps 0.1 * 2570 from rounding down to 256. */
    private static long tailSize(long fileSize, double test) {
        return (long) Math.floor(test * fileSize + 1e-9);
    }

    private static long smallestFile(long window, double test) {
        long size = 2 * window;
        while (tailSize(size, test) < window || size - tailSize(size, test) < window) {
            size++;
        }
        return size;
    }

    private Example window(int start) {
        int[] tokens = new int[length];
        int[] targets = new int[length];
        for (int i = 0; i < length; i++) {
            tokens[i] = bytes[start + i] & 0xFF;
            targets[i] = bytes[start + i + 1] & 0xFF;
        }
        return new Example(tokens, targets);
    }

    @Override
    public Example train(int index) {
        Objects.checkIndex(index, trainSize());
        SplittableRandom r = Seeds.random(seed, Seeds.TRAIN, index);
        return window(r.nextInt(headSize - length));
    }

    @Override
    public Example test(int index) {
        Objects.checkIndex(index, testSize());
        return window(headSize + index * length);
    }

    @Override public String name() { return name; }
    @Override public Kind kind() { return Kind.TOKENS; }
    @Override public Metric metric() { return Metric.BITS_PER_CHAR; }
    @Override public boolean requiresCausal() { return true; }
    @Override public int length() { return length; }
    @Override public int vocabulary() { return 256; }
    @Override public int classes() { return 256; }
    /** Accuracy of always guessing the tail's most frequent scored byte (the metric itself is bits per character). */
    @Override
    public double chance() {
        int[] counts = new int[256];
        int scored = testSize() * length;
        for (int i = headSize + 1; i <= headSize + scored; i++) {
            counts[bytes[i] & 0xFF]++;
        }
        return (double) java.util.Arrays.stream(counts).max().orElseThrow() / scored;
    }
    @Override public int trainSize() { return Integer.MAX_VALUE; }
    @Override public int testSize() { return (bytes.length - headSize - 1) / length; }
}
