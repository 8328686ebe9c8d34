package org.attnbench.suites.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;

import org.attnbench.results.Column;
import org.attnbench.results.ResultReader;
import org.attnbench.results.ResultRow;
import org.attnbench.results.ResultStore;
import org.attnbench.suites.sweep.SuiteDefinition;
import org.attnbench.suites.sweep.SweepRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Records a baseline: a results file (JSON, raw samples kept) from an existing run or from a run of the tier now. */
@Command(name = "baseline", description = {
        "Record a baseline for nightly comparison: the rows of a run as one JSON results file (raw samples kept).",
        "Without --from it runs the tier now (into results/baseline/NAME/UTC-TIME)."})
final class BaselineCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "the baseline to write, e.g. reports/baselines/NAME.json")
    Path out;
    @Option(names = "--from", paramLabel = "RESULTS", description = "take the rows of this results folder or file instead of running")
    Path from;
    @Option(names = "--suite", defaultValue = "nightly", description = "the tier to run without --from (default: ${DEFAULT-VALUE})")
    String suiteName;
    @Option(names = "--results", paramLabel = "DIR", description = "folder for the run without --from (default: results/baseline/NAME/UTC-TIME)")
    Path results;

    @Override
    public Integer call() throws IOException {
        String file = out.getFileName().toString();
        if (!file.endsWith(".json")) throw new IllegalArgumentException("--out must name a .json file (a baseline keeps raw samples), got " + out);
        String name = file.substring(0, file.length() - ".json".length());
        List<ResultRow> rows;
        if (from != null) {
            rows = ResultReader.read(from);
        } else {
            Path home = Main.home();
            SuiteDefinition suite = SuiteDefinition.load(suiteName, home.resolve("suites"));
            Path dir = results != null ? results : home.resolve("results").resolve("baseline").resolve(name)
                    .resolve(LocalDateTime.now(ZoneOffset.UTC).format(NightlyCommand.STAMP));
            rows = new SweepRunner(suite, dir, home, "attnbench " + String.join(" ", spec.commandLine().getParseResult().originalArgs()),
                    System.out).run().rows();
            System.out.println("results: " + dir);
        }
        if (rows.isEmpty()) throw new IllegalArgumentException((from != null ? from : suiteName) + ": no rows to record");
        boolean replacing = Files.exists(out);
        ResultStore.writeJson(out, rows);
        long notOk = rows.stream().filter(r -> !r.ok()).count();
        ResultRow first = rows.get(0);
        System.out.println((replacing ? "replaced" : "wrote") + " baseline " + name + ": " + out + " (" + rows.size() + " rows"
                + (notOk > 0 ? ", " + notOk + " not ok" : "") + "; revision " + first.text(Column.GIT_REVISION) + ", machine "
                + first.text(Column.MACHINE) + ", backend " + first.backend() + ")");
        return notOk == 0 ? 0 : Main.INCOMPLETE;
    }
}
