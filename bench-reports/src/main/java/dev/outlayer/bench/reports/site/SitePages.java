package dev.outlayer.bench.reports.site;

import static dev.outlayer.bench.reports.site.Html.esc;

import dev.outlayer.bench.reports.compare.MetricChange;
import dev.outlayer.bench.reports.results.CollectedRun;
import dev.outlayer.bench.results.MetricResult;
import dev.outlayer.bench.results.NamedValue;
import dev.outlayer.bench.results.ResultsFiles;
import dev.outlayer.bench.results.RunResults;
import java.util.Locale;

/** index.html (the matrix at a glance and every run) and summary.html (everything the runs measured). */
final class SitePages {

    private SitePages() {}

    static String index(Summary summary) {
        StringBuilder body = new StringBuilder();
        body.append("<h2>Success criteria: Target Performance Matrix</h2>\n")
                .append(
                        "<p class=\"muted\">Per row: the median over the run set's repetitions (linked to the median run), min-max and run count. Details, the Complete Summary Table and charts: <a href=\"summary.html\">full summary</a>; each row over the kept suites: <a href=\"trends.html\">trends</a>.</p>\n")
                .append(MatrixTables.tally(summary.targetMatrix()))
                .append(MatrixTables.targetMatrix(summary.targetMatrix()));
        summary.comparison().ifPresent(c -> body.append(comparisonHeadline(c)));
        body.append("<h2>Runs</h2>\n").append(runs(summary));
        return Html.page("OutLayer Bench: runs and success criteria", summary, body.toString());
    }

    static String summary(Summary summary) {
        StringBuilder body = new StringBuilder();
        body.append("<h2>Target Performance Matrix</h2>\n")
                .append(MatrixTables.tally(summary.targetMatrix()))
                .append(MatrixTables.targetMatrix(summary.targetMatrix()))
                .append("<h2>Complete Summary Table</h2>\n")
                .append(
                        "<p class=\"muted\">The spec's projections are shown as \"spec:\" in each cell. The Targets are the spec's; the spec gives no Acceptable for this table, so Acceptable (marked \"ours\") is this project's: the Target loosened twofold.</p>\n")
                .append(MatrixTables.tally(summary.summaryTable()))
                .append(MatrixTables.summaryTable(summary.summaryTable()));
        summary.comparison().ifPresent(c -> body.append(comparison(c)));
        body.append(SummaryCharts.all(summary.setCatalog()));
        body.append("<h2>Latest run of each simulation in the set</h2>\n")
                .append(
                        "<p class=\"muted\">Client times are measured around each request (microsecond clock); server phases come from the target's Server-Timing header. A phase named <code>sum</code> adds up a response's phases.</p>\n");
        for (CollectedRun run : summary.setCatalog().latestPerSimulation()) {
            body.append(runDetail(run));
        }
        return Html.page("OutLayer Bench: summary", summary, body.toString());
    }

