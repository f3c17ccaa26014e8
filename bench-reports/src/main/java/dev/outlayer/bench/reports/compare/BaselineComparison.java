package dev.outlayer.bench.reports.compare;

import dev.outlayer.bench.reports.results.ResultsFinder;
import dev.outlayer.bench.results.MetricResult;
import dev.outlayer.bench.results.RunResults;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compares the newest run of each simulation with a baseline: a metric regressed when its p95
 * grew, or its throughput fell, by more than the threshold. Tiny absolute p95 changes (below
 * {@code minDeltaMs}) are noise on microsecond phases and never count.
 */
public record BaselineComparison(double thresholdPercent, double minDeltaMs) {

    public static final String P95 = "p95_ms";
    public static final String THROUGHPUT = "throughput_rps";

    public List<MetricChange> compare(List<RunResults> baseline, List<RunResults> current) {
        Map<String, RunResults> before = ResultsFinder.latestPerSimulation(baseline);
        Map<String, RunResults> after = ResultsFinder.latestPerSimulation(current);
        List<MetricChange> changes = new ArrayList<>();
        after.forEach((simulation, run) -> {
            RunResults base = before.get(simulation);
            if (base == null) {
                return;
            }
            for (MetricResult now : run.metrics()) {
                Optional<MetricResult> then = base.metric(now.id());
                if (then.isEmpty() || then.get().count() == 0 || now.count() == 0) {
                    continue;
                }
                changes.add(p95(simulation, then.get(), now));
                throughput(simulation, then.get(), now).ifPresent(changes::add);
            }
        });
        return changes;
    }

    public static List<MetricChange> regressions(List<MetricChange> changes) {
        return changes.stream().filter(MetricChange::regressed).toList();
    }

    private MetricChange p95(String simulation, MetricResult then, MetricResult now) {
        double change = percent(then.p95Ms(), now.p95Ms());
        boolean regressed = change > thresholdPercent && now.p95Ms() - then.p95Ms() >= minDeltaMs;
        return new MetricChange(simulation, now.id(), P95, then.p95Ms(), now.p95Ms(), change, regressed);
    }

    private Optional<MetricChange> throughput(String simulation, MetricResult then, MetricResult now) {
        if (then.throughputRps() == null || now.throughputRps() == null) {
            return Optional.empty();
        }
        double change = percent(then.throughputRps(), now.throughputRps());
        return Optional.of(new MetricChange(
                simulation,
                now.id(),
                THROUGHPUT,
                then.throughputRps(),
                now.throughputRps(),
                change,
                change < -thresholdPercent));
    }

    private static double percent(double before, double after) {
        if (before == 0) {
            return after == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        return (after - before) / before * 100.0;
    }
}
