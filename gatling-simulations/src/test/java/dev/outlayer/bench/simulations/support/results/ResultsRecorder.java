package dev.outlayer.bench.simulations.support.results;

import dev.outlayer.bench.reports.results.MetricAccumulator;
import dev.outlayer.bench.reports.results.MetricResult.Attempt;
import dev.outlayer.bench.reports.results.MetricResult.Source;
import dev.outlayer.bench.reports.results.NamedValue;
import dev.outlayer.bench.reports.results.RunMetadata;
import dev.outlayer.bench.reports.results.RunResults;
import dev.outlayer.bench.reports.results.Series;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records one run, from any number of threads: client response times per request name (first
 * attempts and retries apart), each Server-Timing phase per request name, and named values and
 * series. {@link #results} turns it into what {@code results.json} holds.
 */
public final class ResultsRecorder {

  /** Retries are reported under the request name with this suffix (as Gatling's report shows them). */
  public static final String RETRY_SUFFIX = " (retry)";
  /** The synthetic phase holding the sum of a response's phases, unless the server sends one. */
  public static final String SUM_PHASE = "sum";

  private record Key(String request, Source source, Attempt attempt, String phase) {}

  private final Instant startedAt;
  private final Map<Key, ConcurrentMetric> metrics = new ConcurrentHashMap<>();
  private final Map<String, NamedValue> values = new ConcurrentHashMap<>();
  private final Map<String, Series> series = new ConcurrentHashMap<>();

  public ResultsRecorder(Instant startedAt) {
    this.startedAt = startedAt;
  }

  public Instant startedAt() {
    return startedAt;
  }

  /**
   * One response. {@code request} is the name as in the Gatling report; a name ending in
   * {@value #RETRY_SUFFIX} counts as a retry of the request without it.
   *
   * @param status        HTTP status, 0 when no response arrived
   * @param ok            Gatling's verdict (every check passed)
   * @param elapsedMicros client response time
   * @param endEpochMs    wall clock at the end of the exchange (for throughput)
   * @param serverTiming  the response's Server-Timing header, or null
   */
  public void record(String request, int status, boolean ok, long elapsedMicros, long endEpochMs, String serverTiming) {
    boolean retry = request.endsWith(RETRY_SUFFIX);
    String name = retry ? request.substring(0, request.length() - RETRY_SUFFIX.length()) : request;
    long startMs = endEpochMs - Math.max(0, elapsedMicros) / 1000;
    metric(new Key(name, Source.CLIENT, retry ? Attempt.RETRY : Attempt.FIRST, null))
        .record(elapsedMicros, ok, status, startMs, endEpochMs);

    List<ServerTimingHeader.Phase> phases = ServerTimingHeader.parse(serverTiming);
    long sum = 0;
    boolean serverSentSum = false;
    for (ServerTimingHeader.Phase phase : phases) {
      metric(new Key(name, Source.SERVER, Attempt.ALL, phase.name())).record(phase.micros(), ok, status, startMs, endEpochMs);
      sum += phase.micros();
      serverSentSum |= phase.name().equals(SUM_PHASE);
    }
    if (phases.size() > 1 && !serverSentSum) {
      metric(new Key(name, Source.SERVER, Attempt.ALL, SUM_PHASE)).record(sum, ok, status, startMs, endEpochMs);
    }
  }

  public void value(String name, String unit, double value, NamedValue.Merge merge) {
    values.put(name, new NamedValue(name, unit, value, merge));
  }

  public void point(String seriesName, String unit, String xLabel, double x, double y) {
    series.merge(seriesName, new Series(seriesName, unit, xLabel, List.of(new Series.Point(x, y))),
        Series::mergedWith);
  }

  private ConcurrentMetric metric(Key key) {
    return metrics.computeIfAbsent(key, k -> new ConcurrentMetric(k.request, k.source, k.attempt, k.phase));
  }

  /** A snapshot of everything recorded so far. */
  public RunResults results(String simulation, String runId, Instant endedAt, RunMetadata metadata,
      Map<String, String> parameters) {
    List<MetricAccumulator> snapshots = new ArrayList<>();
    metrics.values().forEach(m -> snapshots.add(m.snapshot()));
    snapshots.sort(Comparator.comparing(MetricAccumulator::id));
    List<NamedValue> namedValues = new ArrayList<>(values.values());
    namedValues.sort(Comparator.comparing(NamedValue::name));
    List<Series> allSeries = new ArrayList<>(series.values());
    allSeries.sort(Comparator.comparing(Series::name));
    return new RunResults(RunResults.SCHEMA, simulation, runId, startedAt.toString(), endedAt.toString(),
        metadata, parameters == null ? Map.of() : parameters,
        snapshots.stream().map(MetricAccumulator::toResult).toList(),
        namedValues, allSeries, Collections.emptyList());
  }
}
