package org.attnbench.api;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Seeded random numbers for inputs and initialisers. Values are made on the host in float64 and uploaded, so a
 * seed gives the same tensors on every backend. {@link #child} derives an independent stream from a label, so a
 * parameter's values do not depend on the order in which parameters are created.
 */
public final class Rng {
    private final long seed;
    private final SplittableRandom random;

    public Rng(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    public long seed() {
        return seed;
    }

    /** An independent generator for a named purpose, e.g. child("wq"). */
    public Rng child(String label) {
        long h = 1125899906842597L;
        for (byte b : label.getBytes(StandardCharsets.UTF_8)) h = 31 * h + b;
        return new Rng(mix(seed ^ mix(h)));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    public double[] normal(int count, double std) {
        double[] v = new double[count];
        for (int i = 0; i < count; i++) v[i] = std * random.nextGaussian();
        return v;
    }

    public double[] uniform(int count, double low, double high) {
        double[] v = new double[count];
        for (int i = 0; i < count; i++) v[i] = low + (high - low) * random.nextDouble();
        return v;
    }

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    public double nextDouble() {
        return random.nextDouble();
    }
}
