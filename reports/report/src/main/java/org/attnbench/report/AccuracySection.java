package org.attnbench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.attnbench.results.ResultRow;

/**
 * The accuracy benchmark: test accuracy per task with the average, in the manner of the Long Range Arena's main
 * table (each task at the longest length it was trained at), accuracy against n per task, and accuracy against
 * speed with memory as the bubble, in the manner of the Long Range Arena's figure. Repeated seeds are averaged.
 */
final class AccuracySection {
    private static final Function<Double, String> BPC = v -> Fmt.f("%.3f", v);

    private AccuracySection() {}

    /**
     * One task of the table at its longest length; language modelling tasks give bits per character. mode is empty
     * where each variant was trained in one mode of the task (its own: FNet bidirectionally where the others are
     * causal), and names the mode where some variant was trained in two, which are then told apart.
     */
    record Task(String task, String mode, long length, boolean bitsPerChar, String name) {
        String id() {
            return Report.slug(mode.isEmpty() ? task : task + "-" + mode);
        }

        boolean covers(ResultRow r) {
            return r.task().equals(task) && (mode.isEmpty() || r.mode().equals(mode));
        }
    }

    /** A mean over seeds of one figure, or the status of rows that were not ok. */
    private record Cell(Double mean, int seeds, String status) {
        String show(Function<Double, String> fmt) {
            return mean != null ? fmt.apply(mean) : status != null ? status : Fmt.NONE;
        }
    }

    static void add(ResultSet set, List<Block> out) {
        List<ResultRow> rows = set.benchmark("accuracy");
        if (rows.isEmpty()) return;
        Provenance prov = Provenance.of(rows);
        List<Task> tasks = tasks(rows);
        TreeSet<Line> lines = rows.stream().map(Line::of).collect(Collectors.toCollection(TreeSet::new));
        out.add(new Block.Heading(3, "Accuracy"));

        // The LRA-style table: the accuracy tasks, their average, then the tasks scored in bits per character.
        List<Task> accuracyTasks = tasks.stream().filter(t -> !t.bitsPerChar()).toList();
        List<Task> bpcTasks = tasks.stream().filter(Task::bitsPerChar).toList();
        List<String> header = new ArrayList<>(List.of("variant"));
        for (Task t : accuracyTasks) header.add(t.name() + " (n=" + t.length() + ")");
        if (!accuracyTasks.isEmpty()) header.add("average");
        for (Task t : bpcTasks) header.add(t.name() + " (n=" + t.length() + ", bpc)");
        List<Boolean> numeric = new ArrayList<>(List.of(false));
        while (numeric.size() < header.size()) numeric.add(true);
        Map<Line, Double> averages = new LinkedHashMap<>();
        List<List<String>> table = new ArrayList<>();
        int seeds = 1;
        for (Line line : lines) {
            List<String> cells = new ArrayList<>(List.of(set.label(line)));
            double sum = 0;
            boolean all = true;
            for (Task t : accuracyTasks) {
                Cell c = cell(rows, line, t, t.length(), metric(t));
                seeds = Math.max(seeds, c.seeds());
                cells.add(c.show(Fmt::percent));
                if (c.mean() == null) all = false;
                else sum += c.mean();
            }
            if (!accuracyTasks.isEmpty()) {
                cells.add(all ? Fmt.percent(sum / accuracyTasks.size()) : Fmt.NONE);
                if (all) averages.put(line, sum / accuracyTasks.size());
            }
            for (Task t : bpcTasks) {
                Cell c = cell(rows, line, t, t.length(), metric(t));
                seeds = Math.max(seeds, c.seeds());
                cells.add(c.show(BPC));
            }
            table.add(cells);
        }
        List<String> notes = new ArrayList<>();
        notes.add("Test accuracy in percent (higher is better)" + (seeds > 1 ? ", the mean over seeds (up to " + seeds + ")" : "")
                + "; each task at the longest length it was trained at. Average: the mean over the accuracy tasks; – where"
                + " a task has no accuracy for the variant.");
        if (!bpcTasks.isEmpty()) {
            notes.add("bpc: bits per character on held-out text (lower is better), not part of the average.");
        }
        notes.addAll(setups(rows, tasks));
        out.add(new Block.Table("accuracy-" + set.id(), "Test accuracy per task (" + set.title() + ")", prov.caption(), header,
                numeric, table, notes));

        // Accuracy against n, per task: a table and a chart where a task was trained at more than one length.
        for (Task t : tasks) {
            List<ResultRow> own = rows.stream().filter(t::covers).toList();
            TreeSet<Long> lengths = own.stream().map(ResultRow::length).collect(Collectors.toCollection(TreeSet::new));
            if (lengths.size() < 2) continue;
            Provenance taskProv = Provenance.of(own);
            Function<Double, String> fmt = t.bitsPerChar() ? BPC : Fmt::percent;
            List<String> h = new ArrayList<>(List.of("variant"));
            List<Boolean> num = new ArrayList<>(List.of(false));
            lengths.forEach(n -> {
                h.add("n=" + n);
                num.add(true);
            });
            List<List<String>> byN = new ArrayList<>();
            List<ChartSpec.Series> series = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (Line line : lines) {
                List<String> cells = new ArrayList<>(List.of(set.label(line)));
                List<ChartSpec.Point> points = new ArrayList<>();
                TreeMap<Long, String> notMeasured = new TreeMap<>();
                for (long n : lengths) {
                    Cell c = cell(own, line, t, n, metric(t));
                    cells.add(c.show(fmt));
                    if (c.mean() != null) points.add(ChartSpec.Point.measured(n, t.bitsPerChar() ? c.mean() : 100 * c.mean()));
                    else if (c.status() != null) {
                        points.add(ChartSpec.Point.missing(n, Charts.status(c.status())));
                        notMeasured.put(n, c.status());
                    }
                }
                byN.add(cells);
                if (!points.isEmpty()) series.add(new ChartSpec.Series(set.label(line), set.label(line), set.style(line), points));
                if (!notMeasured.isEmpty()) missing.add(set.label(line) + " at " + Charts.missing(notMeasured));
            }
            String what = t.bitsPerChar() ? "Test bits per character" : "Test accuracy (%)";
            out.add(new Block.Table("accuracy-" + set.id() + "-" + t.id(), what + " versus n: " + t.name() + " (" + set.title() + ")",
                    taskProv.caption(), h, num, byN, setups(own, List.of(t))));
            List<String> chartNotes = new ArrayList<>(setups(own, List.of(t)));
            if (!missing.isEmpty()) chartNotes.add(Charts.MARKS + " Not measured: " + String.join("; ", missing) + ".");
            out.add(new Block.Figure(new ChartSpec("accuracy-" + set.id() + "-" + t.id(), ChartSpec.Kind.LINES,
                    what + " versus n: " + t.name() + ", " + set.title(), "sequence length n (tokens, log scale)",
                    t.bitsPerChar() ? "test bits per character (lower is better)" : "test accuracy (%)", true, false, series,
                    chartNotes, taskProv.chartCaption())));
        }

        if (!averages.isEmpty()) out.add(new Block.Figure(bubbles(set, rows, accuracyTasks, averages, prov)));
    }

