package org.attnbench.suites.timing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.attnbench.api.Backend;
import org.attnbench.results.Environment;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Reports the peak resident set of the forked benchmark process after each iteration, as a JMH secondary result,
 * so the process's memory comes back with the timing through JMH itself rather than a side file; on a device backend
 * also its allocator's peaks (bytes in live tensors, bytes held from the device).
 */
public final class PeakMemoryProfiler implements InternalProfiler {
    /** Name of the secondary result. */
    public static final String RESULT = "peak-rss-bytes";
    public static final String DEVICE_LIVE = "device-live-peak-bytes";
    public static final String DEVICE_HELD = "device-peak-bytes";

    @Override
    public String getDescription() {
        return "peak resident set size of the benchmark process (VmHWM)";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {}

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        List<Result> out = new ArrayList<>();
        Long peak = Environment.processPeakResidentBytes();
        if (peak != null) out.add(new ScalarResult(RESULT, peak, "bytes", AggregationPolicy.MAX));
        Backend.DevicePeaks device = TimedCall.devicePeaks();
        if (device != null) {
            out.add(new ScalarResult(DEVICE_LIVE, device.liveBytes(), "bytes", AggregationPolicy.MAX));
            out.add(new ScalarResult(DEVICE_HELD, device.heldBytes(), "bytes", AggregationPolicy.MAX));
        }
        return out;
    }
}
