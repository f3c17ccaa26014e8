package dev.outlayer.bench.simulations.support;

import dev.outlayer.bench.results.recorder.Results;
import dev.outlayer.bench.results.recorder.ResultsRecorder;
import io.gatling.javaapi.core.Simulation;

/**
 * What every simulation does around its load: {@code before()} starts the run's recording; {@code after()}
 * prints the parameters and the simulation's own summary ({@link #report()}), writes results.json and
 * results.csv with the {@link #verdicts}, and stops the embedded target system, whatever happened.
 */
public abstract class BenchSimulation extends Simulation {
    /** The simulation's computed checks: its {@code setUp} runs their population last and asserts them. */
    protected final Verdicts verdicts = new Verdicts();

    @Override
    public void before() {
        Results.begin();
    }

    @Override
    public final void after() {
        try {
            System.out.println("Parameters: " + Params.describe());
            try {
                report();
            } catch (RuntimeException e) {
                // A run that lacks a measurement still writes what it has, and its verdicts say what is missing.
                System.out.println("Report incomplete: " + e.getMessage());
            }
            Results.finish(
                    getClass().getSimpleName(),
                    Target.coordinatorUrl(),
                    Target.info(),
                    Params.used(),
                    verdicts.results());
        } finally {
            Target.stop();
        }
    }

    /** The simulation's own console lines and recorded values, before results.json is written. */
    protected void report() {}

    /** What every request of the run showed so far: the one recorder verdicts and summaries read. */
    protected static ResultsRecorder recorded() {
        return Results.recorder();
    }
}
