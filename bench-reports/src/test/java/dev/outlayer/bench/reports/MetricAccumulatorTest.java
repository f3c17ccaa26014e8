package dev.outlayer.bench.reports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.results.HistogramCodec;
import dev.outlayer.bench.results.MetricAccumulator;
import dev.outlayer.bench.results.MetricResult;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class MetricAccumulatorTest {

    @Test
    void statisticsOfOneToAHundredMicroseconds() {
        MetricResult m =
                Fixtures.client("warm", 1_000, LongStream.rangeClosed(1, 100).toArray());
        assertThat(m.count()).isEqualTo(100);
        assertThat(m.ok()).isEqualTo(100);
        assertThat(m.ko()).isZero();
        assertThat(m.meanMs()).isEqualTo(0.051); // 50.5 us, rounded to the microsecond
        assertThat(m.minMs()).isEqualTo(0.001);
        assertThat(m.p50Ms()).isEqualTo(0.050);
        assertThat(m.p90Ms()).isEqualTo(0.090);
        assertThat(m.p95Ms()).isEqualTo(0.095);
        assertThat(m.p99Ms()).isEqualTo(0.099);
        assertThat(m.maxMs()).isEqualTo(0.100);
        assertThat(m.sumUs()).isEqualTo(5050);
        // 100 samples, one per millisecond: a 100 ms window.
        assertThat(m.throughputRps()).isEqualTo(1000.0);
        assertThat(m.statusCounts()).containsEntry("200", 100L);
    }

    @Test
    void theEncodedHistogramHoldsEverySample() {
        MetricResult m = Fixtures.client("warm", 0, 5, 5, 7, 1_500, 250_000);
        var histogram = HistogramCodec.decode(m.histogram());
        assertThat(histogram.getTotalCount()).isEqualTo(5);
        assertThat(histogram.getCountAtValue(5)).isEqualTo(2);
        assertThat(histogram.getCountAtValue(1_500)).isEqualTo(1);
        assertThat(histogram.getMaxValue()).isEqualTo(histogram.highestEquivalentValue(250_000));
        // The exact max is kept beside the histogram.
        assertThat(m.maxMs()).isEqualTo(250.0);
    }

    @Test
    void roundTripThroughTheResultIsLossless() {
        MetricResult m = Fixtures.client("warm", 0, 3, 4, 900, 12_000, 12_000);
        MetricResult again = MetricAccumulator.fromResult(m).toResult();
        assertThat(again).usingRecursiveComparison().ignoringFields("histogram").isEqualTo(m);
        assertThat(HistogramCodec.decode(again.histogram())).isEqualTo(HistogramCodec.decode(m.histogram()));
    }

    @Test
    void anEmptyMetricHasNoThroughput() {
        MetricResult m = Fixtures.client("none", 0);
        assertThat(m.count()).isZero();
        assertThat(m.throughputRps()).isNull();
    }
}
