package dev.outlayer.bench.reports.compare;

import dev.outlayer.bench.reports.compare.MetricChange.Spread;
import dev.outlayer.bench.reports.results.CollectedRun;
import dev.outlayer.bench.reports.results.RunSet;
import dev.outlayer.bench.reports.results.RunSets;
import dev.outlayer.bench.results.MetricResult;
import dev.outlayer.bench.results.RunResults;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Compares the current run set (the newest suite, else the newest lone runs) with the baseline's
 * newest set of the same form, simulation by simulation and metric by metric, over the runs whose
 * assertions did not fail. A metric regressed when the median of its p95 over the runs grew by more
 * than the threshold (and by at least {@code minDeltaMs}, so microsecond phases do not flap) and
 * the two sides' ranges do not overlap (every current run is worse than every baseline run); or the
 * same for a throughput that fell. With one run per side this is the plain comparison of two runs.
 */
public record BaselineComparison(double thresholdPercent, double minDeltaMs) {

    public static final String P95 = "p95_ms";
    public static final String THROUGHPUT = "throughput_rps";

    public List<MetricChange> compare(List<RunResults> baseline, List<RunResults> current) {
        Optional<RunSet> now = RunSets.selectResults(current);
        if (now.isEmpty()) {
            return List.of();
        }
        Optional<RunSet> before = RunSets.selectResults(baseline, now.get().form());
        if (before.isEmpty()) {
            return List.of();
        }
        List<MetricChange> changes = new ArrayList<>();
        Set<String> simulations = new LinkedHashSet<>();
        now.get().runs().forEach(r -> simulations.add(r.simulation()));
        for (String simulation : simulations) {
            List<RunResults> after = passing(now.get(), simulation);
            List<RunResults> base = passing(before.get(), simulation);
            if (after.isEmpty() || base.isEmpty()) {
                continue;
            }
            Set<String> metrics = new LinkedHashSet<>();
            after.forEach(r -> r.metrics().forEach(m -> metrics.add(m.id())));
            for (String metric : metrics) {
                Optional<Spread> p95Now = spread(after, metric, MetricResult::p95Ms);
                Optional<Spread> p95Then = spread(base, metric, MetricResult::p95Ms);
                if (p95Now.isEmpty() || p95Then.isEmpty()) {
                    continue;
                }
                changes.add(p95(simulation, metric, p95Then.get(), p95Now.get()));
                Optional<Spread> rateNow = spread(after, metric, MetricResult::throughputRps);
                Optional<Spread> rateThen = spread(base, metric, MetricResult::throughputRps);
                if (rateNow.isPresent() && rateThen.isPresent()) {
                    changes.add(throughput(simulation, metric, rateThen.get(), rateNow.get()));
                }
            }
        }
        return changes;
    }

    public static List<MetricChange> regressions(List<MetricChange> changes) {
        return changes.stream().filter(MetricChange::regressed).toList();
    }

    private MetricChange p95(String simulation, String metric, Spread then, Spread now) {
        double change = percent(then.median(), now.median());
        boolean regressed =
                change > thresholdPercent && now.median() - then.median() >= minDeltaMs && now.min() > then.max();
        return new MetricChange(simulation, metric, P95, then, now, change, regressed);
    }

    private MetricChange throughput(String simulation, String metric, Spread then, Spread now) {
        double change = percent(then.median(), now.median());
        boolean regressed = change < -thresholdPercent && now.max() < then.min();
        return new MetricChange(simulation, metric, THROUGHPUT, then, now, change, regressed);
    }

    private static List<RunResults> passing(RunSet set, String simulation) {
        return set.runsOf(simulation).stream()
                .map(CollectedRun::results)
                .filter(r -> !r.assertions().knownFailed())
                .toList();
    }

    /** The statistic over the runs that have the metric with samples. */
    static Optional<Spread> spread(List<RunResults> runs, String metric, Function<MetricResult, Double> statistic) {
        List<Double> values = runs.stream()
                .map(r -> r.metric(metric))
                .flatMap(Optional::stream)
                .filter(m -> m.count() > 0)
                .map(statistic)
                .filter(v -> v != null && Double.isFinite(v))
                .sorted()
                .toList();
        if (values.isEmpty()) {
            return Optional.empty();
        }
        int n = values.size();
        double median = n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
        return Optional.of(new Spread(median, values.get(0), values.get(n - 1), n));
    }

    private static double percent(double before, double after) {
        if (before == 0) {
            return after == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        return (after - before) / before * 100.0;
    }
}
