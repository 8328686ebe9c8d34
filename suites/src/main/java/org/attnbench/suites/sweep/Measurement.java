package org.attnbench.suites.sweep;

import org.attnbench.api.DType;
import org.attnbench.api.Problem;
import org.attnbench.suites.timing.Pass;

/**
 * One thing a sweep measures, giving one result row.
 *
 * @param benchmark "attention", "gemm" or "op-overhead"
 * @param variant   the variant (attention), "sgemm-SIZE" (gemm) or "OP:attnbench" / "OP:nd4j" (op-overhead)
 * @param problem   the attention problem; for gemm and op-overhead, length carries the matrix size
 */
public record Measurement(String benchmark, String variant, Problem problem, DType dtype, Pass pass) {

    public String describe() {
        return switch (benchmark) {
            case "attention" -> String.format("%s n=%d %s %s %s", variant, problem.length(), problem.mode().id(), pass.id(), dtype);
            case "gemm" -> String.format("%s %s (the backend's plain matmul)", variant, dtype);
            default -> String.format("op overhead %s on [%d,%d] %s", variant, problem.length(), problem.length(), dtype);
        };
    }
}