    private static String runs(Summary summary) {
        if (summary.catalog().runs().isEmpty()) {
            return "<p>No runs collected yet. Run a simulation, then <code>reports/build</code>.</p>\n";
        }
        StringBuilder out = new StringBuilder("""
        <table id="runs">
        <thead><tr><th>Simulation</th><th>Run</th><th>Suite</th><th>Form</th><th>Assertions</th><th>Started (UTC)</th><th>Duration</th><th>Requests</th><th>KO</th><th>Commit</th><th>Files</th></tr></thead>
        <tbody>
        """);
        for (CollectedRun run : summary.catalog().runs()) {
            RunResults r = run.results();
            out.append("<tr><td>")
                    .append(esc(run.simulation()))
                    .append("</td><td>")
                    .append(esc(run.timestamp()))
                    .append("</td>");
            if (r != null) {
                out.append("<td>")
                        .append(esc(suiteOf(r)))
                        .append("</td><td>")
                        .append(esc(r.form()))
                        .append("</td>")
                        .append(assertions(r));
                long requests = r.metrics().stream()
                        .filter(m -> m.source() == MetricResult.Source.CLIENT)
                        .mapToLong(MetricResult::count)
                        .sum();
                long ko = r.metrics().stream()
                        .filter(m -> m.source() == MetricResult.Source.CLIENT)
                        .mapToLong(MetricResult::ko)
                        .sum();
                String commit = r.metadata() == null || r.metadata().gitCommit() == null
                        ? ""
                        : r.metadata().gitCommit();
                out.append("<td>")
                        .append(esc(r.startedAt().replace('T', ' ').replaceAll("\\.\\d+Z$", "Z")))
                        .append("</td>")
                        .append("<td class=\"num\">")
                        .append(esc(String.format(
                                Locale.ROOT, "%.1f s", r.duration().toMillis() / 1000.0)))
                        .append("</td>")
                        .append("<td class=\"num\">")
                        .append(requests)
                        .append("</td><td class=\"num\">")
                        .append(ko)
                        .append("</td>")
                        .append("<td><code>")
                        .append(esc(commit.length() > 10 ? commit.substring(0, 10) : commit))
                        .append("</code></td>");
            } else {
                out.append(
                        "<td colspan=\"8\" class=\"muted\">no results.json (the simulation does not use the results recorder)</td>");
            }
            out.append("<td>");
            if (run.hasGatlingHtml()) {
                out.append("<a href=\"").append(esc(run.folder())).append("/index.html\">Gatling report</a> ");
            }
            if (r != null) {
                out.append("<a href=\"")
                        .append(esc(run.folder()))
                        .append('/')
                        .append(ResultsFiles.JSON)
                        .append("\">results.json</a> ")
                        .append("<a href=\"")
                        .append(esc(run.folder()))
                        .append('/')
                        .append(ResultsFiles.CSV)
                        .append("\">results.csv</a>");
            }
            out.append("</td></tr>\n");
        }
        return out.append("</tbody></table>\n").toString();
    }

    private static String suiteOf(RunResults r) {
        if (r.metadata() == null || r.metadata().suite() == null) {
            return "";
        }
        return r.metadata().suite() + " #" + r.metadata().repetition() + "/"
                + r.metadata().repetitions();
    }

    /** Passed, failed (with what) or not checked (run outside the suite runner). */
    private static String assertions(RunResults r) {
        if (r.assertions().knownFailed()) {
            return "<td class=\"failed\" title=\""
                    + esc(String.join("; ", r.assertions().failed())) + "\">failed: "
                    + esc(String.join("; ", r.assertions().failed())) + "</td>";
        }
        return r.assertions().knownPassed()
                ? "<td class=\"green\">passed</td>"
                : "<td class=\"muted\" title=\"Gatling's assertions are known only to the suite runner\">verdicts passed; Gatling's not checked</td>";
    }

