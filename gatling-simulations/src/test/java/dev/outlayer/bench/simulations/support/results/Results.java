package dev.outlayer.bench.simulations.support.results;

import dev.outlayer.bench.reports.results.NamedValue;
import dev.outlayer.bench.reports.results.ResultsFiles;
import dev.outlayer.bench.reports.results.RunResults;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a simulation calls to get {@code results.json}/{@code results.csv} beside its Gatling report:
 *
 * <pre>{@code
 * public void before() { Results.begin(); }
 * // in the shared request path, once per response (e.g. an Observed listener):
 * Results.record(name, status, ok, elapsedNanos, serverTimingHeader);
 * // anything the matrix needs that is not a response time:
 * Results.value("sustained_rate_rps", "rps", rate, NamedValue.Merge.SUM);
 * Results.point("heap_after_gc_mb", "MB", "executions", 100, heapMb);
 * public void after() { Results.finish(getClass(), Target.coordinatorUrl(), parameters); }
 * }</pre>
 *
 * One simulation runs per JVM (the Gatling Maven plugin forks one per simulation); {@link #begin}
 * starts afresh anyway so that nothing leaks between runs.
 */
public final class Results {

  private static volatile ResultsRecorder current;

  private Results() {}

  /** Starts a fresh recording; call it in the simulation's {@code before()}. */
  public static synchronized void begin() {
    current = new ResultsRecorder(Instant.now());
  }

  /** The recorder of the running simulation (started on first use if {@link #begin} was not called). */
  public static ResultsRecorder recorder() {
    ResultsRecorder recorder = current;
    if (recorder == null) {
      synchronized (Results.class) {
        if (current == null) {
          current = new ResultsRecorder(Instant.now());
        }
        recorder = current;
      }
    }
    return recorder;
  }

  /**
   * Records one response: its client time, its Server-Timing phases, ok or ko. Name retries
   * {@code "<name> (retry)"} to keep them apart from first attempts.
   */
  public static void record(String request, int status, boolean ok, long elapsedNanos, String serverTiming) {
    recorder().record(request, status, ok, TimeUnit.NANOSECONDS.toMicros(elapsedNanos),
        System.currentTimeMillis(), serverTiming);
  }

  /** A number the simulation measured itself; {@code merge} says how generators combine it. */
  public static void value(String name, String unit, double value, NamedValue.Merge merge) {
    recorder().value(name, unit, value, merge);
  }

  /** One point of a series, e.g. heap after GC (y) after x executions. */
  public static void point(String series, String unit, String xLabel, double x, double y) {
    recorder().point(series, unit, xLabel, x, y);
  }

  /**
   * Writes results.json and results.csv beside this run's Gatling report (or, if Gatling's run
   * folder cannot be found, into {@code target/gatling/results/<Simulation>-<timestamp>/}, which
   * the reports tool pairs with the Gatling run). Call it in the simulation's {@code after()}.
   *
   * @return the folder written to
   */
  /** As {@link #finish(Class, String, Map)}, with parameters described as {@code "name=value name=value"}. */
  public static Path finish(Class<?> simulation, String targetUrl, String parameters) {
    Map<String, String> parsed = new LinkedHashMap<>();
    for (String pair : parameters.strip().split("\\s+")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        parsed.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    return finish(simulation, targetUrl, parsed);
  }

  public static synchronized Path finish(Class<?> simulation, String targetUrl, Map<String, String> parameters) {
    ResultsRecorder recorder = recorder();
    RunFolder folder = RunFolder.find(RunFolder.gatlingResultsRoot(), simulation.getSimpleName(), recorder.startedAt());
    RunResults results = recorder.results(simulation.getSimpleName(), folder.runId(), Instant.now(),
        RunEnvironment.describe(targetUrl), parameters);
    ResultsFiles.write(results, folder.path());
    System.out.println("Results: " + folder.path().resolve(ResultsFiles.JSON) + " (" + results.metrics().size() + " metrics)");
    current = null;
    return folder.path();
  }
}
