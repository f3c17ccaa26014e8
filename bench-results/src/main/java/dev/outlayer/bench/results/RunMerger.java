package dev.outlayer.bench.results;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Merges the results of several load generators that ran the same simulation: histograms and
 * counters add up (never averages of percentiles), the run spans from the first start to the
 * last end, parameters that differ are kept per source, and each generator's verdicts are kept.
 */
public final class RunMerger {

    private RunMerger() {}

    public static RunResults merge(List<RunResults> runs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("nothing to merge");
        }
        RunResults first = runs.get(0);
        for (RunResults run : runs) {
            if (!first.simulation().equals(run.simulation())) {
                throw new IllegalArgumentException(
                        "cannot merge different simulations: " + first.simulation() + " and " + run.simulation());
            }
        }
        Map<String, MetricAccumulator> metrics = new LinkedHashMap<>();
        Map<String, NamedValue> values = new LinkedHashMap<>();
        Map<String, Series> series = new LinkedHashMap<>();
        List<String> sources = new ArrayList<>();
        List<VerdictResult> verdicts = new ArrayList<>();
        String start = first.startedAt();
        String end = first.endedAt();
        for (RunResults run : runs) {
            for (MetricResult m : run.metrics()) {
                MetricAccumulator acc = MetricAccumulator.fromResult(m);
                metrics.merge(m.id(), acc, (a, b) -> {
                    a.merge(b);
                    return a;
                });
            }
            run.values().forEach(v -> values.merge(v.name(), v, NamedValue::mergedWith));
            run.series().forEach(s -> series.merge(s.name(), s, Series::mergedWith));
            sources.addAll(run.sources().isEmpty() ? List.of(sourceOf(run)) : run.sources());
            verdicts.addAll(run.verdicts());
            start = Instant.parse(run.startedAt()).isBefore(Instant.parse(start)) ? run.startedAt() : start;
            end = Instant.parse(run.endedAt()).isAfter(Instant.parse(end)) ? run.endedAt() : end;
        }
        return new RunResults(
                RunResults.SCHEMA,
                first.simulation(),
                first.runId() + "-merged",
                start,
                end,
                first.metadata(),
                mergedParameters(runs),
                metrics.values().stream().map(MetricAccumulator::toResult).toList(),
                List.copyOf(values.values()),
                List.copyOf(series.values()),
                sources,
                verdicts,
                mergedAssertions(runs));
    }

    /** Passed only if every generator's passed; failed if any failed; otherwise not known. */
    private static Assertions mergedAssertions(List<RunResults> runs) {
        List<String> failed = new ArrayList<>();
        boolean anyFailed = false;
        boolean allPassed = true;
        for (RunResults run : runs) {
            anyFailed |= run.assertions().knownFailed();
            allPassed &= run.assertions().knownPassed();
            failed.addAll(run.assertions().failed());
        }
        Boolean passed = anyFailed ? Boolean.FALSE : allPassed ? Boolean.TRUE : null;
        return new Assertions(passed, failed, runs.get(0).assertions().checkedBy());
    }

    private static String sourceOf(RunResults run) {
        String host = run.metadata() == null ? null : run.metadata().host();
        return (host == null ? "unknown" : host) + "/" + run.runId();
    }

    private static Map<String, String> mergedParameters(List<RunResults> runs) {
        Map<String, String> merged = new LinkedHashMap<>(runs.get(0).parameters());
        for (RunResults run : runs.subList(1, runs.size())) {
            run.parameters().forEach((key, value) -> {
                String existing = merged.get(key);
                if (existing != null && !Objects.equals(existing, value)) {
                    merged.put(key, existing + " | " + value);
                } else if (existing == null) {
                    merged.put(key, value);
                }
            });
        }
        return merged;
    }
}
