package org.attnbench.suites.accuracy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter 2019: Adam with weight decay decoupled from the gradient), with linear warm-up,
 * cosine decay to a tenth of the peak rate, and clipping of the global gradient norm. Updates happen on the host in
 * float64, so training does not depend on a backend having in-place updates. Weight decay applies to matrices only
 * (rank 2 and above), not to biases, norm gains or vectors.
 */
final class AdamW {
    static final double BETA1 = 0.9, BETA2 = 0.999, EPS = 1e-8;

    private final double peakRate, weightDecay, clipNorm;
    private final int warmup, steps;
    private final Map<String, double[]> m = new LinkedHashMap<>(), v = new LinkedHashMap<>();
    private int t;

    AdamW(double peakRate, double weightDecay, double clipNorm, int warmup, int steps) {
        this.peakRate = peakRate;
        this.weightDecay = weightDecay;
        this.clipNorm = clipNorm;
        this.warmup = warmup;
        this.steps = steps;
    }

    /** The learning rate at step s (0-based): linear warm-up to the peak, then cosine decay to peak / 10. */
    double rate(int s) {
        if (s < warmup) return peakRate * (s + 1) / warmup;
        double progress = steps <= warmup ? 1 : Math.min(1.0, (s - warmup) / (double) Math.max(1, steps - warmup - 1));
        return peakRate * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * progress)));
    }

    /** The global gradient norm before clipping. */
    static double norm(Map<String, double[]> grads) {
        double sq = 0;
        for (double[] g : grads.values()) for (double x : g) sq += x * x;
        return Math.sqrt(sq);
    }

    /**
     * One update of every parameter in place; returns the gradient norm before clipping. decayed says which
     * parameters get weight decay.
     */
    double step(Map<String, double[]> params, Map<String, double[]> grads, java.util.Set<String> decayed) {
        double norm = norm(grads);
        double scale = norm > clipNorm ? clipNorm / norm : 1.0;
        double lr = rate(t);
        t++;
        double c1 = 1 - Math.pow(BETA1, t), c2 = 1 - Math.pow(BETA2, t);
        for (Map.Entry<String, double[]> e : params.entrySet()) {
            double[] p = e.getValue(), g = grads.get(e.getKey());
            if (g == null) continue;
            double[] mm = m.computeIfAbsent(e.getKey(), k -> new double[p.length]);
            double[] vv = v.computeIfAbsent(e.getKey(), k -> new double[p.length]);
            double wd = decayed.contains(e.getKey()) ? weightDecay : 0;
            for (int i = 0; i < p.length; i++) {
                double gi = g[i] * scale;
                mm[i] = BETA1 * mm[i] + (1 - BETA1) * gi;
                vv[i] = BETA2 * vv[i] + (1 - BETA2) * gi * gi;
                p[i] -= lr * (mm[i] / c1 / (Math.sqrt(vv[i] / c2) + EPS) + wd * p[i]);
            }
        }
        return norm;
    }
}