    /** The tasks in the rows, each at its longest length, split by mode only where some variant ran a task in two. */
    static List<Task> tasks(List<ResultRow> rows) {
        Map<String, Set<String>> modes = new TreeMap<>();
        Map<String, Set<String>> modesOfLine = new TreeMap<>();
        for (ResultRow r : rows) {
            modes.computeIfAbsent(r.task(), k -> new TreeSet<>()).add(r.mode());
            modesOfLine.computeIfAbsent(r.task() + "\n" + Line.of(r), k -> new TreeSet<>()).add(r.mode());
        }
        List<Task> tasks = new ArrayList<>();
        // Accuracy tasks first (the average follows them), then those scored in bits per character.
        modes.forEach((task, ms) -> {
            boolean split = modesOfLine.entrySet().stream().anyMatch(e -> e.getKey().startsWith(task + "\n") && e.getValue().size() > 1);
            for (String mode : split ? ms : Set.of("")) {
                Task probe = new Task(task, mode, 0, false, "");
                List<ResultRow> own = rows.stream().filter(probe::covers).toList();
                long n = own.stream().mapToLong(ResultRow::length).max().orElseThrow();
                boolean bpc = own.stream().noneMatch(r -> r.testAccuracy() != null) && own.stream().anyMatch(r -> r.testBitsPerChar() != null);
                tasks.add(new Task(task, mode, n, bpc, split ? task + " " + mode : task));
            }
        });
        tasks.sort(java.util.Comparator.comparing(Task::bitsPerChar));
        return tasks;
    }

    private static Function<ResultRow, Double> metric(Task t) {
        return t.bitsPerChar() ? ResultRow::testBitsPerChar : ResultRow::testAccuracy;
    }

    private static Cell cell(List<ResultRow> rows, Line line, Task t, long n, Function<ResultRow, Double> figure) {
        double sum = 0;
        int count = 0;
        String status = null;
        for (ResultRow r : rows) {
            if (!Line.of(r).equals(line) || !t.covers(r) || r.length() != n) continue;
            Double v = figure.apply(r);
            if (r.ok() && v != null) {
                sum += v;
                count++;
            } else if (!r.ok()) {
                status = r.status();
            }
        }
        return count > 0 ? new Cell(sum / count, count, null) : new Cell(null, 0, status);
    }

