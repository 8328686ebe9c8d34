package org.attnbench.suites.accuracy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.attnbench.api.Backend;
import org.attnbench.api.CostMeter;
import org.attnbench.api.Gradients;
import org.attnbench.api.Ops;
import org.attnbench.api.Rng;
import org.attnbench.api.Tape;
import org.attnbench.api.Tensor;
import org.attnbench.datasets.Example;
import org.attnbench.datasets.Task;

/** Trains a {@link TaskModel} with the tape and {@link AdamW}, then scores it on the task's test examples. */
final class Trainer {

    /**
     * What one training run measured. stepMs holds the wall time of every step after the first tenth (the JIT
     * warms up there); peakLiveBytes is the exact peak of live tensors during the first step.
     */
    record Outcome(int steps, double trainTimeMs, double finalLoss, List<Double> stepMs, long peakLiveBytes,
                   Double testAccuracy, Double testBitsPerChar, int scoredTargets) {}

    /** A training run that could not go on (the loss stopped being finite): recorded as an error row. */
    static final class DivergedException extends RuntimeException {
        DivergedException(String message) {
            super(message);
        }
    }

    /** Called after each step with (step, steps, loss) so a caller can show progress. */
    interface Progress {
        void step(int step, int steps, double loss);
    }

    private Trainer() {}

    static Outcome train(Ops ops, TaskModel model, Task task, Tier tier, long seed, Progress progress) {
        AdamW optimiser = new AdamW(tier.learningRate(), tier.weightDecay(), tier.clipNorm(), tier.warmup(), tier.steps());
        Rng order = new Rng(seed).child("batches");
        List<Double> losses = new ArrayList<>(), stepMs = new ArrayList<>();
        long peakLive = 0;
        long next = 0;
        int skip = tier.steps() / 10;
        long start = System.nanoTime();
        for (int s = 0; s < tier.steps(); s++) {
            long t0 = System.nanoTime();
            List<Example> batch = new ArrayList<>(tier.batch());
            for (int i = 0; i < tier.batch(); i++) {
                // A generator's examples are taken in order; a file's are drawn with replacement.
                int index = task.trainSize() == Integer.MAX_VALUE ? (int) (next++ % Integer.MAX_VALUE) : order.nextInt(task.trainSize());
                batch.add(task.train(index));
            }
            double loss;
            Map<String, double[]> grads = new LinkedHashMap<>();
            // A step's tensors live in one call scope, whose memory the next step reuses (on the cpu backend an
            // ND4J workspace): nothing made inside is read after it, only the loss and gradients copied out.
            try (Backend.CallScope scope = ops.backend().callScope(); Tape tape = ops.startTape()) {
                CostMeter meter = s == 0 ? ops.startMetering() : null;
                Map<String, Tensor> params = model.upload(ops, true);
                List<Integer> targets = new ArrayList<>();
                Tensor logits = model.logits(ops, params, batch, targets);
                Tensor lossTensor = ops.crossEntropy(logits, targets.stream().mapToInt(Integer::intValue).toArray());
                loss = ops.toArray(lossTensor)[0];
                if (!Double.isFinite(loss)) throw new DivergedException("training diverged: the loss is " + loss + " at step " + s);
                Gradients g = tape.backward(lossTensor);
                params.forEach((name, t) -> grads.put(name, ops.toArray(g.of(t))));
                if (meter != null) peakLive = meter.stop().peakLiveBytes();
            }
            optimiser.step(model.values(), grads, model.decayed());
            losses.add(loss);
            if (s >= skip) stepMs.add((System.nanoTime() - t0) / 1e6);
            if (progress != null) progress.step(s + 1, tier.steps(), loss);
        }
        double trainMs = (System.nanoTime() - start) / 1e6;
        int tail = Math.max(1, tier.steps() / 20);
        double finalLoss = losses.subList(losses.size() - tail, losses.size()).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        return score(ops, model, task, tier, trainMs, finalLoss, stepMs, peakLive);
    }

    /** Accuracy of the argmax, or bits per character, over the scored targets of the test examples. */
    private static Outcome score(Ops ops, TaskModel model, Task task, Tier tier, double trainMs, double finalLoss,
                                 List<Double> stepMs, long peakLive) {
        int count = Math.min(tier.testExamples(), task.testSize());
        long correct = 0, scored = 0;
        double nats = 0;
        for (int from = 0; from < count; from += tier.batch()) {
            List<Example> batch = new ArrayList<>();
            for (int i = from; i < Math.min(count, from + tier.batch()); i++) batch.add(task.test(i));
            List<Integer> targets = new ArrayList<>();
            double[] logits;
            try (Backend.CallScope scope = ops.backend().callScope()) {
                logits = ops.toArray(model.logits(ops, model.upload(ops, false), batch, targets));
            }
            int c = task.classes();
            for (int r = 0; r < targets.size(); r++) {
                int best = 0;
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < c; k++) {
                    if (logits[r * c + k] > max) {
                        max = logits[r * c + k];
                        best = k;
                    }
                }
                double sum = 0;
                for (int k = 0; k < c; k++) sum += Math.exp(logits[r * c + k] - max);
                nats += Math.log(sum) + max - logits[r * c + targets.get(r)];
                if (best == targets.get(r)) correct++;
                scored++;
            }
        }
        if (scored == 0) throw new IllegalStateException(task.name() + ": the test examples score no target");
        boolean bpc = task.metric() == Task.Metric.BITS_PER_CHAR;
        return new Outcome(tier.steps(), trainMs, finalLoss, stepMs, peakLive,
                bpc ? null : correct / (double) scored, bpc ? nats / scored / Math.log(2) : null, (int) scored);
    }
}
