package dev.outlayer.bench.simulations.support.results;

import dev.outlayer.bench.reports.results.MetricAccumulator;
import dev.outlayer.bench.reports.results.MetricResult.Attempt;
import dev.outlayer.bench.reports.results.MetricResult.Source;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * One metric recorded from many virtual users at once: a wait-free HdrHistogram and exact
 * counters. {@link #snapshot()} turns it into the single-threaded accumulator that writes results.
 */
final class ConcurrentMetric {

  private final String request;
  private final Source source;
  private final Attempt attempt;
  private final String phase;
  private final ConcurrentHistogram histogram = new ConcurrentHistogram(MetricAccumulator.SIGNIFICANT_DIGITS);
  private final LongAdder ok = new LongAdder();
  private final LongAdder ko = new LongAdder();
  private final LongAdder sumUs = new LongAdder();
  private final Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
  private final LongAccumulator minUs = new LongAccumulator(Math::min, Long.MAX_VALUE);
  private final LongAccumulator maxUs = new LongAccumulator(Math::max, Long.MIN_VALUE);
  private final LongAccumulator firstStartMs = new LongAccumulator(Math::min, Long.MAX_VALUE);
  private final LongAccumulator lastEndMs = new LongAccumulator(Math::max, Long.MIN_VALUE);

  ConcurrentMetric(String request, Source source, Attempt attempt, String phase) {
    this.request = request;
    this.source = source;
    this.attempt = attempt;
    this.phase = phase;
  }

  void record(long micros, boolean isOk, int status, long startMs, long endMs) {
    long value = Math.max(0, micros);
    histogram.recordValue(value);
    (isOk ? ok : ko).increment();
    sumUs.add(value);
    if (status > 0) {
      statuses.computeIfAbsent(Integer.toString(status), s -> new LongAdder()).increment();
    }
    minUs.accumulate(value);
    maxUs.accumulate(value);
    firstStartMs.accumulate(startMs);
    lastEndMs.accumulate(endMs);
  }

  MetricAccumulator snapshot() {
    MetricAccumulator acc = new MetricAccumulator(request, source, attempt, phase, 1);
    Map<String, Long> statusCounts = new TreeMap<>();
    statuses.forEach((status, n) -> statusCounts.put(status, n.sum()));
    acc.add(histogram.copy(), ok.sum(), ko.sum(), statusCounts, sumUs.sum(), minUs.get(), maxUs.get(),
        firstStartMs.get(), lastEndMs.get());
    return acc;
  }
}
