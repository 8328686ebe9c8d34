package org.attnbench.results;

import java.io.BufferedOutputStream;
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
 * NumPy .npy files, format version 1.0, little-endian, C order, so inputs, parameters and outputs can be checked in
 * another framework with {@code np.load(path)}. Element types: '&lt;f4' (float32), '&lt;f8' (float64) and
 * '&lt;i4' (int32, for indices). The header is written exactly as {@code np.save} writes it (so the files are
 * byte-identical to NumPy's): the dictionary, spare spaces NumPy leaves so the first dimension can grow in place,
 * then spaces and a newline so the data starts at a multiple of 64 bytes, as the format specification asks.
 * The reader exists for tests; it takes the same element types in C order.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGNMENT = 64;
    /** NumPy's GROWTH_AXIS_MAX_DIGITS: room for the first dimension to reach 21 digits without moving the data. */
    private static final int GROWTH_DIGITS = 21;

    /**
     * An array read back.
     *
     * @param descr  the element type, e.g. "&lt;f4"
     * @param shape  the dimensions, outermost first; empty for a scalar
     * @param values the elements in C order, widened to double (exact for all three element types)
     */
    public record Array(String descr, int[] shape, double[] values) {}

    private Npy() {}

    /** Writes values as float32 ('&lt;f4'), rounding each to the nearest float, or as float64 ('&lt;f8'). */
    public static void write(Path file, double[] values, int[] shape, boolean float64) throws IOException {
        checkShape(values.length, shape);
        int width = float64 ? 8 : 4;
        try (OutputStream out = open(file, float64 ? "<f8" : "<f4", shape)) {
            ByteBuffer chunk = chunk(width);
            for (double v : values) {
                if (float64) chunk.putDouble(v);
                else chunk.putFloat((float) v);
                if (!chunk.hasRemaining()) drain(chunk, out);
            }
            drain(chunk, out);
        }
    }

    /** Writes values as int32 ('&lt;i4'). */
    public static void writeInts(Path file, int[] values, int[] shape) throws IOException {
        checkShape(values.length, shape);
        try (OutputStream out = open(file, "<i4", shape)) {
            ByteBuffer chunk = chunk(4);
            for (int v : values) {
                chunk.putInt(v);
                if (!chunk.hasRemaining()) drain(chunk, out);
            }
            drain(chunk, out);
        }
    }

    private static void checkShape(int count, int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            n *= d;
        }
        if (n != count) throw new IllegalArgumentException(count + " values do not fill shape " + Arrays.toString(shape));
    }

    private static ByteBuffer chunk(int width) {
        return ByteBuffer.allocate(8192 * width).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void drain(ByteBuffer chunk, OutputStream out) throws IOException {
        out.write(chunk.array(), 0, chunk.position());
        chunk.clear();
    }

    /** Opens the file and writes the magic string, version 1.0, header length and header. */
    private static OutputStream open(Path file, String descr, int[] shape) throws IOException {
        byte[] header = header(descr, shape);
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file));
        out.write(MAGIC);
        out.write(new byte[] {1, 0, (byte) header.length, (byte) (header.length >>> 8)});
        out.write(header);
        return out;
    }

    /** The header after the length field: the dictionary as Python's repr writes it, padded, ending in a newline. */
    static byte[] header(String descr, int[] shape) {
        String dims = String.join(", ", Arrays.stream(shape).mapToObj(Integer::toString).toList());
        String tuple = shape.length == 1 ? "(" + dims + ",)" : "(" + dims + ")";
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + tuple + ", }";
        if (shape.length > 0) dict += " ".repeat(GROWTH_DIGITS - Integer.toString(shape[0]).length());
        // As NumPy computes it: always at least one space, so a header that would end on the boundary gets 64.
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int padding = ALIGNMENT - unpadded % ALIGNMENT;
        byte[] header = (dict + " ".repeat(padding) + "\n").getBytes(StandardCharsets.US_ASCII);
        if (header.length > 0xffff) throw new IllegalArgumentException("shape too long for a version 1.0 header");
        return header;
    }

    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    /** Reads a .npy file of version 1.0, 2.0 or 3.0 holding '&lt;f4', '&lt;f8' or '&lt;i4' in C order. */
    public static Array read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < 10 || !Arrays.equals(all, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new IOException(file + ": not a .npy file");
        }
        int major = all[6];
        int lengthBytes = major == 1 ? 2 : 4;
        if (major < 1 || major > 3 || all.length < 8 + lengthBytes) throw new IOException(file + ": malformed .npy header");
        ByteBuffer prefix = ByteBuffer.wrap(all, 8, lengthBytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = major == 1 ? prefix.getShort() & 0xffff : prefix.getInt() & 0xffffffffL;
        long dataStart = 8 + lengthBytes + headerLength;
        if (dataStart > all.length) throw new IOException(file + ": malformed .npy header");
        String header = new String(all, 8 + lengthBytes, (int) headerLength, StandardCharsets.UTF_8);
        Matcher d = DESCR.matcher(header), f = FORTRAN.matcher(header), s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) throw new IOException(file + ": malformed .npy header: " + header.strip());
        if (f.group(1).equals("True")) throw new IOException(file + ": Fortran order is not supported");
        String descr = d.group(1);
        int width = switch (descr) {
            case "<f4", "<i4" -> 4;
            case "<f8" -> 8;
            default -> throw new IOException(file + ": element type " + descr + " is not supported");
        };
        int[] shape = Arrays.stream(s.group(1).split(",")).map(String::strip).filter(x -> !x.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
        long count = 1;
        for (int x : shape) count *= x;
        if (all.length - dataStart != count * width) {
            throw new IOException(file + ": holds " + (all.length - dataStart) + " bytes of data, shape "
                    + Arrays.toString(shape) + " of " + descr + " needs " + count * width);
        }
        ByteBuffer data = ByteBuffer.wrap(all, (int) dataStart, all.length - (int) dataStart).order(ByteOrder.LITTLE_ENDIAN);
        double[] values = new double[(int) count];
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (descr) {
                case "<f4" -> data.getFloat();
                case "<f8" -> data.getDouble();
                default -> data.getInt();
            };
        }
        return new Array(descr, shape, values);
    }
}
