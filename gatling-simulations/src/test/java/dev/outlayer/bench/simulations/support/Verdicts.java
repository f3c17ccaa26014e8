package dev.outlayer.bench.simulations.support;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import dev.outlayer.bench.results.VerdictResult;
import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * Bounds on numbers Gatling's assertions cannot compute (a rate after a burst, a total time, a ratio). After
 * the load, one virtual user judges each verdict inside a Gatling group of its own named with its bounds
 * ({@code verdict: total time in [7, 11] s}) and marks the group failed when the value is out of bounds. A
 * group holds no request: nothing is sent, and nothing counts in the request statistics. {@link #assertions}
 * requires each group to have succeeded once, so a failed verdict fails {@code mvn gatling:test} with an
 * assertion that names it; {@link #results()} goes to results.json. A value that cannot be computed (NaN,
 * or a measurement without samples) fails its verdict, and the console line names what was missing.
 */
public final class Verdicts {
    private final List<Verdict> verdicts = new ArrayList<>();
    private final Map<Verdict, VerdictResult> judged = new ConcurrentHashMap<>();

    private record Verdict(String name, DoubleSupplier value, double min, double max, String unit) {
        String group() {
            String bounds = min == max
                    ? "= " + number(min)
                    : min == Double.NEGATIVE_INFINITY
                            ? "<= " + number(max)
                            : max == Double.POSITIVE_INFINITY
                                    ? ">= " + number(min)
                                    : "in [" + number(min) + ", " + number(max) + "]";
            return ("verdict: " + name + " " + bounds + " " + unit).strip();
        }
    }

    /** {@code value} must lie in [min, max]. */
    public Verdicts between(String name, DoubleSupplier value, double min, double max, String unit) {
        verdicts.add(new Verdict(name, value, min, max, unit));
        return this;
    }

    public Verdicts atMost(String name, DoubleSupplier value, double max, String unit) {
        return between(name, value, Double.NEGATIVE_INFINITY, max, unit);
    }

    public Verdicts atLeast(String name, DoubleSupplier value, double min, String unit) {
        return between(name, value, min, Double.POSITIVE_INFINITY, unit);
    }

    /** {@code value} must be {@code expected} within a relative {@code tolerance} (0.10 for 10%). */
    public Verdicts near(String name, DoubleSupplier value, double expected, double tolerance, String unit) {
        return between(name, value, expected * (1 - tolerance), expected * (1 + tolerance), unit);
    }

    /** One virtual user that judges each verdict once: the last phase of the simulation. */
    public PopulationBuilder population() {
        List<ChainBuilder> steps = new ArrayList<>(List.of(exec(session -> session)));
        for (Verdict verdict : verdicts) {
            steps.add(group(verdict.group())
                    .on(exec(session -> judge(verdict).passed() ? session : session.markAsFailed())));
        }
        return scenario("verdicts").exec(steps).injectOpen(atOnceUsers(1));
    }

    /** Each verdict's group must have run once and held; then {@code more}, Gatling's own. */
    public List<Assertion> assertions(Assertion... more) {
        List<Assertion> assertions = new ArrayList<>();
        verdicts.forEach(verdict -> assertions.add(
                details(verdict.group()).successfulRequests().count().is(1L)));
        assertions.addAll(List.of(more));
        return assertions;
    }

    /** Every verdict with its value and whether it held; one the run did not reach is judged now. */
    public List<VerdictResult> results() {
        return verdicts.stream().map(this::judge).toList();
    }

    private VerdictResult judge(Verdict v) {
        return judged.computeIfAbsent(v, key -> {
            double value;
            String missing = null;
            try {
                value = v.value().getAsDouble();
            } catch (RuntimeException e) {
                // No number (e.g. NoSamplesException: a percentile of nothing): the verdict fails, saying why.
                value = Double.NaN;
                missing = e.getMessage();
            }
            boolean passed = value >= v.min() && value <= v.max(); // false for NaN
            System.out.println((passed ? "VERDICT OK   " : "VERDICT FAIL ") + v.name()
                    + (missing != null
                            ? " could not be measured: " + missing
                            : Double.isNaN(value)
                                    ? " could not be measured (see the summary lines)"
                                    : String.format(Locale.ROOT, " = %.3f %s", value, v.unit())
                                            .stripTrailing())
                    + "; " + v.group());
            return new VerdictResult(
                    v.name(),
                    Double.isNaN(value) ? null : value,
                    v.unit(),
                    Double.isInfinite(v.min()) ? null : v.min(),
                    Double.isInfinite(v.max()) ? null : v.max(),
                    passed);
        });
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.3f", value).replaceAll("\\.?0+$", "");
    }
}
