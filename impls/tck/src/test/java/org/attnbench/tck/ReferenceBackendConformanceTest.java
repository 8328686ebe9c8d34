package org.attnbench.tck;

/** The reference backend must pass the backend kit too: its float64 results are the oracle for the others. */
class ReferenceBackendConformanceTest extends BackendConformance {
    @Override
    protected String backendName() {
        return "reference";
    }
}
