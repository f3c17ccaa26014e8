package dev.outlayer.bench.results.recorder;

import dev.outlayer.bench.results.Assertions;
import dev.outlayer.bench.results.MetricAccumulator;
import dev.outlayer.bench.results.MetricResult.Attempt;
import dev.outlayer.bench.results.MetricResult.Source;
import dev.outlayer.bench.results.NamedValue;
import dev.outlayer.bench.results.RunMetadata;
import dev.outlayer.bench.results.RunResults;
import dev.outlayer.bench.results.Series;
import dev.outlayer.bench.results.VerdictResult;
import dev.outlayer.bench.results.names.RequestName;
import dev.outlayer.bench.results.names.SeriesName;
import dev.outlayer.bench.results.names.ServerPhase;
import dev.outlayer.bench.results.names.ValueName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * The one record of a run, from any number of threads: client response times per request name
 * (first attempts and retries apart), each Server-Timing phase per request name, and named values
 * and series. The simulations compute their verdicts from it while they run; {@link #results}
 * turns it into what {@code results.json} holds.
 */
public final class ResultsRecorder {

    private static final String RETRY_SUFFIX = RequestName.RETRY;
    /** The synthetic phase holding the sum of a response's phases, unless the server sends one. */
    private static final String SUM_PHASE = ServerPhase.SUM;

    private record Key(String request, Source source, Attempt attempt, String phase) {
        /** The client metric of a request as Gatling names it: a name ending in the retry suffix is a retry. */
        static Key client(String request) {
            return request.endsWith(RETRY_SUFFIX)
                    ? new Key(
                            request.substring(0, request.length() - RETRY_SUFFIX.length()),
                            Source.CLIENT,
                            Attempt.RETRY,
                            null)
                    : new Key(request, Source.CLIENT, Attempt.FIRST, null);
        }

        static Key server(String request, String phase) {
            return new Key(client(request).request, Source.SERVER, Attempt.ALL, phase);
        }
    }

    private final Instant startedAt;
    private final long startedNanos;
    private final Map<Key, ConcurrentMetric> metrics = new ConcurrentHashMap<>();
    private final Map<String, NamedValue> values = new ConcurrentHashMap<>();
    private final Map<String, Series> series = new ConcurrentHashMap<>();

    /**
     * A recording that began at {@code startedAt}, when {@link System#nanoTime()} read
     * {@code startedNanos}: the nanoTime stamps of {@link #record} are placed on the wall clock from there.
     */
    public ResultsRecorder(Instant startedAt, long startedNanos) {
        this.startedAt = startedAt;
        this.startedNanos = startedNanos;
    }

    public Instant startedAt() {
        return startedAt;
    }

    /**
     * One response. {@code request} is the name as in the Gatling report; a name ending in
     * {@code " (retry)"} counts as a retry of the request without it.
     *
     * @param status        HTTP status, 0 when no response arrived
     * @param ok            Gatling's verdict (every check passed)
     * @param sentNanos     {@link System#nanoTime()} just before the request was sent
     * @param receivedNanos {@link System#nanoTime()} just after the response arrived
     * @param serverTiming  the response's Server-Timing header, or null
     */
    public void record(
            String request, int status, boolean ok, long sentNanos, long receivedNanos, String serverTiming) {
        long elapsedUs = Math.max(0, receivedNanos - sentNanos) / 1000;
        long endUs = startedAt.toEpochMilli() * 1000 + (receivedNanos - startedNanos) / 1000;
        long startUs = endUs - elapsedUs;
        metric(Key.client(request)).record(elapsedUs, ok, status, startUs, endUs);

        List<ServerTimingHeader.Phase> phases = ServerTimingHeader.parse(serverTiming);
        long sum = 0;
        boolean serverSentSum = false;
        for (ServerTimingHeader.Phase phase : phases) {
            metric(Key.server(request, phase.name())).record(phase.micros(), ok, status, startUs, endUs);
            sum += phase.micros();
            serverSentSum |= phase.name().equals(SUM_PHASE);
        }
        if (phases.size() > 1 && !serverSentSum) {
            metric(Key.server(request, SUM_PHASE)).record(sum, ok, status, startUs, endUs);
        }
    }

    public void value(String name, String unit, double value, NamedValue.Merge merge) {
        values.put(name, new NamedValue(name, unit, value, merge));
    }

    /** A value the reports read. */
    public void value(ValueName name, double value) {
        value(name.name(), name.unit(), value, name.merge());
    }

    public void point(String seriesName, String unit, String xLabel, double x, double y) {
        series.merge(
                seriesName, new Series(seriesName, unit, xLabel, List.of(new Series.Point(x, y))), Series::mergedWith);
    }

    /** A point of a series the reports read. */
    public void point(SeriesName name, double x, double y) {
        point(name.name(), name.unit(), name.xLabel(), x, y);
    }

    /** Client times of {@code request} (as Gatling names it) so far, in microseconds; empty if none. */
    public Histogram clientMicros(String request) {
        return histogram(Key.client(request));
    }

    /** The Server-Timing {@code phase} of {@code request} so far, in microseconds; empty if none. */
    public Histogram phaseMicros(String request, String phase) {
        return histogram(Key.server(request, phase));
    }

    /**
     * The {@code percentile} of {@code request}'s client time in ms.
     *
     * @throws NoSamplesException if no response of {@code request} was recorded
     */
    public double clientMillis(String request, double percentile) {
        return clientMillis(percentile, request);
    }

    /**
     * The {@code percentile} of the client times of all the named requests together, in ms (as the report
     * merges them for one cell).
     *
     * @throws NoSamplesException if none of them was answered
     */
    public double clientMillis(double percentile, String... requests) {
        return millisAt(merged(this::clientMicros, requests), percentile, "client time of " + quoted(requests));
    }

    /**
     * The mean of {@code request}'s client time in ms.
     *
     * @throws NoSamplesException if no response of {@code request} was recorded
     */
    public double clientMeanMillis(String request) {
        return sampled(clientMicros(request), "client time of " + quoted(request))
                        .getMean()
                / 1000.0;
    }

    /**
     * The {@code percentile} of a Server-Timing phase of {@code request} in ms.
     *
     * @throws NoSamplesException if no response of {@code request} reported {@code phase}
     */
    public double phaseMillis(String request, String phase, double percentile) {
        return phaseMillis(phase, percentile, request);
    }

    /**
     * The {@code percentile} of a Server-Timing phase of all the named requests together, in ms.
     *
     * @throws NoSamplesException if none of them reported {@code phase}
     */
    public double phaseMillis(String phase, double percentile, String... requests) {
        return millisAt(
                merged(request -> phaseMicros(request, phase), requests),
                percentile,
                "server phase '" + phase + "' of " + quoted(requests) + " (does the target send Server-Timing?)");
    }

    private static Histogram merged(Function<String, Histogram> of, String... requests) {
        if (requests.length == 1) {
            return of.apply(requests[0]);
        }
        Histogram all = new Histogram(MetricAccumulator.SIGNIFICANT_DIGITS);
        for (String request : requests) {
            all.add(of.apply(request));
        }
        return all;
    }

    private static String quoted(String... requests) {
        return "'" + String.join("', '", requests) + "'";
    }

    private static Histogram sampled(Histogram micros, String measurement) {
        if (micros.getTotalCount() == 0) {
            throw new NoSamplesException(measurement);
        }
        return micros;
    }

    private static double millisAt(Histogram micros, double percentile, String measurement) {
        return sampled(micros, measurement).getValueAtPercentile(percentile) / 1000.0;
    }

    /** Responses of all the named requests together whose every check passed. */
    public long succeeded(String... requests) {
        long total = 0;
        for (String request : requests) {
            ConcurrentMetric metric = metrics.get(Key.client(request));
            total += metric == null ? 0 : metric.ok();
        }
        return total;
    }

    /** Seconds from the first of the named requests sent to the last one answered; NaN if none was. */
    public double spanSeconds(String... requests) {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (String request : requests) {
            ConcurrentMetric metric = metrics.get(Key.client(request));
            if (metric != null) {
                first = Math.min(first, metric.firstStartUs());
                last = Math.max(last, metric.lastEndUs());
            }
        }
        return first == Long.MAX_VALUE ? Double.NaN : (last - first) / 1e6;
    }

    /**
     * Successful responses of the named requests per second of their span.
     *
     * @throws NoSamplesException if none of them was answered
     */
    public double perSecond(String... requests) {
        double span = spanSeconds(requests);
        if (Double.isNaN(span)) {
            throw new NoSamplesException("responses of " + String.join(", ", requests));
        }
        return succeeded(requests) / span;
    }

    private Histogram histogram(Key key) {
        ConcurrentMetric metric = metrics.get(key);
        return metric == null ? new Histogram(MetricAccumulator.SIGNIFICANT_DIGITS) : metric.histogram();
    }

    private ConcurrentMetric metric(Key key) {
        return metrics.computeIfAbsent(key, k -> new ConcurrentMetric(k.request, k.source, k.attempt, k.phase));
    }

    /** A snapshot of everything recorded so far. */
    public RunResults results(
            String simulation,
            String runId,
            Instant endedAt,
            RunMetadata metadata,
            Map<String, String> parameters,
            List<VerdictResult> verdicts) {
        List<MetricAccumulator> snapshots = new ArrayList<>();
        metrics.values().forEach(m -> snapshots.add(m.snapshot()));
        snapshots.sort(Comparator.comparing(MetricAccumulator::id));
        List<NamedValue> namedValues = new ArrayList<>(values.values());
        namedValues.sort(Comparator.comparing(NamedValue::name));
        List<Series> allSeries = new ArrayList<>(series.values());
        allSeries.sort(Comparator.comparing(Series::name));
        return new RunResults(
                RunResults.SCHEMA,
                simulation,
                runId,
                startedAt.toString(),
                endedAt.toString(),
                metadata,
                parameters == null ? Map.of() : parameters,
                snapshots.stream().map(MetricAccumulator::toResult).toList(),
                namedValues,
                allSeries,
                List.of(),
                verdicts,
                Assertions.fromVerdicts(verdicts));
    }
}
