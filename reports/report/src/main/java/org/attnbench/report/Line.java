package org.attnbench.report;

import java.util.Comparator;

import org.attnbench.results.ResultRow;

/**
 * One line of a table or one curve of a chart: a variant on a backend. A peer framework's row (implementation_of
 * set, e.g. backend torch-cpu) is a line of its own, named by the variant it mirrors. Lines sort with our backends
 * before peers, dense attention first (the reference the others are read against), then by name.
 */
record Line(String variant, String backend, boolean peer) implements Comparable<Line> {
    private static final Comparator<Line> ORDER = Comparator.comparing(Line::peer)
            .thenComparing(l -> !l.variant().equals(Report.DENSE)).thenComparing(Line::variant).thenComparing(Line::backend);

    static Line of(ResultRow r) {
        boolean peer = !r.implementationOf().isEmpty();
        return new Line(peer ? r.implementationOf() : r.variant(), r.backend(), peer);
    }

    /** The name a reader sees: the variant, and its backend where it is not the panel's main one. */
    String label(String mainBackend) {
        return backend.equals(mainBackend) ? variant : variant + " (" + backend + ")";
    }

    @Override
    public int compareTo(Line o) {
        return ORDER.compare(this, o);
    }
}
