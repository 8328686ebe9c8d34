package org.attnbench.suites.sweep;

import org.attnbench.api.Backend;
import org.attnbench.api.Cost;
import org.attnbench.api.CostMeter;
import org.attnbench.api.Ops;
import org.attnbench.api.Tensor;
import org.attnbench.suites.timing.TimedCall;

/**
 * Counts what one timed call costs (flops, exact peak live bytes) by running it on the shape-only backend:
 * instant at any length, and identical to the count on a real backend (the backend conformance kit checks that).
 */
final class CostProbe {
    private CostProbe() {}

    static Cost count(Measurement m) {
        return count(m, null);
    }

    /**
     * The count for running on target: a kernel target lacks (a fused attention kernel) is refused here with
     * NoKernelException naming it, before any JVM is forked to time it.
     */
    static Cost count(Measurement m, Backend target) {
        Ops ops = target == null ? Ops.shapeOnly(m.dtype()) : Ops.shapeOnly(m.dtype(), target);
        TimedCall call = TimedCall.prepare(ops, m.variant(), m.problem(), m.pass(), 0);
        CostMeter meter = call.ops().startMetering();
        Tensor out = call.call();
        return meter.stop(out);
    }

    static long parameterBytes(Measurement m) {
        return TimedCall.prepare(Ops.shapeOnly(m.dtype()), m.variant(), m.problem(), m.pass(), 0).layer().parameters().bytes();
    }
}
