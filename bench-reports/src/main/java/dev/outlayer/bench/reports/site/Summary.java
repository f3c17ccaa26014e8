package dev.outlayer.bench.reports.site;

import dev.outlayer.bench.reports.matrix.EvaluatedRow;
import dev.outlayer.bench.reports.matrix.PerformanceMatrix;
import dev.outlayer.bench.reports.results.RunCatalog;
import java.util.List;
import java.util.Optional;

/** Everything the site's pages show, evaluated once. */
public record Summary(
        String generatedAt,
        RunCatalog catalog,
        List<EvaluatedRow> targetMatrix,
        List<EvaluatedRow> summaryTable,
        Optional<Comparison> comparison) {

    public static Summary of(String generatedAt, RunCatalog catalog, Optional<Comparison> comparison) {
        return new Summary(
                generatedAt,
                catalog,
                EvaluatedRow.evaluate(PerformanceMatrix.targetMatrix(), catalog),
                EvaluatedRow.evaluate(PerformanceMatrix.summaryTable(), catalog),
                comparison);
    }
}
