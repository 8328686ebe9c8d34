package org.attnbench.suites.check;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs the conformance kit on one variant through the JUnit Platform launcher, in this JVM, and counts each
 * contract as passed, failed or skipped (a skipped one carries its reason, e.g. a backend that cannot run here).
 */
public final class ConformanceRun {

    /** One contract that did not pass: where it sits ("on backend cpu / gradients ...") and the first line of why. */
    public record Outcome(String contract, String why) {}

    public record Result(int passed, List<Outcome> failed, List<Outcome> skipped) {
        public boolean ok() {
            return failed.isEmpty() && passed > 0;
        }

        public String summary() {
            return passed + " passed, " + failed.size() + " failed, " + skipped.size() + " skipped";
        }
    }

    private ConformanceRun() {}

    /** Runs the kit on the variant spec; progress shows each contract as it finishes. */
    public static Result run(String variantSpec, PrintStream progress) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectClass(SelectedVariantConformance.class))
                .configurationParameter(SelectedVariantConformance.VARIANT, variantSpec)
                .build();
        // Only our listener: a test run this JVM may be inside (a build) must not see these tests.
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build());
        Listener listener = new Listener(progress);
        launcher.execute(request, listener);
        return new Result(listener.passed, listener.failed, listener.skipped);
    }

    private static final class Listener implements TestExecutionListener {
        private final PrintStream progress;
        private TestPlan plan;
        int passed;
        final List<Outcome> failed = new ArrayList<>();
        final List<Outcome> skipped = new ArrayList<>();

        Listener(PrintStream progress) {
            this.progress = progress;
        }

        @Override
        public void testPlanExecutionStarted(TestPlan testPlan) {
            plan = testPlan;
        }

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            skipped.add(new Outcome(path(id), reason));
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (!id.isTest()) {
                // A container that fails (the variant cannot be found or built) fails every contract it would hold.
                if (result.getStatus() == TestExecutionResult.Status.FAILED) failed.add(new Outcome(path(id), why(result)));
                return;
            }
            switch (result.getStatus()) {
                case SUCCESSFUL -> {
                    passed++;
                    progress.println("  passed   " + path(id));
                }
                case ABORTED -> {
                    skipped.add(new Outcome(path(id), why(result)));
                    progress.println("  skipped  " + path(id) + ": " + why(result));
                }
                case FAILED -> {
                    failed.add(new Outcome(path(id), why(result)));
                    progress.println("  FAILED   " + path(id) + ": " + why(result));
                }
            }
        }

        /** The display names below the test class: "dense / on backend cpu / gradients match finite differences". */
        private String path(TestIdentifier id) {
            List<String> names = new ArrayList<>();
            Optional<TestIdentifier> at = Optional.of(id);
            while (at.isPresent() && !at.get().getSource().map(s -> s instanceof org.junit.platform.engine.support.descriptor.ClassSource).orElse(false)) {
                TestIdentifier t = at.get();
                if (t.getParentId().isEmpty()) break; // the engine
                if (!t.getDisplayName().startsWith("conformance(")) names.addFirst(t.getDisplayName());
                at = plan.getParent(t);
            }
            return String.join(" / ", names);
        }

        private static String why(TestExecutionResult r) {
            return r.getThrowable().map(t -> {
                String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
                return m.lines().findFirst().orElse("").strip();
            }).orElse("");
        }
    }
}
