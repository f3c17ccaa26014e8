package dev.outlayer.bench.reports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.results.Assertions;
import dev.outlayer.bench.results.MetricAccumulator;
import dev.outlayer.bench.results.MetricResult;
import dev.outlayer.bench.results.MetricResult.Attempt;
import dev.outlayer.bench.results.MetricResult.Source;
import dev.outlayer.bench.results.NamedValue;
import dev.outlayer.bench.results.RunMetadata;
import dev.outlayer.bench.results.RunResults;
import dev.outlayer.bench.results.Series;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small, explicit runs for the tests. */
public final class Fixtures {

    public static final RunMetadata METADATA = metadata(RunMetadata.FULL, null, null, null);

    /** Metadata of a run in {@code form}, of repetition {@code repetition} of {@code suite} (null: a lone run). */
    public static RunMetadata metadata(String form, String suite, Integer repetition, Integer repetitions) {
        return new RunMetadata(
                "abc123",
                "http://127.0.0.1:1",
                "Test 17",
                2,
                "test-host",
                "Linux amd64",
                form,
                suite,
                repetition,
                repetitions,
                new RunMetadata.TargetInfo(RunMetadata.TargetInfo.EMBEDDED, "0.1.0", "abc123", "--admin"),
                0.5,
                0.7,
                "Test VM");
    }

    /** A run of a suite, its assertions judged by the suite runner: {@code failed} empty means passed. */
    public static RunResults suiteRun(
            String simulation,
            String startedAt,
            String suite,
            int repetition,
            String form,
            List<String> failed,
            List<MetricResult> metrics,
            List<NamedValue> values) {
        return results(
                simulation,
                startedAt,
                metadata(form, suite, repetition, 3),
                Map.of(),
                metrics,
                values,
                List.of(),
                new Assertions(failed.isEmpty(), failed, Assertions.SUITE));
    }

    private Fixtures() {}

    /** A client metric whose samples are {@code micros}, all ok, one per millisecond from {@code startMs}. */
    public static MetricResult client(String request, long startMs, long... micros) {
        MetricAccumulator acc = new MetricAccumulator(request, Source.CLIENT, Attempt.FIRST, null, 1);
        for (int i = 0; i < micros.length; i++) {
            acc.record(micros[i], true, "200", startMs + i, startMs + i + 1);
        }
        return acc.toResult();
    }

    public static MetricResult phase(String request, String phase, long startMs, long... micros) {
        MetricAccumulator acc = new MetricAccumulator(request, Source.SERVER, Attempt.ALL, phase, 1);
        for (int i = 0; i < micros.length; i++) {
            acc.record(micros[i], true, "200", startMs + i, startMs + i + 1);
        }
        return acc.toResult();
    }

    /** {@code n} back-to-back samples of {@code micros}, each taking {@code spacingMs}: 1000/spacingMs per second. */
    public static MetricResult spaced(String request, long micros, int n, long spacingMs) {
        MetricAccumulator acc = new MetricAccumulator(request, Source.CLIENT, Attempt.FIRST, null, 1);
        long start = 1_700_000_000_000L;
        for (int i = 0; i < n; i++) {
            acc.record(micros, true, "200", start + i * spacingMs, start + (i + 1) * spacingMs);
        }
        return acc.toResult();
    }

    public static RunResults run(String simulation, String startedAt, List<MetricResult> metrics) {
        return run(simulation, startedAt, metrics, List.of(), List.of());
    }

    public static RunResults run(
            String simulation,
            String startedAt,
            List<MetricResult> metrics,
            List<NamedValue> values,
            List<Series> series) {
        return results(simulation, startedAt, METADATA, Map.of("users", "1"), metrics, values, series, null);
    }

    private static RunResults results(
            String simulation,
            String startedAt,
            RunMetadata metadata,
            Map<String, String> parameters,
            List<MetricResult> metrics,
            List<NamedValue> values,
            List<Series> series,
            Assertions assertions) {
        Instant start = Instant.parse(startedAt);
        return new RunResults(
                RunResults.SCHEMA,
                simulation,
                simulation.toLowerCase() + "-" + start.toEpochMilli(),
                startedAt,
                start.plusSeconds(30).toString(),
                metadata,
                parameters,
                metrics,
                values,
                series,
                List.of(),
                List.of(),
                assertions);
    }

    /** The HTML of the table row whose header is {@code metric}. */
    public static String row(String html, String metric) {
        Matcher row = Pattern.compile("<tr><th scope=\"row\">" + Pattern.quote(metric) + ".*?</tr>", Pattern.DOTALL)
                .matcher(html);
        assertThat(row.find()).as("row %s", metric).isTrue();
        return row.group();
    }
}
