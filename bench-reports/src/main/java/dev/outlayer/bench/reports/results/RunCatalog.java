package dev.outlayer.bench.reports.results;

import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The runs a report is built from, newest first within each simulation. */
public record RunCatalog(List<CollectedRun> runs) {

    public RunCatalog {
        runs = runs.stream()
                .sorted(Comparator.comparing(CollectedRun::simulation)
                        .thenComparing(CollectedRun::timestamp, Comparator.reverseOrder()))
                .toList();
    }

    public List<CollectedRun> runsOf(String simulation) {
        return runs.stream().filter(r -> r.simulation().equals(simulation)).toList();
    }

    /** The newest run of every simulation that has results. */
    public List<CollectedRun> latestPerSimulation() {
        return runs.stream()
                .filter(r -> r.results() != null)
                .collect(Collectors.toMap(CollectedRun::simulation, r -> r, (a, b) -> a, TreeMap::new))
                .values()
                .stream()
                .toList();
    }
}
