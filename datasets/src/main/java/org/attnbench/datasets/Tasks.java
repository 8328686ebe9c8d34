package org.attnbench.datasets;

import java.util.List;

/** The task registry: turns a spec such as "mqar(pairs=8)" or "char-lm(path=book.txt)" into a task. */
public final class Tasks {
    private static final List<String> NAMES =
            List.of("mqar", "selective-copy", "noisy-recall", "listops", "byte-classification", "char-lm", "majority");

    private Tasks() {}

    /** Every task name, for error messages and `attnbench list`. */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * The task named by spec at this length, its examples drawn from seed. Throws {@link TaskException} (one line,
     * naming the constraint or listing the known tasks) for an unknown task, an unknown option, a missing file or a
     * length the task cannot make.
     */
    public static Task create(String spec, int length, long seed) {
        Spec parsed = Spec.parse(spec);
        String name = parsed.task();
        if (!NAMES.contains(name)) {
            throw new TaskException("unknown task '" + name + "' (known: " + String.join(", ", NAMES) + ")");
        }
        if (length < 1) {
            throw new TaskException(name + ": length must be >= 1 (got " + length + ")");
        }
        return switch (name) {
            case "mqar" -> { parsed.allow(Mqar.OPTIONS); yield new Mqar(parsed, length, seed); }
            case "selective-copy" -> { parsed.allow(SelectiveCopy.OPTIONS); yield new SelectiveCopy(parsed, length, seed); }
            case "noisy-recall" -> { parsed.allow(NoisyRecall.OPTIONS); yield new NoisyRecall(parsed, length, seed); }
            case "listops" -> { parsed.allow(ListOps.OPTIONS); yield new ListOps(parsed, length, seed); }
            case "byte-classification" -> { parsed.allow(ByteClassification.OPTIONS); yield new ByteClassification(parsed, length, seed); }
            case "char-lm" -> { parsed.allow(CharLm.OPTIONS); yield new CharLm(parsed, length, seed); }
            case "majority" -> { parsed.allow(Majority.OPTIONS); yield new Majority(parsed, length, seed); }
            default -> throw new IllegalStateException(name);
        };
    }
}
