package org.attnbench.results;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy .npy files (format version 1.0, little-endian, C order), so inputs, parameters and outputs can be checked
 * in another framework: np.load(path). Supported element types: '&lt;f4', '&lt;f8' and '&lt;i4'.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};

    /** An array read back: its element type, shape and values. */
    public record Array(String descr, int[] shape, double[] values) {}

    private Npy() {}

    /** Writes values as float32 ('&lt;f4') or float64 ('&lt;f8'). */
    public static void write(Path file, double[] values, int[] shape, boolean float64) throws IOException {
        check(values.length, shape);
        int size = float64 ? 8 : 4;
        ByteBuffer data = ByteBuffer.allocate(values.length * size).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            if (float64) data.putDouble(v);
            else data.putFloat((float) v);
        }
        write(file, float64 ? "<f8" : "<f4", shape, data.array());
    }

    public static void writeInts(Path file, int[] values, int[] shape) throws IOException {
        check(values.length, shape);
        ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) data.putInt(v);
        write(file, "<i4", shape, data.array());
    }

    private static void check(int count, int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        if (n != count) throw new IllegalArgumentException(count + " values do not fill shape " + Arrays.toString(shape));
    }

    /** The header dictionary, padded with spaces and a newline so the data starts at a multiple of 64 bytes. */
    static byte[] header(String descr, int[] shape) {
        StringBuilder dims = new StringBuilder();
        for (int d : shape) dims.append(d).append(", ");
        String tuple = shape.length == 1 ? "(" + shape[0] + ",)"
                : "(" + (shape.length == 0 ? "" : dims.substring(0, dims.length() - 2)) + ")";
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + tuple + ", }";
        int unpadded = MAGIC.length + 2 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        return (dict + " ".repeat(padding) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static void write(Path file, String descr, int[] shape, byte[] data) throws IOException {
        byte[] header = header(descr, shape);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(MAGIC);
            out.write(header.length & 0xff);
            out.write(header.length >>> 8);
            out.write(header);
            out.write(data);
        }
    }

    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    /** Reads a file written by {@link #write} (or by NumPy with the same element types, in C order). */
    public static Array read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < 10 || !Arrays.equals(Arrays.copyOf(all, 6), Arrays.copyOf(MAGIC, 6))) {
            throw new IOException(file + ": not a .npy file");
        }
        int headerLength = (all[8] & 0xff) | (all[9] & 0xff) << 8;
        String header = new String(all, 10, headerLength, StandardCharsets.US_ASCII);
        if (header.contains("'fortran_order': True")) throw new IOException(file + ": Fortran order is not supported");
        Matcher d = DESCR.matcher(header), s = SHAPE.matcher(header);
        if (!d.find() || !s.find()) throw new IOException(file + ": malformed .npy header");
        String descr = d.group(1);
        int[] shape = Arrays.stream(s.group(1).split(",")).map(String::trim).filter(x -> !x.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
        ByteBuffer data = ByteBuffer.wrap(all, 10 + headerLength, all.length - 10 - headerLength).order(ByteOrder.LITTLE_ENDIAN);
        long count = 1;
        for (int x : shape) count *= x;
        double[] values = new double[(int) count];
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (descr) {
                case "<f4" -> data.getFloat();
                case "<f8" -> data.getDouble();
                case "<i4" -> data.getInt();
                default -> throw new IOException(file + ": element type " + descr + " is not supported");
            };
        }
        return new Array(descr, shape, values);
    }
}
