package dev.outlayer.bench.reports.matrix;

import dev.outlayer.bench.results.MetricResult;

/** Which statistic of a latency metric a matrix cell shows. */
public enum Stat {
    MEAN,
    P50,
    P95,
    P99,
    MAX;

    public double of(MetricResult metric) {
        return switch (this) {
            case MEAN -> metric.meanMs();
            case P50 -> metric.p50Ms();
            case P95 -> metric.p95Ms();
            case P99 -> metric.p99Ms();
            case MAX -> metric.maxMs();
        };
    }

    public String label() {
        return name().toLowerCase();
    }
}
