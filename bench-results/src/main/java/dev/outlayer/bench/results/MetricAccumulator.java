package dev.outlayer.bench.results;

import dev.outlayer.bench.results.MetricResult.Attempt;
import dev.outlayer.bench.results.MetricResult.Source;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Builds a {@link MetricResult} from an HdrHistogram and exact counters, and merges results
 * exactly: histograms and counters add up, so a merge of several load generators equals what
 * one generator recording everything would have written. Not thread-safe (the recorder keeps
 * the concurrent side).
 */
public final class MetricAccumulator {

    /** 3 significant digits: values up to 2047 units are exact, larger ones within 0.1%. */
    public static final int SIGNIFICANT_DIGITS = 3;

    private final String request;
    private final Source source;
    private final Attempt attempt;
    private final String phase;
    private final int unitUs;
    private final Histogram histogram;
    private long ok;
    private long ko;
    private final Map<String, Long> statusCounts = new TreeMap<>();
    private long sumUs;
    private long minUs = Long.MAX_VALUE;
    private long maxUs = Long.MIN_VALUE;
    private long firstStartMs = Long.MAX_VALUE;
    private long lastEndMs = Long.MIN_VALUE;

    public MetricAccumulator(String request, Source source, Attempt attempt, String phase, int unitUs) {
        this.request = request;
        this.source = source;
        this.attempt = attempt;
        this.phase = phase;
        this.unitUs = unitUs;
        this.histogram = new Histogram(SIGNIFICANT_DIGITS);
        this.histogram.setAutoResize(true);
    }

    public static MetricAccumulator fromResult(MetricResult result) {
        MetricAccumulator acc = new MetricAccumulator(
                result.request(), result.source(), result.attempt(), result.phase(), result.unitUs());
        acc.histogram.add(HistogramCodec.decode(result.histogram()));
        acc.ok = result.ok();
        acc.ko = result.ko();
        acc.statusCounts.putAll(result.statusCounts());
        acc.sumUs = result.sumUs();
        if (result.count() > 0) {
            acc.minUs = Math.round(result.minMs() * 1000);
            acc.maxUs = Math.round(result.maxMs() * 1000);
            acc.firstStartMs = result.firstStartMs();
            acc.lastEndMs = result.lastEndMs();
        }
        return acc;
    }

    public String id() {
        return MetricResult.idOf(request, source, attempt, phase);
    }

    /** One sample of {@code valueUs} microseconds (rounded to the metric's unit). */
    public void record(long valueUs, boolean isOk, String status, long startMs, long endMs) {
        histogram.recordValue(Math.max(0, valueUs) / unitUs);
        addCounts(
                isOk ? 1 : 0,
                isOk ? 0 : 1,
                status == null ? Map.of() : Map.of(status, 1L),
                valueUs,
                valueUs,
                valueUs,
                startMs,
                endMs);
    }

    /** Adds an already-recorded histogram (units of unitUs) and the exact counters that go with it. */
    public void add(
            Histogram values,
            long okCount,
            long koCount,
            Map<String, Long> statuses,
            long sum,
            long min,
            long max,
            long firstStart,
            long lastEnd) {
        histogram.add(values);
        addCounts(okCount, koCount, statuses, sum, min, max, firstStart, lastEnd);
    }

    public void merge(MetricAccumulator other) {
        if (other.unitUs != unitUs) {
            throw new IllegalArgumentException(
                    "cannot merge " + id() + ": units " + unitUs + " and " + other.unitUs + " us");
        }
        add(
                other.histogram,
                other.ok,
                other.ko,
                other.statusCounts,
                other.sumUs,
                other.minUs,
                other.maxUs,
                other.firstStartMs,
                other.lastEndMs);
    }

    private void addCounts(
            long okCount,
            long koCount,
            Map<String, Long> statuses,
            long sum,
            long min,
            long max,
            long firstStart,
            long lastEnd) {
        ok += okCount;
        ko += koCount;
        statuses.forEach((status, n) -> statusCounts.merge(status, n, Long::sum));
        sumUs += sum;
        if (okCount + koCount > 0) {
            minUs = Math.min(minUs, min);
            maxUs = Math.max(maxUs, max);
            firstStartMs = Math.min(firstStartMs, firstStart);
            lastEndMs = Math.max(lastEndMs, lastEnd);
        }
    }

    public long count() {
        return ok + ko;
    }

    public double percentileMs(double percentile) {
        return count() == 0 ? 0 : toMs(histogram.getValueAtPercentile(percentile) * unitUs);
    }

    public MetricResult toResult() {
        long count = count();
        boolean any = count > 0;
        // Max and min are exact; percentiles come from the histogram but never exceed the true max.
        double max = any ? toMs(maxUs) : 0;
        long windowMs = any ? lastEndMs - firstStartMs : 0;
        Double throughput = windowMs > 0 ? count * 1000.0 / windowMs : null;
        return new MetricResult(
                id(),
                request,
                source,
                attempt,
                phase,
                count,
                ok,
                ko,
                statusCounts,
                any ? round3((double) sumUs / count / 1000.0) : 0,
                any ? toMs(minUs) : 0,
                Math.min(max, percentileMs(50)),
                Math.min(max, percentileMs(90)),
                Math.min(max, percentileMs(95)),
                Math.min(max, percentileMs(99)),
                max,
                throughput == null ? null : round3(throughput),
                any ? firstStartMs : 0,
                any ? lastEndMs : 0,
                sumUs,
                unitUs,
                HistogramCodec.encode(histogram));
    }

    private static double toMs(long us) {
        return us / 1000.0;
    }

    static double round3(double value) {
        return Math.round(value * 1000.0) / 1000.0;
    }
}
