package dev.outlayer.bench.reports.results;

import dev.outlayer.bench.results.ResultsFiles;
import dev.outlayer.bench.results.RunResults;

/**
 * A run stored in the report site: its results (null when the simulation wrote none) and its
 * folder relative to the site root, e.g. {@code CounterSimulation/20261128053012345}.
 */
public record CollectedRun(
        String simulation, String timestamp, String folder, RunResults results, boolean hasGatlingHtml) {

    /** The page a matrix cell links to: Gatling's HTML if present, else the results file. */
    public String link() {
        return folder + "/" + (hasGatlingHtml ? "index.html" : ResultsFiles.JSON);
    }
}
