package org.attnbench.datasets;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * ListOps (Nangia and Bowman 2018, "ListOps: A Diagnostic Dataset for Latent Tree Learning") with the generator rules
 * of Long Range Arena (Tay et al. 2021, "Long Range Arena: A Benchmark for Efficient Transformers"): operators MIN,
 * MAX, MED and SM (sum mod 10) over digits 0-9; the answer, the expression's value, is one of 10 classes.
 *
 * <p>Trees are drawn as LRA's generator draws them: a node at depth d (the root at 1) below {@code depth} becomes an
 * operator with probability 0.25, otherwise, and always at {@code depth}, a uniform digit; an operator takes a
 * uniform 2..{@code args} arguments. MED of an even count is LRA's int(np.median): the mean of the two middle values
 * rounded down. Tokens: a digit is its own id 0-9, then "[MIN" 10, "[MAX" 11, "[MED" 12, "[SM" 13, "]" 14 and PAD 15.
 * LRA's parentheses are left out: one token per opener, digit and closer. A tree is kept when its token count L fits,
 * L <= n, and is not short, 4L > n (LRA keeps 500 < L < 2000 for n = 2000); otherwise the example's stream draws
 * again. The tokens are padded with PAD to n at the end.
 *
 * <p>chance is the share of the most frequent answer in the test split, the best input-blind constant guess (MIN and
 * MAX skew the answers, so it is above 0.1).
 *
 * <p>Options: depth (default 10, as LRA), args (default 10, as LRA), test examples (default 256). Needs n >= 4, the
 * shortest operator tree ("[MAX 3 7 ]").
 */
public final class ListOps extends GeneratedTask {
    static final List<String> OPTIONS = List.of("depth", "args", "test");

    public static final int MIN = 10, MAX = 11, MED = 12, SUM_MOD = 13, END = 14, PAD = 15;
    private static final String[] OPERATOR_NAMES = {"[MIN", "[MAX", "[MED", "[SM"};
    private static final double OPERATOR_P = 0.25;
    /** Draws before giving up: LRA's trees rarely grow past ~16k tokens at depth 10, so longer lengths need more depth. */
    private static final int MAX_ATTEMPTS = 1_000_000;

    final int depth;
    final int args;
    private volatile double chance = Double.NaN;

    ListOps(Spec spec, int n, long seed) {
        super(spec, n, seed);
        depth = spec.integer("depth", 10, 2);
        args = spec.integer("args", 10, 2);
        if (n < 4) {
            throw new TaskException("listops: length " + n + " cannot hold the shortest expression, [MAX 3 7 ] (needs at least 4)");
        }
    }

