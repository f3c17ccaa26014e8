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