    private static String runDetail(CollectedRun run) {
        RunResults r = run.results();
        StringBuilder out = new StringBuilder();
        out.append("<h3 id=\"")
                .append(esc(run.simulation()))
                .append("\">")
                .append(esc(run.simulation()))
                .append(" <small class=\"muted\">")
                .append(esc(run.timestamp()))
                .append("</small></h3>\n");
        out.append("<p class=\"muted\">");
        if (r.metadata() != null) {
            out.append("target ")
                    .append(esc(r.metadata().targetUrl()))
                    .append(" · commit ")
                    .append(esc(r.metadata().gitCommit()))
                    .append(" · ")
                    .append(esc(r.metadata().javaVersion()))
                    .append(" · ")
                    .append(r.metadata().cpuCount())
                    .append(" CPUs · ")
                    .append(esc(r.metadata().host()))
                    .append(" · ")
                    .append(esc(r.form()))
                    .append(" form");
            if (r.metadata().suite() != null) {
                out.append(" · suite ").append(esc(suiteOf(r)));
            }
            if (r.metadata().target() != null) {
                out.append("<br>target ")
                        .append(esc(r.metadata().target().kind()))
                        .append(", version ")
                        .append(esc(r.metadata().target().version()))
                        .append(", commit ")
                        .append(esc(r.metadata().target().commit()))
                        .append(", flags <code>")
                        .append(esc(r.metadata().target().flags()))
                        .append("</code>");
            }
            if (r.metadata().loadStart() != null) {
                out.append("<br>load average ")
                        .append(String.format(Locale.ROOT, "%.2f", r.metadata().loadStart()))
                        .append(" at start, ")
                        .append(String.format(Locale.ROOT, "%.2f", r.metadata().loadEnd()))
                        .append(" at end · ")
                        .append(esc(r.metadata().jvm()));
            }
        }
        if (r.sources().size() > 1) {
            out.append(" · merged from ").append(r.sources().size()).append(" load generators");
        }
        if (!r.parameters().isEmpty()) {
            out.append("<br>parameters: ");
            r.parameters()
                    .forEach((k, v) -> out.append("<code>")
                            .append(esc(k))
                            .append('=')
                            .append(esc(v))
                            .append("</code> "));
        }
        out.append(" · <a href=\"").append(esc(run.link())).append("\">run</a></p>\n");
        out.append("""
        <table class="metrics"><thead><tr><th>Metric</th><th>Source</th><th>Count</th><th>OK</th><th>KO</th><th>Mean ms</th><th>p50</th><th>p90</th><th>p95</th><th>p99</th><th>Max</th><th>Throughput/s</th></tr></thead><tbody>
        """);
        for (MetricResult m : r.metrics()) {
            out.append("<tr><td>")
                    .append(esc(m.id()))
                    .append("</td><td>")
                    .append(esc(m.source().json()))
                    .append(
                            m.source() == MetricResult.Source.CLIENT
                                    ? " " + esc(m.attempt().json())
                                    : "")
                    .append("</td>");
            num(out, m.count());
            num(out, m.ok());
            num(out, m.ko());
            for (double v : new double[] {m.meanMs(), m.p50Ms(), m.p90Ms(), m.p95Ms(), m.p99Ms(), m.maxMs()}) {
                out.append("<td class=\"num\">")
                        .append(String.format(Locale.ROOT, "%.3f", v))
                        .append("</td>");
            }
            out.append("<td class=\"num\">")
                    .append(m.throughputRps() == null ? "" : String.format(Locale.ROOT, "%.1f", m.throughputRps()))
                    .append("</td></tr>\n");
        }
        out.append("</tbody></table>\n");
        if (!r.values().isEmpty()) {
            out.append("<table class=\"values\"><thead><tr><th>Value</th><th>Measured</th></tr></thead><tbody>\n");
            for (NamedValue v : r.values()) {
                out.append("<tr><td>")
                        .append(esc(v.name()))
                        .append("</td><td class=\"num\">")
                        .append(esc(SvgCharts.number(v.value()) + " " + v.unit()))
                        .append("</td></tr>\n");
            }
            out.append("</tbody></table>\n");
        }
        return out.toString();
    }

    private static void num(StringBuilder out, long value) {
        out.append("<td class=\"num\">").append(value).append("</td>");
    }

    private static String comparisonHeadline(Comparison c) {
        int n = c.regressions().size();
        return "<p class=\"tally\"><span class=\"" + (n == 0 ? "green" : "red") + "\">" + n + " regression"
                + (n == 1 ? "" : "s")
                + " against baseline " + esc(c.baseline()) + " (threshold " + SvgCharts.number(c.thresholdPercent())
                + "%)</span> <a href=\"summary.html#comparison\">details</a></p>\n";
    }

    private static String comparison(Comparison c) {
        StringBuilder out = new StringBuilder("<h2 id=\"comparison\">Against baseline</h2>\n")
                .append(
                        "<p class=\"muted\">Medians over each side's runs; a regression also needs the ranges apart (every current run worse than every baseline run).</p>\n")
                .append(comparisonHeadline(c).replace(" <a href=\"summary.html#comparison\">details</a>", ""));
        out.append(
                "<table id=\"comparison-table\"><thead><tr><th>Simulation</th><th>Metric</th><th>Statistic</th><th>Baseline median [min-max] n</th><th>Current median [min-max] n</th><th>Change of medians</th></tr></thead><tbody>\n");
        for (MetricChange change : c.changes()) {
            out.append("<tr><td>")
                    .append(esc(change.simulation()))
                    .append("</td><td>")
                    .append(esc(change.metric()))
                    .append("</td><td>")
                    .append(esc(change.statistic()))
                    .append("</td><td class=\"num\">")
                    .append(esc(change.baselineRuns().describe()))
                    .append("</td><td class=\"num\">")
                    .append(esc(change.currentRuns().describe()))
                    .append("</td><td class=\"num ")
                    .append(change.regressed() ? "red" : "")
                    .append("\">")
                    .append(esc(percent(change.changePercent())))
                    .append("</td></tr>\n");
        }
        return out.append("</tbody></table>\n").toString();
    }

    static String percent(double change) {
        return Double.isFinite(change) ? String.format(Locale.ROOT, "%+.1f%%", change) : "new";
    }
}
