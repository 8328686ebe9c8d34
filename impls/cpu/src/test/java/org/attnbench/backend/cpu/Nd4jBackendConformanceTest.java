package org.attnbench.backend.cpu;

import org.attnbench.tck.BackendConformance;

/** The ND4J backend against the backend kit: every operation, both dtypes, gradients and cost. */
class Nd4jBackendConformanceTest extends BackendConformance {
    @Override
    protected String backendName() {
        return "cpu";
    }
}
