package dev.outlayer.bench.reports.suite;

import dev.outlayer.bench.results.names.SimulationName;
import java.util.ArrayList;
import java.util.List;

/**
 * The suite's fixed order: the spec's scenarios as the README lists them (throttling first, then the
 * contracts, the stress tests and the capacity knee, memory last, since it loads contracts), then any
 * simulation named in
 * {@link SimulationName} but not placed here, in that enum's order. Each simulation's typical wall time
 * on a 2-core machine (Maven, the Gatling JVM and the target's JVM included) seeds the remaining-time
 * estimate until the suite has timed a run of its own.
 */
final class SuiteOrder {

    /** A simulation and its typical wall time in seconds, full form and CI form. */
    record Entry(String simulation, int fullSeconds, int ciSeconds) {
        int seconds(boolean ci) {
            return ci ? ciSeconds : fullSeconds;
        }
    }

    /** For a simulation this table does not know yet. */
    static final int UNKNOWN_FULL_SECONDS = 120;

    static final int UNKNOWN_CI_SECONDS = 60;

    // The CI form's seconds: each run's wall time (Gatling's start, the target's, the load, the reports) in
    // two fresh-clone CI runs of 2026-12-07 on a 2-core machine, the larger plus about 10%.
    private static final List<Entry> PLACED = List.of(
            new Entry("ThrottleBurstSimulation", 50, 25),
            new Entry("RateLimitEnforcementSimulation", 45, 20),
            new Entry("ApiKeyTierSimulation", 55, 30),
            new Entry("ThrottleOverheadSimulation", 45, 15),
            new Entry("BurstCapacitySimulation", 85, 25),
            new Entry("CounterSimulation", 60, 30),
            new Entry("NftMintSimulation", 45, 22),
            new Entry("TransactionSimulation", 60, 15),
            new Entry("SecretsSimulation", 50, 20),
            new Entry("ExecutionModeSimulation", 50, 30),
            new Entry("SustainedLoadSimulation", 110, 30),
            // Closed and open models of 60 s each (CI: 5 s), then 10 capacity steps of 20 s (CI: 4 of 3 s).
            new Entry("ExecutionLifecycleSimulation", 420, 40),
            // OutLayer's HTTPS API with payment keys: a closed phase, then an open one of sync and async calls.
            new Entry("HttpsCallSimulation", 170, 25),
            // Five hot paths, each 20 steps of 20 s (CI: 3 of 2 s) after a warm-up: the plan runs to its end.
            new Entry("CapacitySimulation", 2_550, 50),
            new Entry("MemoryProfileSimulation", 80, 25));

    /**
     * Simulations the suite runs only when named ({@code --simulations}): not yet placed, until their CI form's
     * time is known. None at present.
     */
    static final List<Entry> WHEN_NAMED = List.of();

    private SuiteOrder() {}

    /** The default suite: every simulation but those run only {@link #WHEN_NAMED}. */
    static List<Entry> all() {
        return known().stream().filter(e -> !WHEN_NAMED.contains(e)).toList();
    }

    /** Every simulation the suite can run: the placed ones, those run when named, then the rest. */
    private static List<Entry> known() {
        List<Entry> all = new ArrayList<>(PLACED);
        all.addAll(WHEN_NAMED);
        for (SimulationName name : SimulationName.values()) {
            if (all.stream().noneMatch(e -> e.simulation().equals(name.className()))) {
                all.add(new Entry(name.className(), UNKNOWN_FULL_SECONDS, UNKNOWN_CI_SECONDS));
            }
        }
        return all;
    }

    /** The entries of {@code simulations} in the suite's order; an unknown name is an error. */
    static List<Entry> of(List<String> simulations) {
        List<Entry> all = known();
        for (String simulation : simulations) {
            if (all.stream().noneMatch(e -> e.simulation().equals(simulation))) {
                throw new IllegalArgumentException("no simulation " + simulation + "; known: "
                        + all.stream().map(Entry::simulation).toList());
            }
        }
        return all.stream().filter(e -> simulations.contains(e.simulation())).toList();
    }
}
