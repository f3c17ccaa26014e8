package dev.outlayer.bench.reports.site;

import dev.outlayer.bench.reports.compare.BaselineComparison;
import dev.outlayer.bench.reports.compare.MetricChange;
import java.util.List;

/** A baseline comparison as the summary shows it. */
public record Comparison(String baseline, double thresholdPercent, List<MetricChange> changes) {

    public List<MetricChange> regressions() {
        return BaselineComparison.regressions(changes);
    }
}
