package dev.outlayer.bench.simulations.support;

import io.gatling.app.Gatling;

/**
 * Gatling's main, with the embedded target system's JVM started first: the suite runner's entry point
 * ({@code reports/suite}). Gatling spends about 2 s starting before it loads a simulation, which is when
 * {@link Target} would otherwise start the target; started here, the two start-ups run side by side and
 * every run begins that much sooner. Nothing is measured before the simulation starts, so the numbers are
 * those of a run started by {@code mvn gatling:test}.
 */
public final class GatlingWithTarget {
    private GatlingWithTarget() {}

    public static void main(String[] args) {
        Target.startAhead();
        Gatling.main(args);
    }
}
