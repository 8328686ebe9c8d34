package org.attnbench.api;

/**
 * One attention problem: the input is [batch, length, heads * headDim]. A variant maps it to an output of the
 * same shape. Every field is checked here, so a problem that exists is well formed.
 */
public record Problem(int batch, int length, int heads, int headDim, Mode mode) {
    public Problem {
        if (batch < 1) throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        if (length < 1) throw new IllegalArgumentException("length must be at least 1, got " + length);
        if (heads < 1) throw new IllegalArgumentException("heads must be at least 1, got " + heads);
        if (headDim < 1) throw new IllegalArgumentException("head dim must be at least 1, got " + headDim);
        if (mode == null) throw new IllegalArgumentException("mode must be given");
        if ((long) heads * headDim > Integer.MAX_VALUE) throw new IllegalArgumentException("heads * head dim is too large");
    }

    /** Model width d = heads * headDim. */
    public int width() {
        return heads * headDim;
    }

    public boolean causal() {
        return mode == Mode.CAUSAL;
    }

    public int[] inputShape() {
        return new int[] {batch, length, width()};
    }

    public Problem withLength(int n) {
        return new Problem(batch, n, heads, headDim, mode);
    }

    public Problem withBatch(int b) {
        return new Problem(b, length, heads, headDim, mode);
    }

    public Problem withMode(Mode m) {
        return new Problem(batch, length, heads, headDim, m);
    }

    @Override
    public String toString() {
        return "batch=" + batch + " n=" + length + " heads=" + heads + " headDim=" + headDim + " " + mode.id();
    }
}
