package org.attnbench.datasets;

import java.util.SplittableRandom;

/**
 * Per-example random streams. Example i of a split gets its own generator seeded from a hash of (seed, split, i),
 * so it is a pure function of those three and any example can be made without the ones before it.
 */
final class Seeds {
    static final long TRAIN = 0x5452_4149_4E5F_5350L;
    static final long TEST = 0x5445_5354_5F53_504CL;

    private Seeds() {}

    /** splitmix64's finaliser (Steele, Lea and Flood 2014): a bijection whose output bits all depend on every input bit. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    /** Mixing twice keeps nearby seeds and nearby indices from giving related streams. */
    static SplittableRandom random(long seed, long split, long index) {
        return new SplittableRandom(mix(mix(seed ^ split) + index * 0x9E37_79B9_7F4A_7C15L));
    }
}
