package dev.outlayer.bench.reports.site;

import static dev.outlayer.bench.reports.site.Html.esc;

import dev.outlayer.bench.reports.matrix.EvaluatedRow;
import dev.outlayer.bench.reports.matrix.EvaluatedRow.EvaluatedCell;
import dev.outlayer.bench.reports.matrix.MatrixRow;
import dev.outlayer.bench.reports.matrix.PerformanceMatrix;
import dev.outlayer.bench.reports.matrix.Verdict;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The two spec tables as HTML: each measured cell shows the median over the set's runs (linked to the
 * median run), the spread and run count, its verdict and whose thresholds judge it.
 */
final class MatrixTables {

    private MatrixTables() {}

    static String tally(List<EvaluatedRow> rows) {
        Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
        rows.forEach(r -> r.cells().forEach(c -> counts.merge(c.verdict(), 1, Integer::sum)));
        StringBuilder out = new StringBuilder("<p class=\"tally\">");
        for (Verdict v : List.of(
                Verdict.GREEN,
                Verdict.AMBER,
                Verdict.RED,
                Verdict.INCONCLUSIVE,
                Verdict.FAILED,
                Verdict.NOT_MEASURED)) {
            out.append("<span class=\"")
                    .append(v.css())
                    .append("\">")
                    .append(counts.getOrDefault(v, 0))
                    .append(' ')
                    .append(esc(v.meaning()))
                    .append("</span>");
        }
        return out.append("</p>").toString();
    }

    static String targetMatrix(List<EvaluatedRow> rows) {
        StringBuilder out = new StringBuilder("""
        <table id="target-matrix" class="matrix">
        <thead><tr><th>Metric</th><th>Target</th><th>Acceptable</th><th>Measured</th><th>Notes</th></tr></thead>
        <tbody>
        """);
        for (EvaluatedRow row : rows) {
            out.append("<tr><th scope=\"row\">")
                    .append(esc(row.row().metric()))
                    .append("</th>")
                    .append(bounds(row.row()))
                    .append(cell(row.row(), row.cells().get(0), 1))
                    .append("<td>")
                    .append(esc(row.row().notes()))
                    .append("</td></tr>\n");
        }
        return out.append("</tbody></table>\n").toString();
    }

    static String summaryTable(List<EvaluatedRow> rows) {
        List<String> columns = PerformanceMatrix.summaryColumns();
        StringBuilder out =
                new StringBuilder("<table id=\"summary-table\" class=\"matrix\">\n<thead><tr><th>Metric</th>");
        columns.forEach(c -> out.append("<th>").append(esc(c)).append("</th>"));
        out.append("<th>Target</th><th>Acceptable</th></tr></thead>\n<tbody>\n");
        String group = null;
        for (EvaluatedRow row : rows) {
            if (!row.row().group().equals(group)) {
                group = row.row().group();
                out.append("<tr><td class=\"group\" colspan=\"")
                        .append(columns.size() + 3)
                        .append("\">")
                        .append(esc(group))
                        .append("</td></tr>\n");
            }
            out.append("<tr><th scope=\"row\">").append(esc(row.row().metric()));
            if (!row.row().notes().isEmpty()) {
                out.append("<br><small>").append(esc(row.row().notes())).append("</small>");
            }
            out.append("</th>");
            if (row.cells().size() == 1) {
                out.append(cell(row.row(), row.cells().get(0), columns.size()));
            } else {
                row.cells().forEach(c -> out.append(cell(row.row(), c, 1)));
            }
            out.append(bounds(row.row())).append("</tr>\n");
        }
        return out.append("</tbody></table>\n<p class=\"note\">")
                .append(esc(PerformanceMatrix.DEMO_REPRODUCTION))
                .append("</p>\n")
                .toString();
    }

    /** Target and Acceptable, each marked with whose bound it is. */
    private static String bounds(MatrixRow row) {
        return "<td>" + esc(row.target()) + " <small class=\"origin\">("
                + row.targetOrigin().shortLabel()
                + ")</small></td><td>" + esc(row.acceptable()) + " <small class=\"origin\">("
                + row.acceptableOrigin().shortLabel() + ")</small></td>";
    }

    private static String cell(MatrixRow row, EvaluatedCell cell, int span) {
        StringBuilder out =
                new StringBuilder("<td class=\"").append(cell.verdict().css()).append("\"");
        if (span > 1) {
            out.append(" colspan=\"").append(span).append("\"");
        }
        out.append(" title=\"")
                .append(esc(cell.verdict().meaning() + ". " + cell.explanation() + ". " + row.thresholdOrigins()))
                .append("\">");
        if (cell.measurement().isPresent()) {
            out.append("<a class=\"value\" href=\"")
                    .append(esc(cell.measurement().get().run().link()))
                    .append("\">")
                    .append(esc(cell.display()))
                    .append("</a>");
            if (cell.verdict() == Verdict.INCONCLUSIVE) {
                out.append(" <small class=\"verdict\">inconclusive</small>");
            }
            out.append("<br><small class=\"spread\">")
                    .append(esc(cell.detail()))
                    .append("</small><br><small>")
                    .append(esc(cell.measurement().get().run().simulation()))
                    .append("</small><br><small class=\"origin\">thresholds: target ")
                    .append(row.targetOrigin().shortLabel())
                    .append(", acceptable ")
                    .append(row.acceptableOrigin().shortLabel())
                    .append("</small>");
        } else {
            out.append("<span class=\"value\">").append(esc(cell.display())).append("</span>");
        }
        if (cell.cell().projected() != null && !cell.cell().projected().isEmpty()) {
            out.append("<br><small>spec: ").append(esc(cell.cell().projected())).append("</small>");
        }
        return out.append("</td>").toString();
    }
}
