package org.attnbench.backend.cpu;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The 2-D DFT of real float32 [n1, n2] matrices whose sizes are powers of two, one part (real or imaginary) kept.
 * JTransforms' 2-D transform writes the full complex spectrum (twice the input) and walks its columns at a stride of a
 * power of two bytes, so it leaves the cache and slows by 3x per doubling once a matrix outgrows it; this kernel keeps
 * every pass inside one core's L2:
 * <ol>
 *   <li>rows: blocks of {@link #LANES} rows are transposed into a [n2][LANES] buffer and transformed there, a vector
 *       holding one frequency of LANES rows; only the half spectrum j = 0 .. n2/2 is kept (the rest is its mirror, as
 *       the input is real), stored by blocks of LANES columns, each block a contiguous [n1][LANES] array;</li>
 *   <li>columns: each such block is transformed in place along n1, a vector holding LANES columns;</li>
 *   <li>the kept part is written out, and the other half of the columns from the Hermitian symmetry
 *       Y[k, n2 - j] = conj(Y[(n1 - k) mod n1, j]).</li>
 * </ol>
 * Both transforms are the same iterative radix-2 FFT on split real and imaginary buffers, with twiddles computed in
 * double; tasks are row blocks, then column blocks, on the common fork-join pool. Other sizes and float64 stay on
 * JTransforms, against which this kernel is tested.
 */
final class FourierKernel {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = F.length();

    private final int n1, n2, half, columnBlocks;
    /** Twiddles exp(-2 pi i k / n) for k < n/2 of each axis (cos, then -sin). */
    private final float[] cos1, sin1, cos2, sin2;
    private final int[] reverse1, reverse2;

    /** Whether the kernel takes [n1, n2] matrices: both sizes powers of two. */
    static boolean handles(int n1, int n2) {
        return Integer.bitCount(n1) == 1 && Integer.bitCount(n2) == 1;
    }

    FourierKernel(int n1, int n2) {
        if (!handles(n1, n2)) throw new IllegalArgumentException("sizes must be powers of two: " + n1 + " x " + n2);
        this.n1 = n1;
        this.n2 = n2;
        this.half = n2 / 2;
        this.columnBlocks = (half + 1 + LANES - 1) / LANES;
        cos1 = new float[Math.max(1, n1 / 2)];
        sin1 = new float[cos1.length];
        twiddles(n1, cos1, sin1);
        cos2 = new float[Math.max(1, n2 / 2)];
        sin2 = new float[cos2.length];
        twiddles(n2, cos2, sin2);
        reverse1 = bitReversal(n1);
        reverse2 = bitReversal(n2);
    }

    private static void twiddles(int n, float[] cos, float[] sin) {
        for (int k = 0; k < n / 2; k++) {
            double angle = -2 * Math.PI * k / n;
            cos[k] = (float) Math.cos(angle);
            sin[k] = (float) Math.sin(angle);
        }
    }

    private static int[] bitReversal(int n) {
        int bits = Integer.numberOfTrailingZeros(n);
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = bits == 0 ? 0 : Integer.reverse(i) >>> (32 - bits);
        return r;
    }

    /**
     * Transforms the matrices at element offsets item * n1 * n2 of in (items of them, row-major) into out, keeping
     * the imaginary part if asked, else the real part.
     */
    void transform(MemorySegment in, MemorySegment out, long items, boolean imaginaryPart) {
        int blockFloats = n1 * LANES;
        float[] workRe = new float[columnBlocks * blockFloats];
        float[] workIm = new float[columnBlocks * blockFloats];
        int rowBlocks = (n1 + LANES - 1) / LANES;
        long matrix = (long) n1 * n2;
        for (long item = 0; item < items; item++) {
            long base = item * matrix;
            Parallel.forItems(rowBlocks, (long) LANES * n2, (from, to) -> {
                float[] re = new float[n2 * LANES], im = new float[n2 * LANES];
                for (long b = from; b < to; b++) rows(in, base, (int) b * LANES, re, im, workRe, workIm);
            });
            Parallel.forRange(columnBlocks, 1, (from, to) -> {
                for (long c = from; c < to; c++) {
                    int offset = (int) c * blockFloats;
                    fft(workRe, workIm, offset, n1, cos1, sin1, reverse1);
                    write(out, base, (int) c, imaginaryPart ? workIm : workRe, offset, imaginaryPart);
                }
            });
        }
    }

    /** Rows r0 .. r0 + LANES (those below n1): their half spectra into the column-block work arrays. */
    private void rows(MemorySegment in, long base, int r0, float[] re, float[] im, float[] workRe, float[] workIm) {
        int rows = Math.min(LANES, n1 - r0);
        Arrays.fill(im, 0f);
        if (rows < LANES) Arrays.fill(re, 0f);
        for (int r = 0; r < rows; r++) {
            long row = (base + (long) (r0 + r) * n2) * Float.BYTES;
            for (int j = 0; j < n2; j++) re[j * LANES + r] = in.get(JAVA_FLOAT_UNALIGNED, row + (long) j * Float.BYTES);
        }
        fft(re, im, 0, n2, cos2, sin2, reverse2);
        for (int j = 0; j <= half; j++) {
            int block = j / LANES, lane = j % LANES;
            int dst = block * n1 * LANES + r0 * LANES + lane;
            for (int r = 0; r < rows; r++) {
                workRe[dst + r * LANES] = re[j * LANES + r];
                workIm[dst + r * LANES] = im[j * LANES + r];
            }
        }
    }

    /** Column block c (columns c * LANES ..) of the kept part, and the mirrored columns n2 - j it determines. */
    private void write(MemorySegment out, long base, int c, float[] part, int offset, boolean imaginaryPart) {
        float mirror = imaginaryPart ? -1f : 1f;
        int j0 = c * LANES, j1 = Math.min(half + 1, j0 + LANES);
        for (int k = 0; k < n1; k++) {
            long row = (base + (long) k * n2) * Float.BYTES;
            long mirroredRow = (base + (long) ((n1 - k) & (n1 - 1)) * n2) * Float.BYTES;
            int src = offset + k * LANES - j0;
            for (int j = j0; j < j1; j++) {
                float value = part[src + j];
                out.set(JAVA_FLOAT_UNALIGNED, row + (long) j * Float.BYTES, value);
                if (j > 0 && j < half) out.set(JAVA_FLOAT_UNALIGNED, mirroredRow + (long) (n2 - j) * Float.BYTES, mirror * value);
            }
        }
    }

    /**
     * In-place forward FFT along the first axis of the [n][LANES] arrays re and im starting at offset: decimation in
     * time, the input permuted by bit reversal, then log2 n passes of butterflies, each on whole vectors.
     */
    private static void fft(float[] re, float[] im, int offset, int n, float[] cos, float[] sin, int[] reverse) {
        for (int i = 0; i < n; i++) {
            int j = reverse[i];
            if (j > i) {
                int a = offset + i * LANES, b = offset + j * LANES;
                FloatVector ar = FloatVector.fromArray(F, re, a), ai = FloatVector.fromArray(F, im, a);
                FloatVector.fromArray(F, re, b).intoArray(re, a);
                FloatVector.fromArray(F, im, b).intoArray(im, a);
                ar.intoArray(re, b);
                ai.intoArray(im, b);
            }
        }
        for (int size = 2; size <= n; size <<= 1) {
            int halfSize = size >> 1, step = n / size;
            for (int k = 0; k < halfSize; k++) {
                FloatVector wr = FloatVector.broadcast(F, cos[k * step]), wi = FloatVector.broadcast(F, sin[k * step]);
                for (int g = k; g < n; g += size) {
                    int a = offset + g * LANES, b = a + halfSize * LANES;
                    FloatVector br = FloatVector.fromArray(F, re, b), bi = FloatVector.fromArray(F, im, b);
                    FloatVector tr = br.mul(wr).sub(bi.mul(wi));
                    FloatVector ti = br.mul(wi).add(bi.mul(wr));
                    FloatVector ar = FloatVector.fromArray(F, re, a), ai = FloatVector.fromArray(F, im, a);
                    ar.add(tr).intoArray(re, a);
                    ai.add(ti).intoArray(im, a);
                    ar.sub(tr).intoArray(re, b);
                    ai.sub(ti).intoArray(im, b);
                }
            }
        }
    }
}
