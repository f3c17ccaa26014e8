package dev.outlayer.bench.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outlayer.bench.results.HistogramCodec;
import dev.outlayer.bench.results.MetricResult;
import dev.outlayer.bench.results.NamedValue;
import dev.outlayer.bench.results.NamedValue.Merge;
import dev.outlayer.bench.results.RunMerger;
import dev.outlayer.bench.results.RunResults;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MergeTest {

    @Test
    void mergingTwoGeneratorsEqualsRecordingEverythingInOne() {
        Random random = new Random(42);
        long[] a = random.longs(5_000, 50, 3_000_000).toArray();
        long[] b = random.longs(7_000, 50, 900_000).toArray();
        long[] both = new long[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);

        RunResults first = Fixtures.run(
                "CounterSimulation",
                "2026-11-28T05:00:00Z",
                List.of(Fixtures.client("warm", 1_000, a), Fixtures.phase("warm", "exec", 1_000, a)),
                List.of(
                        new NamedValue("sustained_rate_rps", "rps", 60, Merge.SUM),
                        new NamedValue("heap_mb", "MB", 40, Merge.MAX)),
                List.of());
        // The second generator starts later; its samples continue where the first one's ended.
        RunResults second = Fixtures.run(
                "CounterSimulation",
                "2026-11-28T05:00:02Z",
                List.of(
                        Fixtures.client("warm", 1_000 + a.length, b),
                        Fixtures.phase("warm", "exec", 1_000 + a.length, b)),
                List.of(
                        new NamedValue("sustained_rate_rps", "rps", 45, Merge.SUM),
                        new NamedValue("heap_mb", "MB", 42, Merge.MAX)),
                List.of());
        List<MetricResult> together =
                List.of(Fixtures.client("warm", 1_000, both), Fixtures.phase("warm", "exec", 1_000, both));

        RunResults merged = RunMerger.merge(List.of(first, second));

        assertThat(merged.metrics()).hasSize(2);
        for (MetricResult expected : together) {
            MetricResult actual = merged.metric(expected.id()).orElseThrow();
            assertThat(actual)
                    .usingRecursiveComparison()
                    .ignoringFields("histogram")
                    .isEqualTo(expected);
            assertThat(HistogramCodec.decode(actual.histogram()))
                    .isEqualTo(HistogramCodec.decode(expected.histogram()));
        }
        assertThat(merged.value("sustained_rate_rps").orElseThrow().value()).isEqualTo(105);
        assertThat(merged.value("heap_mb").orElseThrow().value()).isEqualTo(42);
        assertThat(merged.startedAt()).isEqualTo("2026-11-28T05:00:00Z");
        assertThat(merged.endedAt()).isEqualTo("2026-11-28T05:00:32Z");
        assertThat(merged.sources()).hasSize(2);
    }

    @Test
    void refusesToMergeDifferentSimulations() {
        RunResults a = Fixtures.run("CounterSimulation", "2026-11-28T05:00:00Z", List.of());
        RunResults b = Fixtures.run("SecretsSimulation", "2026-11-28T05:00:00Z", List.of());
        assertThatThrownBy(() -> RunMerger.merge(List.of(a, b))).hasMessageContaining("different simulations");
    }
}
