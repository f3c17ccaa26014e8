package dev.outlayer.bench.simulations.support;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleSupplier;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * Bounds on numbers Gatling's assertions cannot compute (a sustained rate, a total time, a ratio). Each
 * verdict is one {@code GET /health} in a scenario that runs after the load ({@code andThen}); its check
 * passes only when the computed value is within bounds, and otherwise fails with a message naming the
 * value and the bounds. {@link #assertions()} makes each verdict a Gatling assertion, so a verdict out of
 * bounds fails the run like any other assertion.
 */
public final class Verdicts {
    private final List<Verdict> verdicts = new ArrayList<>();

    private record Verdict(String name, DoubleSupplier value, double min, double max, String unit) {
        String requestName() {
            return "verdict: " + name;
        }

        /** "ok" when within bounds, else why not. */
        String judge() {
            double actual = value.getAsDouble();
            boolean ok = actual >= min && actual <= max;
            String line = Double.isNaN(actual)
                    ? String.format(Locale.ROOT, "%s could not be measured (see the clients' summary lines), expected [%.3f, %.3f] %s",
                    name, min, max, unit)
                    : String.format(Locale.ROOT, "%s = %.3f %s, expected [%.3f, %.3f]", name, actual, unit, min, max);
            System.out.println((ok ? "VERDICT OK   " : "VERDICT FAIL ") + line);
            return ok ? "ok" : line;
        }
    }

    /** {@code value} must lie in [min, max]. */
    public Verdicts between(String name, DoubleSupplier value, double min, double max, String unit) {
        verdicts.add(new Verdict(name, value, min, max, unit));
        return this;
    }

    /** {@code value} must not exceed {@code max}. */
    public Verdicts atMost(String name, DoubleSupplier value, double max, String unit) {
        return between(name, value, Double.NEGATIVE_INFINITY, max, unit);
    }

    /** {@code value} must be {@code expected} within a relative {@code tolerance} (0.10 for 10%). */
    public Verdicts near(String name, DoubleSupplier value, double expected, double tolerance, String unit) {
        return between(name, value, expected * (1 - tolerance), expected * (1 + tolerance), unit);
    }

    /** One virtual user that asks each verdict once; chain it after the load with {@code andThen}. */
    public PopulationBuilder population() {
        List<ChainBuilder> steps = new ArrayList<>();
        for (Verdict verdict : verdicts) {
            steps.add(exec(http(verdict.requestName()).get(Target.coordinatorUrl() + "/health")
                    .check(status().is(200), bodyString().transform(ignored -> verdict.judge()).is("ok"))));
        }
        return scenario("verdicts").exec(steps).injectOpen(atOnceUsers(1));
    }

    /** Each verdict must have run once and held. */
    public Assertion[] assertions() {
        return verdicts.stream()
                .map(verdict -> details(verdict.requestName()).successfulRequests().count().is(1L))
                .toArray(Assertion[]::new);
    }
}
