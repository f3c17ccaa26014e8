package dev.outlayer.bench.results.recorder;

import dev.outlayer.bench.results.MetricAccumulator;
import dev.outlayer.bench.results.MetricResult.Attempt;
import dev.outlayer.bench.results.MetricResult.Source;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * One metric recorded from many virtual users at once: a wait-free HdrHistogram and exact
 * counters. {@link #snapshot()} turns it into the single-threaded accumulator that writes results;
 * the simulations read it while they run through {@link ResultsRecorder}'s queries.
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
    // Epoch microseconds: a throughput over a hundred quick calls needs finer than milliseconds.
    private final LongAccumulator firstStartUs = new LongAccumulator(Math::min, Long.MAX_VALUE);
    private final LongAccumulator lastEndUs = new LongAccumulator(Math::max, Long.MIN_VALUE);

    ConcurrentMetric(String request, Source source, Attempt attempt, String phase) {
        this.request = request;
        this.source = source;
        this.attempt = attempt;
        this.phase = phase;
    }

    void record(long micros, boolean isOk, int status, long startUs, long endUs) {
        long value = Math.max(0, micros);
        histogram.recordValue(value);
        (isOk ? ok : ko).increment();
        sumUs.add(value);
        if (status > 0) {
            statuses.computeIfAbsent(Integer.toString(status), s -> new LongAdder())
                    .increment();
        }
        minUs.accumulate(value);
        maxUs.accumulate(value);
        firstStartUs.accumulate(startUs);
        lastEndUs.accumulate(endUs);
    }

    Histogram histogram() {
        return histogram.copy();
    }

    long ok() {
        return ok.sum();
    }

    long firstStartUs() {
        return firstStartUs.get();
    }

    long lastEndUs() {
        return lastEndUs.get();
    }

    MetricAccumulator snapshot() {
        MetricAccumulator acc = new MetricAccumulator(request, source, attempt, phase, 1);
        Map<String, Long> statusCounts = new TreeMap<>();
        statuses.forEach((status, n) -> statusCounts.put(status, n.sum()));
        acc.add(
                histogram.copy(),
                ok.sum(),
                ko.sum(),
                statusCounts,
                sumUs.sum(),
                minUs.get(),
                maxUs.get(),
                Math.floorDiv(firstStartUs.get(), 1000),
                Math.floorDiv(lastEndUs.get(), 1000));
        return acc;
    }
}
