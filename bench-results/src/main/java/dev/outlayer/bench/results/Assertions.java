package dev.outlayer.bench.results;

import java.util.List;

/**
 * Whether a run's assertions held: Gatling's own (known only from the plugin's exit status, after
 * the simulation's JVM is gone) and the simulation's verdicts. {@code passed} is null when nobody
 * checked Gatling's (a run started by hand, not by the suite runner) and no verdict failed.
 *
 * @param failed   what failed, by name: verdicts, Gatling assertions as Gatling prints them, or why
 *                 the run produced nothing
 * @param checkedBy who judged: {@link #SIMULATION} (its verdicts only) or {@link #SUITE} (exit status too)
 */
public record Assertions(Boolean passed, List<String> failed, String checkedBy) {

    public static final String SIMULATION = "simulation";
    public static final String SUITE = "suite";

    public Assertions {
        failed = failed == null ? List.of() : List.copyOf(failed);
    }

    /** What the simulation knows when it writes results.json: its verdicts, not Gatling's assertions. */
    public static Assertions fromVerdicts(List<VerdictResult> verdicts) {
        List<String> failed = verdicts.stream()
                .filter(v -> !v.passed())
                .map(VerdictResult::name)
                .toList();
        return new Assertions(failed.isEmpty() ? null : false, failed, SIMULATION);
    }

    public boolean knownPassed() {
        return Boolean.TRUE.equals(passed);
    }

    public boolean knownFailed() {
        return Boolean.FALSE.equals(passed);
    }
}
