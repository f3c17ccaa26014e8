package dev.outlayer.bench.reports.site;

import dev.outlayer.bench.reports.compare.MetricChange;
import dev.outlayer.bench.reports.matrix.EvaluatedRow;
import dev.outlayer.bench.reports.matrix.EvaluatedRow.EvaluatedCell;
import dev.outlayer.bench.reports.matrix.PerformanceMatrix;
import dev.outlayer.bench.reports.matrix.Verdict;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** summary.md: the two tables and any regressions, for a pull-request comment. */
final class SummaryMarkdown {

    private SummaryMarkdown() {}

    static String render(Summary summary) {
        StringBuilder md = new StringBuilder("## OutLayer Bench summary");
        md.append(summary.ciForm() ? " (CI FORM)\n\n" : "\n\n");
        md.append("**Matrix built from:** ").append(summary.setDescription()).append("\n\n");
        md.append("Each cell: median over the runs, min-max, run count. 🟢 meets Target · 🟡 meets Acceptable only ·"
                + " 🔴 misses Acceptable · 🟣 inconclusive (spread wider than the distance to a bound) · ❌ failed"
                + " (a run's assertions failed) · ⚪ not measured. Bounds marked (ours) are this project's, the others"
                + " the spec's.\n\n");
        md.append("### Target Performance Matrix ")
                .append(tally(summary.targetMatrix()))
                .append("\n\n");
        md.append("| Metric | Target | Acceptable | Measured | Run |\n|---|---|---|---|---|\n");
        for (EvaluatedRow row : summary.targetMatrix()) {
            EvaluatedCell cell = row.cells().get(0);
            md.append("| ")
                    .append(row.row().metric())
                    .append(" | ")
                    .append(row.row().target())
                    .append(" | ")
                    .append(acceptable(row))
                    .append(" | ")
                    .append(cell(cell))
                    .append(" | ")
                    .append(run(cell))
                    .append(" |\n");
        }
        md.append("\n### Complete Summary Table ")
                .append(tally(summary.summaryTable()))
                .append("\n\n| Metric |");
        PerformanceMatrix.summaryColumns().forEach(c -> md.append(' ').append(c).append(" |"));
        md.append(" Target | Acceptable |\n|---|---|---|---|---|---|\n");
        for (EvaluatedRow row : summary.summaryTable()) {
            md.append("| ")
                    .append(row.row().group())
                    .append(": ")
                    .append(row.row().metric())
                    .append(" |");
            if (row.cells().size() == 1) {
                // Mode-independent: one value for every mode.
                md.append(' ').append(cell(row.cells().get(0))).append(" (all modes) | ← | ← |");
            } else {
                row.cells().forEach(c -> md.append(' ').append(cell(c)).append(" |"));
            }
            md.append(' ')
                    .append(row.row().target())
                    .append(" | ")
                    .append(acceptable(row))
                    .append(" |\n");
        }
        md.append("\n_").append(PerformanceMatrix.DEMO_REPRODUCTION).append("_\n");
        summary.comparison().ifPresent(c -> {
            List<MetricChange> regressions = c.regressions();
            md.append("\n### Against baseline (")
                    .append(c.baseline())
                    .append(", threshold ")
                    .append(SvgCharts.number(c.thresholdPercent()))
                    .append("%)\n\n");
            if (regressions.isEmpty()) {
                md.append("No regression in ").append(c.changes().size()).append(" compared statistics.\n");
            } else {
                md.append(
                        "| Simulation | Metric | Statistic | Baseline | Current | Change |\n|---|---|---|---|---|---|\n");
                for (MetricChange r : regressions) {
                    md.append("| ")
                            .append(r.simulation())
                            .append(" | ")
                            .append(r.metric())
                            .append(" | ")
                            .append(r.statistic())
                            .append(" | ")
                            .append(r.baselineRuns().describe())
                            .append(" | ")
                            .append(r.currentRuns().describe())
                            .append(" | 🔴 ")
                            .append(SitePages.percent(r.changePercent()))
                            .append(" |\n");
                }
            }
        });
        return md.toString();
    }

    private static String cell(EvaluatedCell cell) {
        String detail = cell.detail();
        return cell.verdict().emoji() + " " + cell.display() + (detail.isEmpty() ? "" : " <sub>" + detail + "</sub>");
    }

    private static String acceptable(EvaluatedRow row) {
        return row.row().acceptable()
                + (row.row().acceptableOrigin() == dev.outlayer.bench.reports.matrix.MatrixRow.Origin.PROJECT
                        ? " (ours)"
                        : "");
    }

    private static String run(EvaluatedCell cell) {
        return cell.measurement()
                .map(m -> m.run().simulation() + " " + m.run().timestamp())
                .orElse("");
    }

    private static String tally(List<EvaluatedRow> rows) {
        Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
        rows.forEach(r -> r.cells().forEach(c -> counts.merge(c.verdict(), 1, Integer::sum)));
        return "(🟢 " + counts.getOrDefault(Verdict.GREEN, 0) + " · 🟡 " + counts.getOrDefault(Verdict.AMBER, 0)
                + " · 🔴 " + counts.getOrDefault(Verdict.RED, 0) + " · 🟣 "
                + counts.getOrDefault(Verdict.INCONCLUSIVE, 0) + " · ❌ "
                + counts.getOrDefault(Verdict.FAILED, 0) + " · ⚪ "
                + counts.getOrDefault(Verdict.NOT_MEASURED, 0) + ")";
    }
}
