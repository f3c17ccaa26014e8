package dev.outlayer.bench.reports.compare;

/** One statistic of one metric, baseline against current. */
public record MetricChange(
        String simulation,
        String metric,
        String statistic,
        double baseline,
        double current,
        double changePercent,
        boolean regressed) {}
