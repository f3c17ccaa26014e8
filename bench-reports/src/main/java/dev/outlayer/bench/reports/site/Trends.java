package dev.outlayer.bench.reports.site;

import static dev.outlayer.bench.reports.site.Html.esc;

import dev.outlayer.bench.reports.matrix.EvaluatedRow;
import dev.outlayer.bench.reports.matrix.EvaluatedRow.EvaluatedCell;
import dev.outlayer.bench.reports.matrix.MatrixRow;
import dev.outlayer.bench.reports.matrix.PerformanceMatrix;
import dev.outlayer.bench.reports.matrix.Verdict;
import dev.outlayer.bench.reports.results.RunSet;
import java.util.ArrayList;
import java.util.List;

/**
 * trends.html: for each matrix row, its median and spread over the suites kept in the site (of the
 * form the matrix shows), oldest to newest, commit and date on the x axis, as continuous-benchmarking
 * dashboards show it: a step up that the spread does not cover is a regression to look at.
 */
final class Trends {

    private Trends() {}

    static String page(Summary summary) {
        StringBuilder body = new StringBuilder("<h2>Trends over the kept suite runs</h2>\n");
        List<RunSet> history = summary.history();
        body.append("<p class=\"muted\">")
                .append(history.size())
                .append(" suite run(s) of this form in the site. Each point is a suite's median over its repetitions;"
                        + " the bar spans min to max; a cross marks a suite whose runs failed. Dashed lines: Target"
                        + " (green) and Acceptable (amber).</p>\n");
        if (history.isEmpty()) {
            body.append(
                    "<p>No suite run yet: run <code>reports/suite</code> (each suite adds one point per row).</p>\n");
            return Html.page("OutLayer Bench: trends", summary, body.toString());
        }
        List<String> labels = history.stream().map(Trends::label).toList();
        List<List<EvaluatedRow>> targetBySet = new ArrayList<>();
        List<List<EvaluatedRow>> summaryBySet = new ArrayList<>();
        for (RunSet set : history) {
            targetBySet.add(EvaluatedRow.evaluate(PerformanceMatrix.targetMatrix(), set));
            summaryBySet.add(EvaluatedRow.evaluate(PerformanceMatrix.summaryTable(), set));
        }
        body.append("<h3>Target Performance Matrix</h3>\n");
        charts(body, PerformanceMatrix.targetMatrix(), targetBySet, labels, "target");
        body.append("<h3>Complete Summary Table</h3>\n");
        charts(body, PerformanceMatrix.summaryTable(), summaryBySet, labels, "summary");
        return Html.page("OutLayer Bench: trends", summary, body.toString());
    }

    private static void charts(
            StringBuilder body, List<MatrixRow> rows, List<List<EvaluatedRow>> bySet, List<String> labels, String id) {
        for (int r = 0; r < rows.size(); r++) {
            MatrixRow row = rows.get(r);
            List<SvgCharts.Trend> lines = new ArrayList<>();
            String unit = "";
            for (int c = 0; c < row.cells().size(); c++) {
                if (row.cells().get(c).measure() == null) {
                    continue;
                }
                List<SvgCharts.TrendPoint> points = new ArrayList<>();
                boolean any = false;
                for (List<EvaluatedRow> set : bySet) {
                    EvaluatedCell cell = set.get(r).cells().get(c);
                    if (cell.measurement().isEmpty()) {
                        points.add(null);
                        continue;
                    }
                    any = true;
                    unit = cell.measurement().get().unit();
                    points.add(
                            cell.verdict() == Verdict.FAILED
                                    ? SvgCharts.TrendPoint.failed(cell.detail())
                                    : new SvgCharts.TrendPoint(
                                            cell.measurement().get().value(),
                                            cell.measurement().get().min(),
                                            cell.measurement().get().max(),
                                            cell.measurement().get().n(),
                                            null));
                }
                if (any) {
                    lines.add(new SvgCharts.Trend(row.cells().get(c).column(), points));
                }
            }
            String title = (row.group().isEmpty() ? "" : row.group() + ": ") + row.metric();
            body.append("<section class=\"trend\" id=\"")
                    .append(esc(id + "-" + r))
                    .append("\">");
            if (lines.isEmpty()) {
                body.append("<p class=\"muted\">").append(esc(title)).append(": not measured in any kept suite.</p>");
            } else {
                body.append(SvgCharts.trend(
                        title,
                        labels,
                        lines,
                        unit,
                        row.threshold().target(),
                        row.threshold().acceptable()));
            }
            body.append("</section>\n");
        }
    }

    /** "abc1234 12-03 23:40": the commit and the date of a suite. */
    private static String label(RunSet set) {
        String commit = set.commits().isEmpty() ? "?" : set.commits().get(0);
        commit = commit.length() > 7 ? commit.substring(0, 7) : commit;
        String started = set.started().toString();
        return commit + " " + started.substring(5, 10) + " " + started.substring(11, 16);
    }
}
