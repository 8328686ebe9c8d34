package org.attnbench.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Byte-level classification of files in a folder, as LRA's byte-level text classification reads its documents (Tay
 * et al. 2021, "Long Range Arena"). The folder holds one sub-folder per class; the sorted folder names give the class
 * ids. Each regular file directly inside a class folder is one example: its first n bytes as tokens 0-255, padded at
 * the end with PAD 256 when shorter; the target is its class. Names starting with '.' are skipped, as are files at
 * the top level.
 *
 * <p>The split is fixed by the seed: each class's files (sorted by name) are shuffled with a stream of (seed, class),
 * and the first max(1, round(test * count)) of them, at most count - 1, are test. Both splits are then shuffled by
 * the seed, so consecutive examples mix the classes. Only the first n bytes of each file are read, once, at creation.
 *
 * <p>chance is the share of the largest class in the test split. Options: path (required), test fraction (default 0.2).
 */
final class ByteClassification implements Task {
    static final List<String> OPTIONS = List.of("path", "test");
    static final int PAD = 256;
    private static final long CLASS_SALT = 0x434C_4153_535F_5350L;

    private final String name;
    private final int length;
    private final int classCount;
    private final byte[][] trainBytes;
    private final int[] trainClass;
    private final byte[][] testBytes;
    private final int[] testClass;
    private final List<String> classNames;

    ByteClassification(Spec spec, int n, long seed) {
        name = spec.normalised();
        length = n;
        String given = spec.required("path", "byte-classification(path=DIR)");
        double test = spec.number("test", 0.2, 0.0, true, 1.0);
        Path dir = Path.of(given);
        if (!Files.exists(dir)) {
            throw new TaskException("byte-classification: " + given + " does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new TaskException("byte-classification: " + given + " is not a folder");
        }
        List<Path> classDirs = list(dir, given).stream().filter(Files::isDirectory).toList();
        if (classDirs.size() < 2) {
            throw new TaskException("byte-classification: " + given + " has " + classDirs.size()
                    + " class folder(s); it needs at least two, one per class");
        }
        classCount = classDirs.size();
        classNames = classDirs.stream().map(p -> p.getFileName().toString()).toList();
        List<byte[]> trainList = new ArrayList<>(), testList = new ArrayList<>();
        List<Integer> trainIds = new ArrayList<>(), testIds = new ArrayList<>();
        for (int c = 0; c < classCount; c++) {
            Path classDir = classDirs.get(c);
            List<Path> files = new ArrayList<>(list(classDir, classDir.toString()).stream().filter(Files::isRegularFile).toList());
            if (files.isEmpty()) {
                throw new TaskException("byte-classification: class folder " + classDir + " holds no files");
            }
            if (files.size() == 1) {
                throw new TaskException("byte-classification: class folder " + classDir
                        + " holds a single file; a class needs at least two to give both train and test one");
            }
            shuffle(files, Seeds.random(seed, CLASS_SALT, c));
            int testCount = (int) Math.min(files.size() - 1, Math.max(1, Math.round(test * files.size())));
            for (int f = 0; f < files.size(); f++) {
                byte[] bytes = head(files.get(f), n);
                (f < testCount ? testList : trainList).add(bytes);
                (f < testCount ? testIds : trainIds).add(c);
            }
        }
        int[] trainOrder = GeneratedTask.permutation(Seeds.random(seed, Seeds.TRAIN, -1), trainList.size());
        int[] testOrder = GeneratedTask.permutation(Seeds.random(seed, Seeds.TEST, -1), testList.size());
        trainBytes = new byte[trainOrder.length][];
        trainClass = new int[trainOrder.length];
        for (int i = 0; i < trainOrder.length; i++) {
            trainBytes[i] = trainList.get(trainOrder[i]);
            trainClass[i] = trainIds.get(trainOrder[i]);
        }
        testBytes = new byte[testOrder.length][];
        testClass = new int[testOrder.length];
        for (int i = 0; i < testOrder.length; i++) {
            testBytes[i] = testList.get(testOrder[i]);
            testClass[i] = testIds.get(testOrder[i]);
        }
    }

    /** Entries of a folder not starting with '.', sorted by name. */
    private static List<Path> list(Path dir, String shown) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted(java.util.Comparator.comparing(p -> p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new TaskException("byte-classification: cannot read folder " + shown + ": " + e.getMessage());
        }
    }

    private static byte[] head(Path file, int n) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(n);
        } catch (IOException e) {
            throw new TaskException("byte-classification: cannot read " + file + ": " + e.getMessage());
        }
    }

    private static void shuffle(List<Path> files, SplittableRandom r) {
        for (int i = files.size() - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            Path t = files.get(i);
            files.set(i, files.get(j));
            files.set(j, t);
        }
    }

    private Example example(byte[] bytes, int classId) {
        int[] tokens = new int[length];
        Arrays.fill(tokens, PAD);
        for (int i = 0; i < bytes.length; i++) {
            tokens[i] = bytes[i] & 0xFF;
        }
        return new Example(tokens, new int[] {classId});
    }

    /** Class names in id order. */
    List<String> classNames() {
        return classNames;
    }

    @Override public String name() { return name; }
    @Override public Kind kind() { return Kind.SEQUENCE; }
    @Override public Metric metric() { return Metric.ACCURACY; }
    @Override public boolean requiresCausal() { return false; }
    @Override public int length() { return length; }
    @Override public int vocabulary() { return 257; }
    @Override public int classes() { return classCount; }
    @Override public int trainSize() { return trainBytes.length; }
    @Override public int testSize() { return testBytes.length; }

    @Override
    public double chance() {
        int[] counts = new int[classCount];
        for (int c : testClass) {
            counts[c]++;
        }
        return (double) Arrays.stream(counts).max().orElseThrow() / testClass.length;
    }

    @Override
    public Example train(int index) {
        Objects.checkIndex(index, trainBytes.length);
        return example(trainBytes[index], trainClass[index]);
    }

    @Override
    public Example test(int index) {
        Objects.checkIndex(index, testBytes.length);
        return example(testBytes[index], testClass[index]);
    }
}
