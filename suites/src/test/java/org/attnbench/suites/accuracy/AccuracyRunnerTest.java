package org.attnbench.suites.accuracy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.attnbench.api.DType;
import org.attnbench.api.Mode;
import org.attnbench.results.ResultRow;
import org.attnbench.results.ResultStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccuracyRunnerTest {
    @TempDir Path dir;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    private AccuracyRunner runner(List<String> tasks, List<Integer> lengths, List<String> variants, List<Mode> modes) {
        return new AccuracyRunner(tasks, lengths, variants, modes, Tier.named("smoke").withSteps(8), "cpu", DType.FLOAT32,
                dir, dir, "attnbench accuracy (test)", new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @Test
    void writesOneRowPerRunRecordsWhatCannotRunAndResumes() throws IOException {
        List<ResultRow> rows = runner(List.of("majority"), List.of(16), List.of("dense", "fnet"), List.of(Mode.CAUSAL)).run();
        assertEquals(2, rows.size());
        ResultRow dense = rows.stream().filter(r -> r.variant().equals("dense")).findFirst().orElseThrow();
        assertTrue(dense.ok(), dense.toString());
        assertEquals("accuracy", dense.benchmark());
        assertEquals("majority", dense.task());
        assertEquals(8L, dense.trainSteps());
        assertTrue(dense.testAccuracy() >= 0 && dense.testAccuracy() <= 1);
        assertTrue(dense.setup().startsWith("tier smoke: d=32"), dense.setup());
        assertTrue(dense.timeMedianMs() > 0 && dense.peakLiveBytes() > 0);
        ResultRow fnet = rows.stream().filter(r -> r.variant().equals("fnet")).findFirst().orElseThrow();
        assertEquals("unsupported", fnet.status());
        assertTrue(fnet.message().contains("causal"), fnet.message());
        assertTrue(log.toString().contains("[1/2] dense majority n=16 causal seed 1"), log.toString());
        assertTrue(log.toString().contains("left)"), "an estimate of the time left: " + log);

        log.reset();
        List<ResultRow> again = runner(List.of("majority"), List.of(16), List.of("dense", "fnet"), List.of(Mode.CAUSAL)).run();
        assertEquals(2, again.size(), "nothing is trained twice");
        assertEquals(2, ResultStore.open(dir).rows().size());
        assertTrue(log.toString().contains("resuming: 2 of 2 already trained there"), log.toString());
    }

    @Test
    void eachTaskGetsItsNaturalMode() {
        List<AccuracyRunner.Run> classify = runner(List.of("majority"), List.of(16), List.of("dense", "fnet", "ngram"), List.of()).plan();
        assertEquals(List.of(Mode.BIDIRECTIONAL, Mode.BIDIRECTIONAL, Mode.CAUSAL), classify.stream().map(AccuracyRunner.Run::mode).toList());
        List<AccuracyRunner.Run> recall = runner(List.of("mqar"), List.of(32), List.of("dense", "fnet", "ngram"), List.of()).plan();
        assertEquals(List.of(Mode.CAUSAL, Mode.BIDIRECTIONAL, Mode.CAUSAL), recall.stream().map(AccuracyRunner.Run::mode).toList());
    }

    @Test
    void badTasksAndLengthsFailBeforeAnythingTrains() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> runner(List.of("nonesuch"), List.of(16), List.of("dense"), List.of()).plan());
        assertTrue(unknown.getMessage().startsWith("unknown task 'nonesuch' (known: "), unknown.getMessage());
        IllegalArgumentException tooShort = assertThrows(IllegalArgumentException.class,
                () -> runner(List.of("mqar(pairs=8)"), List.of(8), List.of("dense"), List.of()).plan());
        assertTrue(tooShort.getMessage().contains("mqar"), tooShort.getMessage());
    }

    @Test
    void allMeansEveryVariantOnceInItsReferenceImplementation() {
        List<String> all = AccuracyRunner.variantNames(List.of("all"));
        assertTrue(all.contains("dense") && all.contains("sigmoid") && all.contains("window") && all.contains("gmlp-block"), all.toString());
        assertTrue(all.stream().noneMatch(v -> v.contains(":")), "no second implementation: " + all);
    }
}
