package dev.outlayer.bench.reports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.reports.compare.BaselineComparison;
import dev.outlayer.bench.reports.compare.MetricChange;
import dev.outlayer.bench.results.ResultsFiles;
import dev.outlayer.bench.results.RunResults;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselineComparisonTest {

    private final BaselineComparison comparison = new BaselineComparison(20, 0.05);

    private static RunResults run(String startedAt, long p95Micros, long spacingMs) {
        return Fixtures.run(
                "ThrottleOverheadSimulation",
                startedAt,
                List.of(Fixtures.spaced("proxied status", p95Micros, 200, spacingMs)));
    }

    @Test
    void aP95GrowthBeyondTheThresholdIsARegression() {
        List<MetricChange> changes = comparison.compare(
                List.of(run("2026-11-27T05:00:00Z", 1_000, 10)), List.of(run("2026-11-28T05:00:00Z", 1_300, 10)));
        assertThat(BaselineComparison.regressions(changes)).singleElement().satisfies(r -> {
            assertThat(r.metric()).isEqualTo("proxied status");
            assertThat(r.statistic()).isEqualTo(BaselineComparison.P95);
            assertThat(r.changePercent()).isCloseTo(30.0, org.assertj.core.data.Offset.offset(1e-9));
        });
    }

    @Test
    void aGrowthWithinTheThresholdIsNot() {
        List<MetricChange> changes = comparison.compare(
                List.of(run("2026-11-27T05:00:00Z", 1_000, 10)), List.of(run("2026-11-28T05:00:00Z", 1_150, 10)));
        assertThat(changes).hasSize(2);
        assertThat(BaselineComparison.regressions(changes)).isEmpty();
    }

    @Test
    void aThroughputLossBeyondTheThresholdIsARegression() {
        // 100 per second before, 50 per second now; latency unchanged.
        List<MetricChange> changes = comparison.compare(
                List.of(run("2026-11-27T05:00:00Z", 1_000, 10)), List.of(run("2026-11-28T05:00:00Z", 1_000, 20)));
        assertThat(BaselineComparison.regressions(changes)).singleElement().satisfies(r -> {
            assertThat(r.statistic()).isEqualTo(BaselineComparison.THROUGHPUT);
            assertThat(r.baseline()).isEqualTo(100.0);
            assertThat(r.current()).isEqualTo(50.0);
        });
    }

    @Test
    void anImprovementAndMicrosecondNoiseAreNot() {
        assertThat(BaselineComparison.regressions(comparison.compare(
                        List.of(run("2026-11-27T05:00:00Z", 1_000, 20)),
                        List.of(run("2026-11-28T05:00:00Z", 500, 10)))))
                .isEmpty();
        // 4 us -> 8 us is +100% but far below the 0.05 ms floor.
        assertThat(BaselineComparison.regressions(comparison.compare(
                        List.of(run("2026-11-27T05:00:00Z", 4, 10)), List.of(run("2026-11-28T05:00:00Z", 8, 10)))))
                .isEmpty();
    }

    /** Three repetitions of one suite, their p95s {@code micros}. */
    private static List<RunResults> suite(String suite, String day, long... micros) {
        List<RunResults> runs = new java.util.ArrayList<>();
        for (int i = 0; i < micros.length; i++) {
            runs.add(Fixtures.suiteRun(
                    "ThrottleOverheadSimulation",
                    day + "T05:0" + i + ":00Z",
                    suite,
                    i + 1,
                    dev.outlayer.bench.results.RunMetadata.FULL,
                    List.of(),
                    List.of(Fixtures.spaced("proxied status", micros[i], 200, 10)),
                    List.of()));
        }
        return runs;
    }

    @Test
    void theGateComparesMediansAndWantsTheRangesApart() {
        // Median 1.0 -> 1.3 ms (+30%), but one current run (0.95 ms) is as fast as the baseline's slowest: noise.
        List<MetricChange> overlapping = comparison.compare(
                suite("a", "2026-11-27", 900, 1_000, 1_100), suite("b", "2026-11-28", 950, 1_300, 1_400));
        MetricChange p95 = overlapping.stream()
                .filter(c -> c.statistic().equals(BaselineComparison.P95))
                .findFirst()
                .orElseThrow();
        assertThat(p95.baselineRuns()).isEqualTo(new MetricChange.Spread(1.0, 0.9, 1.1, 3));
        assertThat(p95.currentRuns().median()).isEqualTo(1.3);
        assertThat(p95.regressed()).isFalse();

        // Every current run slower than every baseline run, the medians 30% apart: a regression.
        assertThat(BaselineComparison.regressions(comparison.compare(
                        suite("a", "2026-11-27", 900, 1_000, 1_100), suite("b", "2026-11-28", 1_200, 1_300, 1_400))))
                .singleElement()
                .satisfies(r -> assertThat(r.currentRuns().n()).isEqualTo(3));
    }

    @Test
    void aFailedRunIsNotComparedAndTheNewestSuiteIsTheCurrentOne() {
        List<RunResults> current = new java.util.ArrayList<>(suite("a", "2026-11-27", 1_000, 1_000, 1_000));
        current.addAll(suite("b", "2026-11-28", 1_000, 1_000));
        // Repetition 3 of b failed its assertions: its 5 ms p95 must not count.
        current.add(Fixtures.suiteRun(
                "ThrottleOverheadSimulation",
                "2026-11-28T05:09:00Z",
                "b",
                3,
                dev.outlayer.bench.results.RunMetadata.FULL,
                List.of("proxied status: count of failed events is 0 : false"),
                List.of(Fixtures.spaced("proxied status", 5_000, 200, 10)),
                List.of()));
        List<MetricChange> changes = comparison.compare(suite("a", "2026-11-27", 1_000, 1_000, 1_000), current);
        assertThat(changes)
                .filteredOn(c -> c.statistic().equals(BaselineComparison.P95))
                .singleElement()
                .satisfies(c -> {
                    assertThat(c.currentRuns().n()).isEqualTo(2);
                    assertThat(c.regressed()).isFalse();
                });
    }

    @Test
    void theCliGateExitsNonZeroOnlyWhenAskedAndRegressed(@TempDir Path dir) {
        ResultsFiles.write(run("2026-11-27T05:00:00Z", 1_000, 10), dir.resolve("baseline"));
        ResultsFiles.write(run("2026-11-28T05:00:00Z", 2_000, 10), dir.resolve("worse"));
        ResultsFiles.write(run("2026-11-28T05:00:00Z", 1_010, 10), dir.resolve("same"));
        String baseline = dir.resolve("baseline/results.json").toString();

        assertThat(ReportsCli.run(
                        "compare",
                        "--baseline",
                        baseline,
                        "--current",
                        dir.resolve("worse").toString(),
                        "--fail-on-regression"))
                .isEqualTo(ReportsCli.REGRESSION);
        assertThat(ReportsCli.run(
                        "compare",
                        "--baseline",
                        baseline,
                        "--current",
                        dir.resolve("worse").toString()))
                .isZero();
        assertThat(ReportsCli.run(
                        "compare",
                        "--baseline",
                        baseline,
                        "--current",
                        dir.resolve("same").toString(),
                        "--fail-on-regression"))
                .isZero();
        assertThat(ReportsCli.run(
                        "compare",
                        "--baseline",
                        baseline,
                        "--current",
                        dir.resolve("worse").toString(),
                        "--threshold",
                        "150",
                        "--fail-on-regression"))
                .isZero();
    }
}
