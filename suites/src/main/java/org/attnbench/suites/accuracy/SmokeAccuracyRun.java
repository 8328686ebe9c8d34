package org.attnbench.suites.accuracy;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.attnbench.api.DType;
import org.attnbench.datasets.Task;
import org.attnbench.datasets.Tasks;
import org.attnbench.results.ResultRow;
import org.attnbench.suites.check.SmokeAccuracy;

/**
 * The smoke tier as `attnbench check` and CI run it: the variant as the mixer of the smoke model, trained for a
 * few seconds on a trivial task (the majority token of a sequence), must end well above chance: at least halfway
 * from chance to 100%. It shows that the variant trains end to end through the tape, not how well it recalls.
 */
public final class SmokeAccuracyRun implements SmokeAccuracy {
    public static final String TASK = "majority";
    public static final int LENGTH = 64;

    @Override
    public List<ResultRow> run(String variant, Path outDir, PrintStream progress) throws IOException {
        Tier tier = Tier.named("smoke");
        progress.println("smoke accuracy: " + variant + " on " + TASK + " at n = " + LENGTH + " (" + tier.describe() + ")");
        return new AccuracyRunner(List.of(TASK), List.of(LENGTH), AccuracyRunner.variantNames(List.of(variant)), List.of(), tier, "cpu",
                DType.FLOAT32, outDir, Path.of("."), "attnbench check " + variant, progress).run();
    }

    /** The least test accuracy that counts as well above chance. */
    public static double threshold(double chance) {
        return chance + 0.5 * (1 - chance);
    }

    @Override
    public List<String> shortfalls(List<ResultRow> rows) {
        List<String> out = new ArrayList<>();
        for (ResultRow r : rows) {
            if (!r.ok() || r.testAccuracy() == null) continue;
            Task task = Tasks.create(r.task(), r.length().intValue(), r.integer(org.attnbench.results.Column.SEED));
            double need = threshold(task.chance());
            if (r.testAccuracy() < need) {
                out.add(String.format(Locale.ROOT, "%s learned %s to %.1f%% only (chance %.1f%%, at least %.1f%% needed)", r.variant(),
                        r.task(), 100 * r.testAccuracy(), 100 * task.chance(), 100 * need));
            }
        }
        return out;
    }
}
