package org.attnbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Pooling runs of one plan: samples pooled, forks kept apart. */
class PoolingTest {
    private static ResultRow run(long forks, List<Double> samples, List<Double> forkMedians) {
        return Rows.attention("dense", 256).set(Column.STATUS, "ok").timesMs(samples).set(Column.FORKS, forks)
                .set(Column.FORK_MEDIANS_MS, forkMedians).build();
    }

    @Test
    void aRowOfOneForkHasItsSamplesMedianAsItsForkMedian() {
        assertEquals(List.of(2.5), run(1, List.of(2.0, 2.5, 9.0), null).forkMediansMs());
        assertEquals(List.of(), Rows.ok("dense", 256).forkMediansMs(), "forks unknown: no fork medians");
        assertEquals(List.of(), run(2, List.of(2.0, 3.0), null).forkMediansMs(), "two forks, their medians not recorded");
    }

    @Test
    void poolingKeepsEveryRunsForksApart() {
        ResultRow pooled = Pooling.pool(List.of(List.of(run(1, List.of(1.0, 2.0, 3.0), null)),
                List.of(run(2, List.of(5.0, 6.0, 7.0, 8.0), List.of(5.5, 7.5))))).get(0);
        assertEquals(List.of(1.0, 2.0, 3.0, 5.0, 6.0, 7.0, 8.0), pooled.samplesMs());
        assertEquals(5.0, pooled.timeMedianMs());
        assertEquals(3L, pooled.integer(Column.FORKS));
        assertEquals(List.of(2.0, 5.5, 7.5), pooled.forkMediansMs());
    }

    @Test
    void forksNotKnownInSomeRunLeaveThePoolWithoutForkMedians() {
        ResultRow unknown = Rows.ok("dense", 256);
        ResultRow pooled = Pooling.pool(List.of(List.of(run(1, List.of(1.0), null)), List.of(unknown))).get(0);
        assertNull(pooled.integer(Column.FORKS));
        assertTrue(pooled.forkMediansMs().isEmpty());
    }

    @Test
    void forkMediansMustMatchTheForks() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(3, List.of(1.0, 2.0), List.of(1.0, 2.0)));
        assertEquals("forks is 3 but fork_medians_ms holds 2", e.getMessage());
    }
}
