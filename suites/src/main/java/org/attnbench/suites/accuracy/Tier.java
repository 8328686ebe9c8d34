package org.attnbench.suites.accuracy;

import java.util.List;
import java.util.Locale;

/**
 * How much training an accuracy run gets. smoke is for CI and `attnbench check` (seconds per variant, a trivial
 * task); default fits every variant at three lengths of two tasks into an hour on a 2-core CPU; full is sized for a
 * GPU. Every field can be overridden from the command line.
 *
 * @param width       model width d = heads * headDim
 * @param layers      blocks of {norm, mixer, norm, feed-forward}
 * @param batch       examples per training step
 * @param steps       training steps
 * @param warmup      steps of linear learning-rate warm-up before the cosine decay
 * @param learningRate peak AdamW learning rate
 * @param testExamples test examples scored (at most the task's test set)
 * @param seeds       seeds: each is one training run with its own data stream and initialisation
 */
public record Tier(String name, int width, int heads, int layers, int batch, int steps, int warmup, double learningRate,
                   double weightDecay, double clipNorm, int testExamples, List<Long> seeds) {

    public static final List<String> NAMES = List.of("smoke", "default", "full");

    public Tier {
        if (width < 1 || heads < 1 || width % heads != 0) {
            throw new IllegalArgumentException("tier " + name + ": width " + width + " must be a positive multiple of heads " + heads);
        }
        if (layers < 1 || batch < 1 || steps < 1 || testExamples < 1) {
            throw new IllegalArgumentException("tier " + name + ": layers, batch, steps and test examples must be at least 1");
        }
        if (warmup < 0 || learningRate <= 0 || weightDecay < 0 || clipNorm <= 0) {
            throw new IllegalArgumentException("tier " + name + ": warm-up, learning rate, weight decay and clip norm must be positive");
        }
        if (seeds.isEmpty()) throw new IllegalArgumentException("tier " + name + ": at least one seed is needed");
        seeds = List.copyOf(seeds);
    }

    public static Tier named(String name) {
        return switch (name) {
            // A trivial task (see SmokeAccuracyRun): a small model, a few hundred steps.
            case "smoke" -> new Tier("smoke", 32, 2, 1, 16, 150, 15, 3e-3, 0.01, 1.0, 128, List.of(1L));
            // Sized by measurement on the 2-core VM, where a step of batch 32 at n = 256 takes 0.15-0.45 s by variant:
            // 18 variants x 3 lengths x 2 tasks in under an hour. Enough to rank mixers, not to converge.
            case "default" -> new Tier("default", 64, 4, 2, 32, 100, 10, 3e-3, 0.01, 1.0, 256, List.of(1L));
            // For a GPU: Zoology-like widths and several seeds.
            case "full" -> new Tier("full", 128, 4, 2, 64, 4000, 200, 1e-3, 0.1, 1.0, 1024, List.of(1L, 2L, 3L));
            default -> throw new IllegalArgumentException("unknown tier '" + name + "' (known: " + String.join(", ", NAMES) + ")");
        };
    }

    public int headDim() {
        return width / heads;
    }

    public Tier withSteps(int s) {
        return new Tier(name, width, heads, layers, batch, s, Math.min(warmup, s / 10), learningRate, weightDecay, clipNorm, testExamples, seeds);
    }

    public Tier with(Integer w, Integer h, Integer l, Integer b, Double lr, List<Long> sd) {
        return new Tier(name, w != null ? w : width, h != null ? h : heads, l != null ? l : layers, b != null ? b : batch, steps,
                warmup, lr != null ? lr : learningRate, weightDecay, clipNorm, testExamples, sd != null ? sd : seeds);
    }

    /** The setup column of an accuracy row: what was trained, so rows of different setups are never averaged blind. */
    public String describe() {
        return String.format(Locale.ROOT, "tier %s: d=%d, %d heads, %d layers, batch %d, %d steps (warm-up %d), AdamW lr %.3g wd %.3g, clip %.3g",
                name, width, heads, layers, batch, steps, warmup, learningRate, weightDecay, clipNorm);
    }
}
