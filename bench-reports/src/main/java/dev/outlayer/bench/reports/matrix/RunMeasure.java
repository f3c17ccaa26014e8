package dev.outlayer.bench.reports.matrix;

import dev.outlayer.bench.reports.results.CollectedRun;
import dev.outlayer.bench.reports.results.RunSet;
import dev.outlayer.bench.results.MetricAccumulator;
import dev.outlayer.bench.results.MetricResult;
import dev.outlayer.bench.results.MetricResult.Attempt;
import dev.outlayer.bench.results.MetricResult.Source;
import dev.outlayer.bench.results.RunResults;
import dev.outlayer.bench.results.Series;
import dev.outlayer.bench.results.names.RequestName;
import dev.outlayer.bench.results.names.SeriesName;
import dev.outlayer.bench.results.names.SimulationName;
import dev.outlayer.bench.results.names.ValueName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A value taken from each run of one simulation in a set (one per repetition). Requests,
 * values and series are found by the names the simulations record them under
 * ({@link dev.outlayer.bench.results.names.Measured}); several requests are merged exactly before
 * the statistic is taken.
 */
public record RunMeasure(
        SimulationName simulation, String unit, String how, Function<RunResults, OptionalDouble> extract)
        implements Measure {

    /**
     * One value per run of the simulation in the set whose assertions did not fail; runs that failed
     * make the measurement failed. A run that does not yield the value (e.g. it did not record it)
     * adds nothing.
     */
    @Override
    public Optional<Measurement> evaluate(RunSet set) {
        List<CollectedRun> runs = set.runsOf(simulation.className());
        List<CollectedRun> failed = runs.stream()
                .filter(r -> r.results().assertions().knownFailed())
                .toList();
        List<Measurement.Sample> samples = new ArrayList<>();
        int unchecked = 0;
        for (CollectedRun run : runs) {
            if (failed.contains(run)) {
                continue;
            }
            OptionalDouble value = extract.apply(run.results());
            if (value.isPresent() && Double.isFinite(value.getAsDouble())) {
                samples.add(new Measurement.Sample(value.getAsDouble(), run));
                unchecked += run.results().assertions().knownPassed() ? 0 : 1;
            }
        }
        if (samples.isEmpty() && failed.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Measurement(unit, how, samples, failed, unchecked, runs.size()));
    }

    @Override
    public String describe() {
        return simulation.className() + ": " + how;
    }

    /** Client response time (first attempts) of {@code requests}, merged. */
    public static RunMeasure clientLatency(Stat stat, RequestName... requests) {
        return clientLatency(stat, List.of(requests));
    }

    public static RunMeasure clientLatency(Stat stat, List<RequestName> requests) {
        Set<String> names = names(requests);
        return new RunMeasure(
                simulationOf(requests),
                "ms",
                stat.label() + " client response time of " + quoted(requests),
                run -> merged(run, client(names))
                        .map(m -> OptionalDouble.of(stat.of(m)))
                        .orElse(OptionalDouble.empty()));
    }

    /** A Server-Timing phase of {@code requests}, merged (microsecond precision). */
    public static RunMeasure serverPhase(String phase, Stat stat, RequestName... requests) {
        return serverPhase(phase, stat, List.of(requests));
    }

    public static RunMeasure serverPhase(String phase, Stat stat, List<RequestName> requests) {
        Set<String> names = names(requests);
        return new RunMeasure(
                simulationOf(requests),
                "ms",
                stat.label() + " of server phase '" + phase + "' of " + quoted(requests),
                run -> merged(
                                run,
                                m -> m.source() == Source.SERVER
                                        && phase.equals(m.phase())
                                        && names.contains(m.request()))
                        .map(m -> OptionalDouble.of(stat.of(m)))
                        .orElse(OptionalDouble.empty()));
    }

    /** Completed first attempts per second of {@code requests}, merged. */
    public static RunMeasure throughput(String unit, RequestName... requests) {
        List<RequestName> all = List.of(requests);
        Set<String> names = names(all);
        return new RunMeasure(
                simulationOf(all),
                unit,
                "throughput of " + quoted(all),
                run -> merged(run, client(names))
                        .filter(m -> m.throughputRps() != null)
                        .map(m -> OptionalDouble.of(m.throughputRps()))
                        .orElse(OptionalDouble.empty()));
    }

    /** A named value the simulation recorded itself. */
    public static RunMeasure value(ValueName name) {
        return new RunMeasure(
                name.simulation(),
                name.unit(),
                "recorded value '" + name.name() + "'",
                run -> run.value(name.name())
                        .map(v -> OptionalDouble.of(v.value()))
                        .orElse(OptionalDouble.empty()));
    }

    /** Last y minus first y of a recorded series (e.g. heap growth over 1000 executions). */
    public static RunMeasure seriesGrowth(SeriesName name) {
        return new RunMeasure(
                name.simulation(),
                name.unit(),
                "growth of series '" + name.name() + "' (last - first)",
                run -> run.series(name.name())
                        .filter(s -> s.points().size() >= 2)
                        .map(RunMeasure::growth)
                        .orElse(OptionalDouble.empty()));
    }

    /** a / b from the same run, as a multiplier. */
    public static RunMeasure ratio(RunMeasure a, RunMeasure b) {
        requireSameSimulation(a, b);
        return new RunMeasure(a.simulation, "x", "(" + a.how + ") / (" + b.how + ")", run -> {
            OptionalDouble x = a.extract.apply(run);
            OptionalDouble y = b.extract.apply(run);
            return x.isPresent() && y.isPresent() && y.getAsDouble() > 0
                    ? OptionalDouble.of(x.getAsDouble() / y.getAsDouble())
                    : OptionalDouble.empty();
        });
    }

    /** a - b from the same run (e.g. proxied minus direct latency). */
    public static RunMeasure difference(RunMeasure a, RunMeasure b) {
        requireSameSimulation(a, b);
        return new RunMeasure(a.simulation, a.unit, "(" + a.how + ") - (" + b.how + ")", run -> {
            OptionalDouble x = a.extract.apply(run);
            OptionalDouble y = b.extract.apply(run);
            return x.isPresent() && y.isPresent()
                    ? OptionalDouble.of(x.getAsDouble() - y.getAsDouble())
                    : OptionalDouble.empty();
        });
    }

    private static void requireSameSimulation(RunMeasure a, RunMeasure b) {
        if (a.simulation != b.simulation) {
            throw new IllegalArgumentException(
                    "a derived measure needs one simulation: " + a.simulation + ", " + b.simulation);
        }
    }

    /** The one simulation that records {@code requests}: a cell never mixes runs of two simulations. */
    private static SimulationName simulationOf(List<RequestName> requests) {
        Set<SimulationName> simulations =
                requests.stream().map(RequestName::simulation).collect(Collectors.toSet());
        if (simulations.size() != 1) {
            throw new IllegalArgumentException("a measure needs requests of one simulation: " + requests);
        }
        return simulations.iterator().next();
    }

    private static Set<String> names(List<RequestName> requests) {
        return requests.stream().map(RequestName::name).collect(Collectors.toUnmodifiableSet());
    }

    private static String quoted(List<RequestName> requests) {
        return requests.stream().map(r -> "'" + r.name() + "'").collect(Collectors.joining(", "));
    }

    private static OptionalDouble growth(Series series) {
        List<Series.Point> points = series.points();
        return OptionalDouble.of(
                points.get(points.size() - 1).y() - points.get(0).y());
    }

    private static Predicate<MetricResult> client(Set<String> names) {
        return m -> m.source() == Source.CLIENT && m.attempt() == Attempt.FIRST && names.contains(m.request());
    }

    /** The matching metrics of a run merged into one (exact: histograms add up). */
    static Optional<MetricResult> merged(RunResults run, Predicate<MetricResult> filter) {
        List<MetricResult> matching =
                run.metrics().stream().filter(filter).filter(m -> m.count() > 0).toList();
        if (matching.isEmpty()) {
            return Optional.empty();
        }
        if (matching.size() == 1) {
            return Optional.of(matching.get(0));
        }
        MetricAccumulator acc = MetricAccumulator.fromResult(matching.get(0));
        matching.subList(1, matching.size()).forEach(m -> acc.merge(MetricAccumulator.fromResult(m)));
        return Optional.of(acc.toResult());
    }
}
