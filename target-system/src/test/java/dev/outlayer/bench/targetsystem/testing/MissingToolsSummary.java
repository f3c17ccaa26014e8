package dev.outlayer.bench.targetsystem.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints, at the end of the run, which test classes {@link RequiredTools} skipped and why, so the
 * build output says what a green run did not test. Registered through
 * META-INF/services/org.junit.platform.launcher.TestExecutionListener.
 */
public final class MissingToolsSummary implements TestExecutionListener {
    private final Map<String, String> skipped = new LinkedHashMap<>();
    private TestPlan plan;
    private long tests;

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        if (reason.startsWith(RequiredTools.SKIP_REASON)) {
            long count = test.isTest()
                    ? 1
                    : plan.getDescendants(test).stream()
                            .filter(TestIdentifier::isTest)
                            .count();
            tests += count;
            skipped.put(test.getDisplayName() + " (" + tests(count) + ")", reason);
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        if (skipped.isEmpty()) {
            return;
        }
        StringBuilder out = new StringBuilder("\nSkipped " + tests(tests) + " for missing tools" + " (-D"
                + RequiredTools.REQUIRE_PROPERTY + "=true makes a missing tool fail the run):\n");
        skipped.forEach((test, reason) ->
                out.append("  ").append(test).append(": ").append(reason).append('\n'));
        System.out.print(out);
    }

    private static String tests(long count) {
        return count + (count == 1 ? " test" : " tests");
    }
}
