package dev.outlayer.bench.reports.site;

import dev.outlayer.bench.reports.matrix.EvaluatedRow;
import dev.outlayer.bench.reports.matrix.PerformanceMatrix;
import dev.outlayer.bench.reports.results.RunCatalog;
import dev.outlayer.bench.reports.results.RunSet;
import dev.outlayer.bench.reports.results.RunSets;
import java.util.List;
import java.util.Optional;

/**
 * Everything the site's pages show, evaluated once: the matrices over one run set (a suite
 * invocation in one form), and the suites of that form kept in the site, for the trends.
 */
public record Summary(
        String generatedAt,
        RunCatalog catalog,
        Optional<RunSet> set,
        List<RunSet> history,
        List<EvaluatedRow> targetMatrix,
        List<EvaluatedRow> summaryTable,
        Optional<Comparison> comparison) {

    /** @param suite the suite to show, or null for the newest */
    public static Summary of(String generatedAt, RunCatalog catalog, String suite, Optional<Comparison> comparison) {
        Optional<RunSet> set = RunSets.select(catalog.runs(), suite);
        if (suite != null && set.isEmpty()) {
            throw new IllegalArgumentException("no suite '" + suite + "' among the collected runs");
        }
        List<RunSet> history = set.map(s -> RunSets.suites(catalog.runs()).stream()
                        .filter(h -> h.form().equals(s.form()))
                        .toList())
                .orElse(List.of());
        return new Summary(
                generatedAt,
                catalog,
                set,
                history,
                EvaluatedRow.evaluate(PerformanceMatrix.targetMatrix(), set.orElse(null)),
                EvaluatedRow.evaluate(PerformanceMatrix.summaryTable(), set.orElse(null)),
                comparison);
    }

    /** The runs the matrices come from, as a catalog (for the charts of a single run). */
    public RunCatalog setCatalog() {
        return new RunCatalog(set.map(RunSet::runs).orElse(List.of()));
    }

    /** What every page says about the numbers it shows. */
    public String setDescription() {
        return set.map(RunSet::describe).orElse("no runs collected yet");
    }

    public boolean ciForm() {
        return set.map(RunSet::ciForm).orElse(false);
    }
}
