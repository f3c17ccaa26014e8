package dev.outlayer.bench.results.recorder;

import dev.outlayer.bench.results.ResultsFiles;
import dev.outlayer.bench.results.RunMetadata.TargetInfo;
import dev.outlayer.bench.results.RunResults;
import dev.outlayer.bench.results.VerdictResult;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The recording of the simulation running in this JVM (the Gatling Maven plugin forks one JVM per
 * simulation): {@link #begin} in {@code before()}, {@link #recorder()} from any virtual user,
 * {@link #finish} in {@code after()} writes {@code results.json}/{@code results.csv} beside the
 * Gatling report.
 */
public final class Results {

    private static volatile ResultsRecorder current;
    /** The machine's load when the recording began, for results.json. */
    private static volatile Double loadAtBegin;

    private Results() {}

    /** Starts a fresh recording (so that nothing leaks between runs in one JVM). */
    public static synchronized void begin() {
        loadAtBegin = RunEnvironment.loadAverage();
        current = new ResultsRecorder(Instant.now(), System.nanoTime());
    }

    /** The running simulation's recorder, started on first use if {@link #begin} was not called. */
    public static ResultsRecorder recorder() {
        ResultsRecorder recorder = current;
        if (recorder == null) {
            synchronized (Results.class) {
                if (current == null) {
                    begin();
                }
                recorder = current;
            }
        }
        return recorder;
    }

    /**
     * Writes results.json and results.csv beside this run's Gatling report (or, if Gatling's run
     * folder cannot be found, into {@code target/gatling/results/<Simulation>-<timestamp>/}, which
     * the reports tool pairs with the Gatling run) and ends the recording.
     *
     * @return the folder written to
     */
    public static synchronized Path finish(
            String simulation,
            String targetUrl,
            TargetInfo target,
            Map<String, String> parameters,
            List<VerdictResult> verdicts) {
        ResultsRecorder recorder = recorder();
        RunFolder folder = RunFolder.find(RunFolder.gatlingResultsRoot(), simulation, recorder.startedAt());
        RunResults results = recorder.results(
                simulation,
                folder.runId(),
                Instant.now(),
                RunEnvironment.describe(targetUrl, target, loadAtBegin),
                parameters,
                verdicts);
        ResultsFiles.write(results, folder.path());
        System.out.println("Results: " + folder.path().resolve(ResultsFiles.JSON) + " ("
                + results.metrics().size() + " metrics, " + verdicts.size() + " verdicts)");
        current = null;
        return folder.path();
    }
}