    private static List<String> setups(List<ResultRow> rows, List<Task> tasks) {
        List<String> notes = new ArrayList<>();
        for (Task t : tasks) {
            Set<String> setups = new LinkedHashSet<>();
            for (ResultRow r : rows) {
                if (t.covers(r) && !r.setup().isEmpty()) setups.add(r.setup());
            }
            if (!setups.isEmpty()) notes.add("Setup of " + t.name() + ": " + String.join("; ", setups) + ".");
            Map<String, Set<String>> variantsByMode = new TreeMap<>();
            for (ResultRow r : rows) if (t.covers(r)) variantsByMode.computeIfAbsent(r.mode(), k -> new TreeSet<>()).add(r.variant());
            if (t.mode().isEmpty() && variantsByMode.size() > 1) {
                notes.add("Modes of " + t.name() + ": " + variantsByMode.entrySet().stream()
                        .map(e -> e.getKey() + " for " + String.join(", ", e.getValue())).collect(Collectors.joining("; ")) + ".");
            }
        }
        return notes;
    }

    /**
     * Average accuracy against training speed, bubble area for memory. Speed is dense attention's median step time
     * over the variant's (geometric mean over the tasks), or steps per second where dense attention was not trained.
     */
    private static ChartSpec bubbles(ResultSet set, List<ResultRow> rows, List<Task> tasks, Map<Line, Double> averages, Provenance prov) {
        Line dense = new Line(Report.DENSE, set.mainBackend(), false);
        Map<Task, Double> denseMs = new LinkedHashMap<>();
        for (Task t : tasks) {
            Cell c = cell(rows, dense, t, t.length(), ResultRow::timeMedianMs);
            if (c.mean() != null) denseMs.put(t, c.mean());
        }
        boolean relative = denseMs.size() == tasks.size();
        List<String> notDrawn = new ArrayList<>();
        Map<Line, double[]> points = new LinkedHashMap<>(); // x, y, memory bytes (0 where not counted)
        averages.forEach((line, average) -> {
            double logSpeed = 0, memory = 0;
            boolean timed = true, counted = true;
            for (Task t : tasks) {
                Cell ms = cell(rows, line, t, t.length(), ResultRow::timeMedianMs);
                Cell bytes = cell(rows, line, t, t.length(), r -> r.peakLiveBytes() == null ? null : r.peakLiveBytes().doubleValue());
                if (ms.mean() == null) timed = false;
                else logSpeed += Math.log(relative ? denseMs.get(t) / ms.mean() : 1000 / ms.mean()) / tasks.size();
                if (bytes.mean() == null) counted = false;
                else memory += bytes.mean() / tasks.size();
            }
            if (!timed) notDrawn.add(set.label(line) + " (no step time for every task)");
            else points.put(line, new double[] {Math.exp(logSpeed), 100 * average, counted ? memory : 0});
        });
        boolean sized = points.values().stream().allMatch(p -> p[2] > 0);
        List<ChartSpec.Series> series = new ArrayList<>();
        points.forEach((line, p) -> series.add(new ChartSpec.Series(
                set.label(line) + ": " + Fmt.f("%.1f", p[1]) + "%, " + (relative ? Fmt.ratio(p[0]) : Fmt.sig3(p[0]) + " steps/s")
                        + (sized ? ", " + Fmt.mib(p[2]) + " MiB" : ""),
                set.label(line), set.style(line), List.of(new ChartSpec.Point(p[0], p[1], ChartSpec.Status.MEASURED, sized ? p[2] / Fmt.MIB : 1)))));
        String taskList = tasks.stream().map(t -> t.name() + " n=" + t.length()).collect(Collectors.joining(", "));
        List<String> notes = new ArrayList<>();
        notes.add("y: average test accuracy over " + taskList + ". x: " + (relative
                ? "training speed relative to dense attention (its median step time over the variant's; geometric mean over the tasks)."
                : "training steps per second (geometric mean over the tasks; dense attention was not trained on every task)."));
        notes.add(sized ? "Bubble area: exact peak live tensor memory of one training step (MiB, mean over the tasks)."
                : "Bubbles are of equal size: the results do not count the memory of every variant's training step.");
        if (!notDrawn.isEmpty()) notes.add("Not drawn: " + String.join(", ", notDrawn) + ".");
        return new ChartSpec("accuracy-speed-" + set.id(), ChartSpec.Kind.BUBBLES, "Accuracy versus training speed: " + set.title(),
                relative ? "training speed relative to dense attention (x, log scale)" : "training steps per second (log scale)",
                "average test accuracy (%)", true, false, series, notes, prov.chartCaption());
    }
}
