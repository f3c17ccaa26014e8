package dev.outlayer.bench.reports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.reports.matrix.MatrixRow;
import dev.outlayer.bench.reports.matrix.PerformanceMatrix;
import dev.outlayer.bench.reports.matrix.Threshold;
import dev.outlayer.bench.reports.matrix.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class ThresholdTest {

    private static final double EPS = 1e-6;

    @Test
    void strictBoundsPutTheBoundItselfOnTheWorseSide() {
        Threshold direct = Threshold.below(10, 50);
        assertThat(direct.verdict(9.999)).isEqualTo(Verdict.GREEN);
        assertThat(direct.verdict(10)).isEqualTo(Verdict.AMBER);
        assertThat(direct.verdict(49.999)).isEqualTo(Verdict.AMBER);
        assertThat(direct.verdict(50)).isEqualTo(Verdict.RED);
    }

    @Test
    void inclusiveBoundsKeepTheBoundOnTheBetterSide() {
        Threshold overhead = Threshold.atMost(3, 5);
        assertThat(overhead.verdict(3)).isEqualTo(Verdict.GREEN);
        assertThat(overhead.verdict(3.01)).isEqualTo(Verdict.AMBER);
        assertThat(overhead.verdict(5)).isEqualTo(Verdict.AMBER);
        assertThat(overhead.verdict(5.01)).isEqualTo(Verdict.RED);
    }

    @Test
    void higherIsBetterForRates() {
        Threshold rate = Threshold.atLeast(100, 50);
        assertThat(rate.verdict(100)).isEqualTo(Verdict.GREEN);
        assertThat(rate.verdict(99.9)).isEqualTo(Verdict.AMBER);
        assertThat(rate.verdict(50)).isEqualTo(Verdict.AMBER);
        assertThat(rate.verdict(49.9)).isEqualTo(Verdict.RED);
        assertThat(rate.verdict(Double.NaN)).isEqualTo(Verdict.NOT_MEASURED);
    }

    /** Every row of both spec tables: green just inside the Target, amber on either side of Acceptable, red beyond. */
    @TestFactory
    Stream<DynamicTest> everyRowIsColouredOnBothSidesOfBothBounds() {
        List<MatrixRow> rows = new ArrayList<>(PerformanceMatrix.targetMatrix());
        rows.addAll(PerformanceMatrix.summaryTable());
        return rows.stream()
                .map(row -> DynamicTest.dynamicTest(row.metric(), () -> {
                    Threshold t = row.threshold();
                    double better = t.higherIsBetter() ? EPS : -EPS;
                    assertThat(t.verdict(t.target() + better))
                            .as("just better than target %s", row.target())
                            .isEqualTo(Verdict.GREEN);
                    assertThat(t.verdict(t.target() - better))
                            .as("just worse than target %s", row.target())
                            .isEqualTo(Verdict.AMBER);
                    assertThat(t.verdict(t.acceptable() + better))
                            .as("just better than acceptable %s", row.acceptable())
                            .isEqualTo(Verdict.AMBER);
                    assertThat(t.verdict(t.acceptable() - better))
                            .as("just worse than acceptable %s", row.acceptable())
                            .isEqualTo(Verdict.RED);
                    assertThat(t.higherIsBetter() ? t.acceptable() < t.target() : t.acceptable() > t.target())
                            .as("acceptable is looser than target")
                            .isTrue();
                }));
    }

    @Test
    void theSpecsBoundsAreTheOnesInTheMatrix() {
        assertThat(PerformanceMatrix.targetMatrix())
                .extracting(
                        MatrixRow::metric,
                        r -> r.threshold().target(),
                        r -> r.threshold().acceptable())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("Direct WASM execution", 10.0, 50.0),
                        org.assertj.core.groups.Tuple.tuple("Linux mode overhead", 3.0, 5.0),
                        org.assertj.core.groups.Tuple.tuple("RPC proxy latency", 20.0, 100.0),
                        org.assertj.core.groups.Tuple.tuple("Throttle check time", 1.0, 5.0),
                        org.assertj.core.groups.Tuple.tuple("Memory per contract", 5.0, 20.0),
                        org.assertj.core.groups.Tuple.tuple("Concurrent requests", 100.0, 50.0),
                        org.assertj.core.groups.Tuple.tuple("Secrets decryption", 100.0, 200.0));
    }
}
