package dev.outlayer.bench.reports.site;

import static dev.outlayer.bench.reports.site.Html.esc;

import dev.outlayer.bench.reports.results.CollectedRun;
import dev.outlayer.bench.reports.results.RunCatalog;
import dev.outlayer.bench.results.MetricResult;
import dev.outlayer.bench.results.MetricResult.Attempt;
import dev.outlayer.bench.results.MetricResult.Source;
import dev.outlayer.bench.results.Series;
import dev.outlayer.bench.results.names.Measured.ApiKeyTier;
import dev.outlayer.bench.results.names.RequestName;
import dev.outlayer.bench.results.names.ServerPhase;
import dev.outlayer.bench.results.names.SimulationName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Picks the runs behind the summary's three charts and draws them. */
final class SummaryCharts {

    /** Warm-up requests would only squash the scale: the matrix ignores them too. */
    private static final Pattern WARM_UP = Pattern.compile("warm-?up", Pattern.CASE_INSENSITIVE);

    private SummaryCharts() {}

    static String all(RunCatalog catalog) {
        return "<h2 id=\"charts\">Charts</h2>\n" + latencyByMode(catalog) + tierComparison(catalog) + memory(catalog);
    }

    /** p50/p90/p95/p99 of every request of the latest mode comparison (client, and server sum). */
    static String latencyByMode(RunCatalog catalog) {
        Optional<CollectedRun> run = latestWithResults(catalog, SimulationName.EXECUTION_MODE)
                .or(() -> latestWithResults(catalog, SimulationName.COUNTER));
        if (run.isEmpty()) {
            return missing(
                    "Latency percentiles by mode",
                    SimulationName.EXECUTION_MODE.className() + " or " + SimulationName.COUNTER.className());
        }
        List<SvgCharts.Bars> bars = new ArrayList<>();
        for (MetricResult m : run.get().results().metrics()) {
            boolean client = m.source() == Source.CLIENT && m.attempt() == Attempt.FIRST;
            boolean serverSum = m.source() == Source.SERVER && ServerPhase.SUM.equals(m.phase());
            if ((client || serverSum)
                    && m.count() > 0
                    && !WARM_UP.matcher(m.request()).find()) {
                bars.add(new SvgCharts.Bars(
                        m.request() + (client ? " (client)" : " (server)"),
                        new double[] {m.p50Ms(), m.p90Ms(), m.p95Ms(), m.p99Ms()}));
            }
        }
        return figure(
                SvgCharts.groupedBars(
                        "Latency percentiles by mode: " + run.get().simulation() + " "
                                + run.get().timestamp(),
                        List.of("p50", "p90", "p95", "p99"),
                        bars,
                        "ms"),
                run.get());
    }

    /** Effective rate (ok responses per second, retries included) and first-attempt p95 per tier client. */
    static String tierComparison(RunCatalog catalog) {
        Optional<CollectedRun> run = latestWithResults(catalog, SimulationName.API_KEY_TIER);
        if (run.isEmpty()) {
            return missing("Tier comparison", SimulationName.API_KEY_TIER.className());
        }
        List<SvgCharts.Bars> rates = new ArrayList<>();
        List<SvgCharts.Bars> latencies = new ArrayList<>();
        for (RequestName client : List.of(ApiKeyTier.ANONYMOUS, ApiKeyTier.KEYED)) {
            double ok = 0;
            double p95 = 0;
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (MetricResult m : run.get().results().metrics()) {
                // A throttled client's first attempts are "<name> (first attempt)"; its retries, the retry metric of
                // "<name>".
                boolean firstAttempt =
                        m.attempt() == Attempt.FIRST && m.request().equals(client.firstAttempt());
                boolean retry = m.attempt() == Attempt.RETRY && m.request().equals(client.name());
                if (m.source() != Source.CLIENT || m.count() == 0 || !(firstAttempt || retry)) {
                    continue;
                }
                ok += m.ok();
                p95 = firstAttempt ? m.p95Ms() : p95;
                first = Math.min(first, m.firstStartMs());
                last = Math.max(last, m.lastEndMs());
            }
            if (first != Long.MAX_VALUE) {
                rates.add(new SvgCharts.Bars(client.name(), new double[] {ok / (Math.max(1, last - first) / 1000.0)}));
                latencies.add(new SvgCharts.Bars(client.name(), new double[] {p95}));
            }
        }
        if (rates.size() < 2) {
            return missing("Tier comparison", SimulationName.API_KEY_TIER.className() + " with calls of both clients");
        }
        return figure(
                SvgCharts.groupedBars(
                                "Tier comparison: effective rate, " + run.get().simulation() + " "
                                        + run.get().timestamp(),
                                List.of("ok responses/s (retries included)"),
                                rates,
                                "rps")
                        + SvgCharts.groupedBars("Tier comparison: first-attempt p95", List.of("p95"), latencies, "ms"),
                run.get());
    }

    /** Every series of the latest memory profile (heap after GC over iterations). */
    static String memory(RunCatalog catalog) {
        Optional<CollectedRun> run = latestWithResults(catalog, SimulationName.MEMORY_PROFILE)
                .filter(r -> !r.results().series().isEmpty());
        if (run.isEmpty()) {
            return missing(
                    "Memory over iterations",
                    SimulationName.MEMORY_PROFILE.className() + " (recording series such as heap_after_gc_mb)");
        }
        List<SvgCharts.Line> lines = new ArrayList<>();
        String xLabel = "iteration";
        String unit = "";
        for (Series s : run.get().results().series()) {
            lines.add(new SvgCharts.Line(
                    s.name(),
                    s.points().stream().map(p -> new double[] {p.x(), p.y()}).toList()));
            xLabel = s.xLabel() == null ? xLabel : s.xLabel();
            unit = s.unit();
        }
        return figure(
                SvgCharts.lines(
                        "Memory over iterations: " + run.get().simulation() + " "
                                + run.get().timestamp(),
                        lines,
                        xLabel,
                        unit),
                run.get());
    }

    private static Optional<CollectedRun> latestWithResults(RunCatalog catalog, SimulationName simulation) {
        return catalog.runsOf(simulation.className()).stream()
                .filter(r -> r.results() != null)
                .findFirst();
    }

    private static String figure(String svg, CollectedRun run) {
        return "<figure>" + svg + "<figcaption class=\"muted\">From <a href=\"" + esc(run.link()) + "\">"
                + esc(run.simulation() + " " + run.timestamp()) + "</a>.</figcaption></figure>\n";
    }

    private static String missing(String chart, String needs) {
        return "<p class=\"muted\">" + esc(chart) + ": not measured yet (needs " + esc(needs) + ").</p>\n";
    }
}
