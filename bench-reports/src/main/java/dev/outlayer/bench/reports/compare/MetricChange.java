package dev.outlayer.bench.reports.compare;

import java.util.Locale;

/**
 * One statistic of one metric, baseline against current: the median over each side's runs
 * (repetitions of one suite) and their spread.
 */
public record MetricChange(
        String simulation,
        String metric,
        String statistic,
        Spread baselineRuns,
        Spread currentRuns,
        double changePercent,
        boolean regressed) {

    /** Median, min, max and count of one statistic over a set's runs. */
    public record Spread(double median, double min, double max, int n) {
        public String describe() {
            return String.format(Locale.ROOT, "%.3f [%.3f-%.3f] n=%d", median, min, max, n);
        }
    }

    public double baseline() {
        return baselineRuns.median();
    }

    public double current() {
        return currentRuns.median();
    }
}
