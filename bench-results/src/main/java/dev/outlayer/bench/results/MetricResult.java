package dev.outlayer.bench.results;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Map;

/**
 * Statistics of one metric of a run: the client response time of a request name (first attempts
 * and retries apart) or one server phase of a request name, from the target's Server-Timing.
 * Times are milliseconds with microsecond precision; {@code histogram} is the HdrHistogram
 * (compressed, base64) in units of {@code unitUs} microseconds, so that runs merge exactly.
 */
public record MetricResult(
        String id,
        String request,
        Source source,
        Attempt attempt,
        String phase,
        long count,
        long ok,
        long ko,
        Map<String, Long> statusCounts,
        double meanMs,
        double minMs,
        double p50Ms,
        double p90Ms,
        double p95Ms,
        double p99Ms,
        double maxMs,
        Double throughputRps,
        long firstStartMs,
        long lastEndMs,
        long sumUs,
        int unitUs,
        String histogram) {

    public enum Source {
        CLIENT,
        SERVER;

        @JsonValue
        public String json() {
            return name().toLowerCase();
        }
    }

    public enum Attempt {
        FIRST,
        RETRY,
        ALL;

        @JsonValue
        public String json() {
            return name().toLowerCase();
        }
    }

    public MetricResult {
        statusCounts = statusCounts == null ? Map.of() : Map.copyOf(statusCounts);
    }

    /** The one naming rule for metric ids, used by the recorder, the matrix and the comparison. */
    public static String idOf(String request, Source source, Attempt attempt, String phase) {
        if (source == Source.SERVER) {
            return request + " | " + phase;
        }
        return attempt == Attempt.RETRY ? request + " (retry)" : request;
    }

    public double percentileMs(double percentile) {
        if (percentile == 50) return p50Ms;
        if (percentile == 90) return p90Ms;
        if (percentile == 95) return p95Ms;
        if (percentile == 99) return p99Ms;
        if (percentile == 100) return maxMs;
        return MetricAccumulator.fromResult(this).percentileMs(percentile);
    }
}
