package org.attnbench.results;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir Path dir;

    /** The bytes np.save writes before the data: magic, version 1.0, little-endian header length, header. */
    private static byte[] numpyPrefix(String dict, int spaces) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 118, 0});
        b.writeBytes((dict + " ".repeat(spaces) + "\n").getBytes(StandardCharsets.US_ASCII));
        return b.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** Expected bytes as NumPy 1.24 and 2.4 write them for the same arrays (checked by hand with np.save). */
    @Test
    void filesAreByteForByteWhatNumpyWrites() throws IOException {
        Path f4 = dir.resolve("f4.npy");
        Npy.write(f4, new double[] {1, -2.5, 3.25, 4, 5, 6}, new int[] {2, 3}, false);
        byte[] expected = concat(numpyPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 58),
                HexFormat.of().parseHex("0000803f000020c000005040000080400000a0400000c040"));
        assertArrayEquals(expected, Files.readAllBytes(f4));
        assertEquals(128, expected.length - 24, "the data starts at a multiple of 64 bytes");

        Path scalar = dir.resolve("scalar.npy");
        Npy.write(scalar, new double[] {3}, new int[0], true);
        assertArrayEquals(concat(numpyPrefix("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", 62),
                HexFormat.of().parseHex("0000000000000840")), Files.readAllBytes(scalar));

        Path ints = dir.resolve("ints.npy");
        Npy.writeInts(ints, new int[] {0, 1, 2}, new int[] {3});
        assertArrayEquals(concat(numpyPrefix("{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }", 60),
                HexFormat.of().parseHex("000000000100000002000000")), Files.readAllBytes(ints));
    }

    @Test
    void theDataAlwaysStartsAtAMultipleOf64() {
        for (int dims = 0; dims <= 20; dims++) {
            int[] shape = new int[dims];
            Arrays.fill(shape, 1);
            if (dims > 0) shape[0] = 1_000_000_007;
            int start = 10 + Npy.header("<f8", shape).length;
            assertEquals(0, start % 64, "shape " + Arrays.toString(shape));
        }
    }

    @Test
    void arraysRoundTrip() throws IOException {
        Path p = dir.resolve("x.npy");
        double[] values = new double[3 * 5 * 7];
        for (int i = 0; i < values.length; i++) values[i] = Math.sin(i) * 1e3;
        Npy.write(p, values, new int[] {3, 5, 7}, true);
        Npy.Array back = Npy.read(p);
        assertEquals("<f8", back.descr());
        assertArrayEquals(new int[] {3, 5, 7}, back.shape());
        assertArrayEquals(values, back.values(), 0.0);

        Npy.write(p, values, new int[] {105}, false);
        double[] rounded = Arrays.stream(values).map(v -> (float) v).toArray();
        assertArrayEquals(rounded, Npy.read(p).values(), 0.0, "float32 keeps each value rounded to float");

        int[] big = new int[20_000]; // more than one write chunk
        for (int i = 0; i < big.length; i++) big[i] = i * 7 - 5;
        Npy.writeInts(p, big, new int[] {100, 200});
        assertArrayEquals(Arrays.stream(big).asDoubleStream().toArray(), Npy.read(p).values(), 0.0);
    }

    @Test
    void wrongShapesAndForeignFilesAreRefused() throws IOException {
        assertThrows(IllegalArgumentException.class, () -> Npy.write(dir.resolve("a.npy"), new double[5], new int[] {2, 3}, false));
        Path p = dir.resolve("short.npy");
        Npy.write(p, new double[6], new int[] {2, 3}, false);
        byte[] bytes = Files.readAllBytes(p);
        Files.write(p, Arrays.copyOf(bytes, bytes.length - 1));
        assertThrows(IOException.class, () -> Npy.read(p));
        Path text = Files.writeString(dir.resolve("text.npy"), "not numpy at all");
        assertThrows(IOException.class, () -> Npy.read(text));
    }
}
