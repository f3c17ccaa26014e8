package dev.outlayer.bench.reports.site;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.reports.compare.MetricChange;
import dev.outlayer.bench.reports.matrix.EvaluatedRow;
import dev.outlayer.bench.reports.matrix.EvaluatedRow.EvaluatedCell;
import dev.outlayer.bench.reports.results.CollectedRun;
import dev.outlayer.bench.results.ResultsFiles;
import java.util.List;

/** summary.json: the same verdicts for machines (dashboards, bots). */
final class SummaryJson {

    private SummaryJson() {}

    static String render(Summary summary) {
        ObjectNode root = ResultsFiles.MAPPER.createObjectNode();
        root.put("generated_at", summary.generatedAt());
        ObjectNode set = root.putObject("run_set");
        summary.set().ifPresent(s -> {
            set.put("id", s.id());
            set.put("suite", s.suite());
            set.put("form", s.form());
            set.put("repetitions", s.repetitions());
            set.put("started_at", s.started().toString());
            set.putPOJO("commits", s.commits());
        });
        set.put("description", summary.setDescription());
        set.put("ci_form", summary.ciForm());
        root.set("target_matrix", rows(summary.targetMatrix()));
        root.set("summary_table", rows(summary.summaryTable()));
        ArrayNode runs = root.putArray("runs");
        for (CollectedRun run : summary.catalog().runs()) {
            ObjectNode r = runs.addObject();
            r.put("simulation", run.simulation());
            r.put("timestamp", run.timestamp());
            r.put("folder", run.folder());
            r.put("gatling_html", run.hasGatlingHtml());
            r.put("has_results", run.results() != null);
            if (run.results() != null) {
                r.put("started_at", run.results().startedAt());
                r.put("ended_at", run.results().endedAt());
                r.put("form", run.results().form());
                if (run.results().metadata() != null && run.results().metadata().suite() != null) {
                    r.put("suite", run.results().metadata().suite());
                    r.put("repetition", run.results().metadata().repetition());
                }
                r.putPOJO("assertions", run.results().assertions());
            }
        }
        summary.comparison().ifPresent(c -> {
            ObjectNode comparison = root.putObject("comparison");
            comparison.put("baseline", c.baseline());
            comparison.put("threshold_percent", c.thresholdPercent());
            comparison.put("regressions", c.regressions().size());
            ArrayNode changes = comparison.putArray("changes");
            for (MetricChange change : c.changes()) {
                ObjectNode node = changes.addObject();
                node.put("simulation", change.simulation());
                node.put("metric", change.metric());
                node.put("statistic", change.statistic());
                node.put("baseline", change.baseline());
                node.put("current", change.current());
                node.putPOJO("baseline_runs", change.baselineRuns());
                node.putPOJO("current_runs", change.currentRuns());
                if (Double.isFinite(change.changePercent())) {
                    node.put("change_percent", change.changePercent());
                } else {
                    node.putNull("change_percent");
                }
                node.put("regressed", change.regressed());
            }
        });
        try {
            return ResultsFiles.MAPPER.writeValueAsString(root);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ArrayNode rows(List<EvaluatedRow> rows) {
        ArrayNode array = ResultsFiles.MAPPER.createArrayNode();
        for (EvaluatedRow row : rows) {
            ObjectNode r = array.addObject();
            if (!row.row().group().isEmpty()) {
                r.put("group", row.row().group());
            }
            r.put("metric", row.row().metric());
            r.put("target", row.row().target());
            r.put("acceptable", row.row().acceptable());
            r.put("target_origin", row.row().targetOrigin().shortLabel());
            r.put("acceptable_origin", row.row().acceptableOrigin().shortLabel());
            ArrayNode cells = r.putArray("cells");
            for (EvaluatedCell cell : row.cells()) {
                ObjectNode c = cells.addObject();
                c.put("column", cell.cell().column());
                c.put("verdict", cell.verdict().css());
                c.put("display", cell.display());
                c.put("detail", cell.detail());
                cell.measurement().ifPresent(m -> {
                    if (!m.isFailed()) {
                        c.put("median", m.value());
                        c.put("min", m.min());
                        c.put("max", m.max());
                    }
                    c.put("n", m.n());
                    c.put("unit", m.unit());
                    c.put("run", m.run().folder());
                    c.put("link", m.run().link());
                    ArrayNode runs = c.putArray("runs");
                    m.runs().forEach(run -> runs.add(run.folder()));
                });
                c.put("how", cell.explanation());
                if (cell.cell().projected() != null && !cell.cell().projected().isEmpty()) {
                    c.put("spec_projection", cell.cell().projected());
                }
            }
        }
        return array;
    }
}
