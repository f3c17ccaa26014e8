package dev.outlayer.bench.reports.site;

import static dev.outlayer.bench.reports.site.Html.esc;

import dev.outlayer.bench.reports.matrix.PerformanceMatrix;
import dev.outlayer.bench.reports.results.CollectedRun;
import dev.outlayer.bench.reports.results.MetricResult;
import dev.outlayer.bench.reports.results.MetricResult.Attempt;
import dev.outlayer.bench.reports.results.MetricResult.Source;
import dev.outlayer.bench.reports.results.RunCatalog;
import dev.outlayer.bench.reports.results.Series;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Picks the runs behind the summary's three charts and draws them. */
final class SummaryCharts {

  /** Tier names as the request names of the throttling simulations spell them (feeders/tiers.csv). */
  private static final Pattern TIER = Pattern.compile("anonymous|standard|unlimited|keyed|premium", Pattern.CASE_INSENSITIVE);

  /** Warm-up requests would only squash the scale: the matrix ignores them too. */
  private static final Pattern WARM_UP = Pattern.compile("warm-?up", Pattern.CASE_INSENSITIVE);

  private SummaryCharts() {}

  static String all(RunCatalog catalog) {
    return "<h2 id=\"charts\">Charts</h2>\n" + latencyByMode(catalog) + tierComparison(catalog) + memory(catalog);
  }

  /** p50/p90/p95/p99 of every request of the latest mode comparison (client, and server sum). */
  static String latencyByMode(RunCatalog catalog) {
    Optional<CollectedRun> run = latestWithResults(catalog, PerformanceMatrix.EXECUTION_MODE)
        .or(() -> latestWithResults(catalog, PerformanceMatrix.COUNTER));
    if (run.isEmpty()) {
      return missing("Latency percentiles by mode", PerformanceMatrix.EXECUTION_MODE + " or " + PerformanceMatrix.COUNTER);
    }
    List<SvgCharts.Bars> bars = new ArrayList<>();
    for (MetricResult m : run.get().results().metrics()) {
      boolean client = m.source() == Source.CLIENT && m.attempt() == Attempt.FIRST;
      boolean serverSum = m.source() == Source.SERVER && "sum".equals(m.phase());
      if ((client || serverSum) && m.count() > 0 && !WARM_UP.matcher(m.request()).find()) {
        bars.add(new SvgCharts.Bars(m.request() + (client ? " (client)" : " (server)"),
            new double[] {m.p50Ms(), m.p90Ms(), m.p95Ms(), m.p99Ms()}));
      }
    }
    return figure(SvgCharts.groupedBars("Latency percentiles by mode: " + run.get().simulation() + " " + run.get().timestamp(),
        List.of("p50", "p90", "p95", "p99"), bars, "ms"), run.get());
  }

  /** Effective rate (ok responses per second, retries included) and p95 per tier. */
  static String tierComparison(RunCatalog catalog) {
    for (CollectedRun run : catalog.latestPerSimulation()) {
      Map<String, double[]> tiers = new TreeMap<>();
      Map<String, long[]> windows = new TreeMap<>();
      for (MetricResult m : run.results().metrics()) {
        var tier = TIER.matcher(m.request());
        if (m.source() != Source.CLIENT || m.count() == 0 || !tier.find()) {
          continue;
        }
        String name = tier.group().toLowerCase(Locale.ROOT);
        double[] acc = tiers.computeIfAbsent(name, k -> new double[2]);
        acc[0] += m.ok();
        if (m.attempt() == Attempt.FIRST) {
          acc[1] = Math.max(acc[1], m.p95Ms());
        }
        long[] window = windows.computeIfAbsent(name, k -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
        window[0] = Math.min(window[0], m.firstStartMs());
        window[1] = Math.max(window[1], m.lastEndMs());
      }
      if (tiers.size() < 2) {
        continue;
      }
      List<SvgCharts.Bars> rates = new ArrayList<>();
      tiers.forEach((tier, acc) -> {
        long[] w = windows.get(tier);
        double seconds = Math.max(1, w[1] - w[0]) / 1000.0;
        rates.add(new SvgCharts.Bars(tier, new double[] {acc[0] / seconds}));
      });
      List<SvgCharts.Bars> latencies = new ArrayList<>();
      tiers.forEach((tier, acc) -> latencies.add(new SvgCharts.Bars(tier, new double[] {acc[1]})));
      return figure(SvgCharts.groupedBars("Tier comparison: effective rate, " + run.simulation() + " " + run.timestamp(),
          List.of("ok responses/s (retries included)"), rates, "rps")
          + SvgCharts.groupedBars("Tier comparison: first-attempt p95", List.of("p95"), latencies, "ms"), run);
    }
    return missing("Tier comparison", "a throttling simulation whose request names name two tiers (e.g. 'status anonymous', 'status standard')");
  }

  /** Every series of the latest memory profile (heap after GC over iterations). */
  static String memory(RunCatalog catalog) {
    Optional<CollectedRun> run = latestWithResults(catalog, PerformanceMatrix.MEMORY)
        .filter(r -> !r.results().series().isEmpty());
    if (run.isEmpty()) {
      return missing("Memory over iterations", PerformanceMatrix.MEMORY + " (recording series such as heap_after_gc_mb)");
    }
    List<SvgCharts.Line> lines = new ArrayList<>();
    String xLabel = "iteration";
    String unit = "";
    for (Series s : run.get().results().series()) {
      lines.add(new SvgCharts.Line(s.name(), s.points().stream().map(p -> new double[] {p.x(), p.y()}).toList()));
      xLabel = s.xLabel() == null ? xLabel : s.xLabel();
      unit = s.unit();
    }
    return figure(SvgCharts.lines("Memory over iterations: " + run.get().simulation() + " " + run.get().timestamp(),
        lines, xLabel, unit), run.get());
  }

  private static Optional<CollectedRun> latestWithResults(RunCatalog catalog, String simulation) {
    return catalog.runsOf(simulation).stream().filter(r -> r.results() != null).findFirst();
  }

  private static String figure(String svg, CollectedRun run) {
    return "<figure>" + svg + "<figcaption class=\"muted\">From <a href=\"" + esc(run.link()) + "\">"
        + esc(run.simulation() + " " + run.timestamp()) + "</a>.</figcaption></figure>\n";
  }

  private static String missing(String chart, String needs) {
    return "<p class=\"muted\">" + esc(chart) + ": not measured yet (needs " + esc(needs) + ").</p>\n";
  }
}
