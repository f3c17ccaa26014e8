package dev.outlayer.bench.results;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One run of one simulation, as written to {@code results.json}: what Gatling's HTML cannot give
 * (microsecond server phases, exact mergeable histograms, named values) plus enough metadata to
 * trust and reproduce the numbers, the verdicts the simulation computed and whether its assertions
 * held. A merged file has several {@code sources}.
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
        List<VerdictResult> verdicts,
        Assertions assertions) {

    public static final String SCHEMA = "outlayer-bench/results/v1";

    public RunResults {
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        metrics = metrics == null ? List.of() : List.copyOf(metrics);
        values = values == null ? List.of() : List.copyOf(values);
        series = series == null ? List.of() : List.copyOf(series);
        sources = sources == null ? List.of() : List.copyOf(sources);
        verdicts = verdicts == null ? List.of() : List.copyOf(verdicts);
        assertions = assertions == null ? Assertions.fromVerdicts(verdicts) : assertions;
    }

    /** The same run with the assertions' outcome as the suite runner judged it. */
    public RunResults withAssertions(Assertions outcome) {
        return new RunResults(
                schema,
                simulation,
                runId,
                startedAt,
                endedAt,
                metadata,
                parameters,
                metrics,
                values,
                series,
                sources,
                verdicts,
                outcome);
    }

    /** Full or CI form: recorded since the suite runner; older runs say it in their parameters. */
    public String form() {
        if (metadata != null && metadata.ciForm()) {
            return RunMetadata.CI;
        }
        return "true".equals(parameters.get("ci")) ? RunMetadata.CI : RunMetadata.FULL;
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