    @Override
    Example generate(SplittableRandom r) {
        int n = length();
        int[] tokens = new int[n];
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            int[] end = {0};
            int value = tree(r, 1, tokens, end);
            if (value >= 0 && 4L * end[0] > n) {
                Arrays.fill(tokens, end[0], n, PAD);
                return new Example(tokens, new int[] {value});
            }
        }
        throw new TaskException("listops: no tree of depth " + depth + " and " + args + " args had between " + (n / 4 + 1)
                + " and " + n + " tokens in " + MAX_ATTEMPTS + " draws; raise depth or args, or lower the length");
    }

    /** Writes one subtree at tokens[at[0]...] and returns its value, or -1 as soon as it outgrows the length. */
    private int tree(SplittableRandom r, int level, int[] tokens, int[] at) {
        if (at[0] >= tokens.length) {
            return -1;
        }
        if (level >= depth || r.nextDouble() >= OPERATOR_P) {
            int digit = r.nextInt(10);
            tokens[at[0]++] = digit;
            return digit;
        }
        int operator = MIN + r.nextInt(4);
        int count = 2 + r.nextInt(args - 1);
        tokens[at[0]++] = operator;
        int[] arguments = new int[count];
        for (int i = 0; i < count; i++) {
            arguments[i] = tree(r, level + 1, tokens, at);
            if (arguments[i] < 0) {
                return -1;
            }
        }
        if (at[0] >= tokens.length) {
            return -1;
        }
        tokens[at[0]++] = END;
        return apply(operator, arguments, count);
    }

    static int apply(int operator, int[] arguments, int count) {
        int[] a = Arrays.copyOf(arguments, count);
        return switch (operator) {
            case MIN -> Arrays.stream(a).min().orElseThrow();
            case MAX -> Arrays.stream(a).max().orElseThrow();
            case SUM_MOD -> Arrays.stream(a).sum() % 10;
            case MED -> {
                Arrays.sort(a);
                // numpy's median of an even count is the mean of the middle two; LRA truncates it with int().
                yield count % 2 == 1 ? a[count / 2] : (a[count / 2 - 1] + a[count / 2]) / 2;
            }
            default -> throw new IllegalArgumentException("not an operator: " + operator);
        };
    }

    /**
     * The value of a token sequence (trailing PAD allowed). Throws IllegalArgumentException if it is not one
     * well-formed expression.
     */
    public static int evaluate(int[] tokens) {
        ArrayDeque<int[]> operators = new ArrayDeque<>(); // {operator, count}
        ArrayDeque<List<Integer>> arguments = new ArrayDeque<>();
        Integer result = null;
        int i = 0;
        for (; i < tokens.length && tokens[i] != PAD; i++) {
            int t = tokens[i];
            if (result != null) {
                throw new IllegalArgumentException("token " + i + " follows a complete expression");
            }
            if (t >= 0 && t <= 9) {
                if (arguments.isEmpty()) {
                    result = t;
                } else {
                    arguments.peek().add(t);
                }
            } else if (t >= MIN && t <= SUM_MOD) {
                operators.push(new int[] {t});
                arguments.push(new ArrayList<>());
            } else if (t == END) {
                if (operators.isEmpty()) {
                    throw new IllegalArgumentException("token " + i + ": ']' without an operator");
                }
                List<Integer> args = arguments.pop();
                if (args.isEmpty()) {
                    throw new IllegalArgumentException("token " + i + ": operator without arguments");
                }
                int value = apply(operators.pop()[0], args.stream().mapToInt(Integer::intValue).toArray(), args.size());
                if (arguments.isEmpty()) {
                    result = value;
                } else {
                    arguments.peek().add(value);
                }
            } else {
                throw new IllegalArgumentException("token " + i + ": not a ListOps token: " + t);
            }
        }
        for (; i < tokens.length; i++) {
            if (tokens[i] != PAD) {
                throw new IllegalArgumentException("token " + i + " follows the padding");
            }
        }
        if (result == null) {
            throw new IllegalArgumentException("incomplete expression");
        }
        return result;
    }

    /** The value of a written expression such as "[MAX 2 9 [MIN 4 7 ] 0 ]" (a "]" may touch the token before it). */
    public static int evaluate(String expression) {
        return evaluate(tokenize(expression));
    }

    /** Token ids of a written expression: digits, "[MIN", "[MAX", "[MED", "[SM" and "]". */
    public static int[] tokenize(String expression) {
        String[] words = expression.replace("]", " ] ").strip().split("\\s+");
        int[] tokens = new int[words.length];
        for (int i = 0; i < words.length; i++) {
            String w = words[i];
            int op = Arrays.asList(OPERATOR_NAMES).indexOf(w);
            if (op >= 0) {
                tokens[i] = MIN + op;
            } else if (w.equals("]")) {
                tokens[i] = END;
            } else if (w.length() == 1 && Character.isDigit(w.charAt(0))) {
                tokens[i] = w.charAt(0) - '0';
            } else {
                throw new IllegalArgumentException("not a ListOps token: '" + w + "'");
            }
        }
        return tokens;
    }

    @Override public Kind kind() { return Kind.SEQUENCE; }
    @Override public Metric metric() { return Metric.ACCURACY; }
    @Override public boolean requiresCausal() { return false; }
    @Override public int vocabulary() { return 16; }
    @Override public int classes() { return 10; }

    @Override
    public double chance() {
        if (Double.isNaN(chance)) {
            int[] counts = new int[10];
            for (int i = 0; i < testSize(); i++) {
                counts[test(i).targets()[0]]++;
            }
            chance = (double) Arrays.stream(counts).max().orElseThrow() / testSize();
        }
        return chance;
    }
}
