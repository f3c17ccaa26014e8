package dev.outlayer.bench.reports.matrix;

import dev.outlayer.bench.reports.results.CollectedRun;
import dev.outlayer.bench.reports.results.MetricAccumulator;
import dev.outlayer.bench.reports.results.MetricResult;
import dev.outlayer.bench.reports.results.MetricResult.Attempt;
import dev.outlayer.bench.reports.results.MetricResult.Source;
import dev.outlayer.bench.reports.results.RunCatalog;
import dev.outlayer.bench.reports.results.RunResults;
import dev.outlayer.bench.reports.results.Series;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A value taken from one run of one simulation: the newest run that yields it wins. Request
 * names are matched with a case-insensitive regular expression (find, not full match); several
 * matching requests are merged exactly before the statistic is taken. Warm-up requests (named
 * {@code warm-up ...} or {@code warmup ...}) never count, as in the spec's methodology.
 */
public record RunMeasure(String simulation, String unit, String how,
    Function<RunResults, OptionalDouble> extract) implements Measure {

  @Override
  public Optional<Measurement> evaluate(RunCatalog catalog) {
    for (CollectedRun run : catalog.runsOf(simulation)) {
      if (run.results() == null) {
        continue;
      }
      OptionalDouble value = extract.apply(run.results());
      if (value.isPresent() && Double.isFinite(value.getAsDouble())) {
        return Optional.of(new Measurement(value.getAsDouble(), unit, how, run));
      }
    }
    return Optional.empty();
  }

  @Override
  public String describe() {
    return simulation + ": " + how;
  }

  /** Client response time (first attempts) of the requests matching {@code request}. */
  public static RunMeasure clientLatency(String simulation, String request, Stat stat) {
    return new RunMeasure(simulation, "ms", stat.label() + " client response time of /" + request + "/",
        run -> merged(run, client(request)).map(m -> OptionalDouble.of(stat.of(m))).orElse(OptionalDouble.empty()));
  }

  /** A Server-Timing phase of the requests matching {@code request} (microsecond precision). */
  public static RunMeasure serverPhase(String simulation, String request, String phase, Stat stat) {
    return new RunMeasure(simulation, "ms",
        stat.label() + " of server phase '" + phase + "' of /" + request + "/",
        run -> merged(run, m -> m.source() == Source.SERVER && phase.equals(m.phase())
            && matches(request, m.request()))
            .map(m -> OptionalDouble.of(stat.of(m))).orElse(OptionalDouble.empty()));
  }

  /** Completed first attempts per second of the requests matching {@code request}. */
  public static RunMeasure throughput(String simulation, String request, String unit) {
    return new RunMeasure(simulation, unit, "throughput of /" + request + "/",
        run -> merged(run, client(request)).filter(m -> m.throughputRps() != null)
            .map(m -> OptionalDouble.of(m.throughputRps())).orElse(OptionalDouble.empty()));
  }

  /** A named value the simulation recorded itself. */
  public static RunMeasure value(String simulation, String name, String unit) {
    return new RunMeasure(simulation, unit, "recorded value '" + name + "'",
        run -> run.value(name).map(v -> OptionalDouble.of(v.value())).orElse(OptionalDouble.empty()));
  }

  /** Last y minus first y of a recorded series (e.g. heap growth over 1000 executions). */
  public static RunMeasure seriesGrowth(String simulation, String name, String unit) {
    return new RunMeasure(simulation, unit, "growth of series '" + name + "' (last - first)",
        run -> run.series(name).filter(s -> s.points().size() >= 2).map(RunMeasure::growth)
            .orElse(OptionalDouble.empty()));
  }

  /** a / b from the same run, as a multiplier. */
  public static RunMeasure ratio(RunMeasure a, RunMeasure b) {
    requireSameSimulation(a, b);
    return new RunMeasure(a.simulation, "x", "(" + a.how + ") / (" + b.how + ")", run -> {
      OptionalDouble x = a.extract.apply(run);
      OptionalDouble y = b.extract.apply(run);
      return x.isPresent() && y.isPresent() && y.getAsDouble() > 0
          ? OptionalDouble.of(x.getAsDouble() / y.getAsDouble()) : OptionalDouble.empty();
    });
  }

  /** a - b from the same run (e.g. proxied minus direct latency). */
  public static RunMeasure difference(RunMeasure a, RunMeasure b) {
    requireSameSimulation(a, b);
    return new RunMeasure(a.simulation, a.unit, "(" + a.how + ") - (" + b.how + ")", run -> {
      OptionalDouble x = a.extract.apply(run);
      OptionalDouble y = b.extract.apply(run);
      return x.isPresent() && y.isPresent()
          ? OptionalDouble.of(x.getAsDouble() - y.getAsDouble()) : OptionalDouble.empty();
    });
  }

  private static void requireSameSimulation(RunMeasure a, RunMeasure b) {
    if (!a.simulation.equals(b.simulation)) {
      throw new IllegalArgumentException("a derived measure needs one simulation: " + a.simulation + ", " + b.simulation);
    }
  }

  private static OptionalDouble growth(Series series) {
    List<Series.Point> points = series.points();
    return OptionalDouble.of(points.get(points.size() - 1).y() - points.get(0).y());
  }

  private static Predicate<MetricResult> client(String request) {
    return m -> m.source() == Source.CLIENT && m.attempt() == Attempt.FIRST && matches(request, m.request());
  }

  private static final Pattern WARM_UP = Pattern.compile("warm-?up", Pattern.CASE_INSENSITIVE);

  private static boolean matches(String regex, String request) {
    return !WARM_UP.matcher(request).find()
        && Pattern.compile(regex, Pattern.CASE_INSENSITIVE).matcher(request).find();
  }

  /** The matching metrics of a run merged into one (exact: histograms add up). */
  static Optional<MetricResult> merged(RunResults run, Predicate<MetricResult> filter) {
    List<MetricResult> matching = run.metrics().stream().filter(filter).filter(m -> m.count() > 0).toList();
    if (matching.isEmpty()) {
      return Optional.empty();
    }
    if (matching.size() == 1) {
      return Optional.of(matching.get(0));
    }
    MetricAccumulator acc = MetricAccumulator.fromResult(matching.get(0));
    matching.subList(1, matching.size()).forEach(m -> acc.merge(MetricAccumulator.fromResult(m)));
    return Optional.of(acc.toResult());
  }
}
