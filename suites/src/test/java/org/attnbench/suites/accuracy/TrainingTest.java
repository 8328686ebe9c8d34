package org.attnbench.suites.accuracy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.attnbench.api.Backends;
import org.attnbench.api.DType;
import org.attnbench.api.Mode;
import org.attnbench.api.Ops;
import org.attnbench.api.Problem;
import org.attnbench.api.Rng;
import org.attnbench.api.Tensor;
import org.attnbench.api.Variants;
import org.attnbench.datasets.Example;
import org.attnbench.datasets.Task;
import org.attnbench.datasets.Tasks;
import org.junit.jupiter.api.Test;

class TrainingTest {
    private static final Ops OPS = Ops.on(Backends.open("cpu"), DType.FLOAT32);
    private static final Tier TINY = Tier.named("smoke").withSteps(120);

    private static TaskModel model(String variant, Task task, Mode mode) {
        Problem p = new Problem(TINY.batch(), task.length(), TINY.heads(), TINY.headDim(), mode);
        return new TaskModel(OPS, Variants.get(variant), task, p, 2, new Rng(7));
    }

    @Test
    void denseAttentionLearnsTheMajorityTaskAndTheLossFalls() {
        Task task = Tasks.create("majority", 16, 3);
        TaskModel m = model("dense", task, Mode.BIDIRECTIONAL);
        List<Double> losses = new ArrayList<>();
        Trainer.Outcome o = Trainer.train(OPS, m, task, TINY, 3, (s, n, loss) -> losses.add(loss));
        assertEquals(120, o.steps());
        assertEquals(120, losses.size());
        assertTrue(losses.subList(110, 120).stream().mapToDouble(Double::doubleValue).average().orElseThrow() < 0.5 * losses.get(0), losses.toString());
        assertTrue(o.testAccuracy() >= SmokeAccuracyRun.threshold(task.chance()), "accuracy " + o.testAccuracy());
        assertTrue(o.peakLiveBytes() > 0);
        assertEquals(Math.min(TINY.testExamples(), task.testSize()), o.scoredTargets(), "one scored target per sequence");
    }

    @Test
    void aModelThatCannotSeeTheInputStaysAtChance() {
        // Control for the test above: the same model trained on labels that do not depend on the input.
        Task real = Tasks.create("majority", 16, 3);
        Task blind = new Task() {
            public String name() { return "blind"; }
            public Kind kind() { return Kind.SEQUENCE; }
            public Metric metric() { return Metric.ACCURACY; }
            public boolean requiresCausal() { return false; }
            public int length() { return 16; }
            public int vocabulary() { return real.vocabulary(); }
            public int classes() { return real.classes(); }
            public double chance() { return real.chance(); }
            public int trainSize() { return Integer.MAX_VALUE; }
            public int testSize() { return real.testSize(); }
            public Example train(int i) { return new Example(real.train(i).tokens(), new int[] {new Rng(i).nextInt(real.classes())}); }
            public Example test(int i) { return new Example(real.test(i).tokens(), new int[] {new Rng(-1 - i).nextInt(real.classes())}); }
        };
        Trainer.Outcome o = Trainer.train(OPS, model("dense", blind, Mode.BIDIRECTIONAL), blind, TINY, 3, null);
        assertTrue(o.testAccuracy() < SmokeAccuracyRun.threshold(blind.chance()), "accuracy " + o.testAccuracy());
    }

    @Test
    void trainingIsRepeatableForASeed() {
        Task task = Tasks.create("majority", 16, 5);
        Tier few = TINY.withSteps(5);
        Trainer.Outcome a = Trainer.train(OPS, model("window", task, Mode.CAUSAL), task, few, 5, null);
        Trainer.Outcome b = Trainer.train(OPS, model("window", task, Mode.CAUSAL), task, few, 5, null);
        // Equal to float32 rounding: BLAS may take another code path for differently aligned buffers.
        assertEquals(a.finalLoss(), b.finalLoss(), 1e-5 * a.finalLoss());
        assertEquals(a.testAccuracy(), b.testAccuracy(), 1.0 / a.scoredTargets());
    }

    @Test
    void positionsOnlyWhereTheVariantHasNoneAndAWholeBlockIsNotWrapped() {
        Task task = Tasks.create("majority", 16, 1);
        TaskModel denseModel = model("dense", task, Mode.BIDIRECTIONAL);
        Map<String, double[]> dense = denseModel.values();
        assertTrue(denseModel.addsPositions());
        assertTrue(dense.containsKey("block0.ff.w1") && dense.containsKey("block1.mixer.wq"), dense.keySet().toString());
        assertFalse(model("aft-full", task, Mode.BIDIRECTIONAL).addsPositions());
        Map<String, double[]> persistent = model("persistent-memory", task, Mode.BIDIRECTIONAL).values();
        assertFalse(persistent.containsKey("block0.ff.w1"), "persistent memory replaces the feed-forward");
        assertTrue(persistent.containsKey("block0.ln1.gain"));
        TaskModel gmlpModel = model("gmlp-block", task, Mode.BIDIRECTIONAL);
        Map<String, double[]> gmlp = gmlpModel.values();
        assertFalse(gmlp.containsKey("block0.ln1.gain") || gmlp.containsKey("block0.ff.w1") || gmlpModel.addsPositions(), gmlp.keySet().toString());
    }

    @Test
    void sinusoidsAreTheTransformersPositions() {
        double[] pe = TaskModel.sinusoids(3, 4);
        assertEquals(0.0, pe[0], 0);
        assertEquals(1.0, pe[1], 0);
        assertEquals(Math.sin(2), pe[2 * 4], 1e-15);
        assertEquals(Math.cos(2 / 100.0), pe[2 * 4 + 3], 1e-15);
    }

    @Test
    void perTokenTasksScoreOnlyTheirTargets() {
        Task task = Tasks.create("mqar", 32, 1);
        TaskModel m = model("dense", task, Mode.BIDIRECTIONAL);
        List<Example> batch = List.of(task.train(0), task.train(1));
        List<Integer> targets = new ArrayList<>();
        Tensor logits = m.logits(OPS, m.upload(OPS, false), batch, targets);
        long scored = batch.stream().flatMapToInt(e -> java.util.Arrays.stream(e.targets())).filter(t -> t != Example.IGNORE).count();
        assertEquals(scored, targets.size());
        assertEquals(scored, logits.dim(0));
        assertEquals(task.classes(), logits.dim(1));
    }
}
