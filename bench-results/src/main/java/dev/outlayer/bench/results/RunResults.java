package dev.outlayer.bench.results;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One run of one simulation, as written to {@code results.json}: what Gatling's HTML cannot give
 * (microsecond server phases, exact mergeable histograms, named values) plus enough metadata to
 * trust and reproduce the numbers, and the verdicts the simulation computed. A merged file has
 * several {@code sources}.
 */
public record RunResults(
        String schema,
        String simulation,
        String runId,
        String startedAt,
        String endedAt,
        RunMetadata metadata,
        Map<String, String> parameters,
        List<MetricResult> metrics,
        List<NamedValue> values,
        List<Series> series,
        List<String> sources,
        List<VerdictResult> verdicts) {

    public static final String SCHEMA = "outlayer-bench/results/v1";

    public RunResults {
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        metrics = metrics == null ? List.of() : List.copyOf(metrics);
        values = values == null ? List.of() : List.copyOf(values);
        series = series == null ? List.of() : List.copyOf(series);
        sources = sources == null ? List.of() : List.copyOf(sources);
        verdicts = verdicts == null ? List.of() : List.copyOf(verdicts);
    }

    public Instant started() {
        return Instant.parse(startedAt);
    }

    public Duration duration() {
        return Duration.between(Instant.parse(startedAt), Instant.parse(endedAt));
    }

    public Optional<MetricResult> metric(String id) {
        return metrics.stream().filter(m -> m.id().equals(id)).findFirst();
    }

    public Optional<NamedValue> value(String name) {
        return values.stream().filter(v -> v.name().equals(name)).findFirst();
    }

    public Optional<Series> series(String name) {
        return series.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
