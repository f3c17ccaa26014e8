package dev.outlayer.bench.reports.results;

import dev.outlayer.bench.results.RunResults;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Groups collected runs into {@link RunSet}s and picks the one a report shows. */
public final class RunSets {

    private RunSets() {}

    /** Every suite invocation among the runs, one set per (suite, form), oldest first. */
    public static List<RunSet> suites(List<CollectedRun> runs) {
        Map<List<String>, List<CollectedRun>> grouped = new LinkedHashMap<>();
        for (CollectedRun run : withResults(runs)) {
            String suite = suiteOf(run.results());
            if (suite != null) {
                grouped.computeIfAbsent(List.of(suite, run.results().form()), k -> new ArrayList<>())
                        .add(run);
            }
        }
        List<RunSet> sets = new ArrayList<>();
        grouped.forEach((key, members) -> sets.add(new RunSet(key.get(0), key.get(1), members)));
        sets.sort(Comparator.comparing(RunSet::started));
        return sets;
    }

    /**
     * The named suite if given; else the newest suite invocation; else, when no run belongs to a
     * suite, the newest lone run of each simulation in the form of the newest lone run.
     */
    public static Optional<RunSet> select(List<CollectedRun> runs, String suite) {
        List<RunSet> suites = suites(runs);
        if (suite != null) {
            return suites.stream().filter(s -> s.id().equals(suite)).reduce((a, b) -> b);
        }
        if (!suites.isEmpty()) {
            return Optional.of(suites.get(suites.size() - 1));
        }
        List<CollectedRun> lone = withResults(runs).stream()
                .filter(r -> suiteOf(r.results()) == null)
                .sorted(Comparator.comparing((CollectedRun r) -> r.results().started())
                        .reversed())
                .toList();
        if (lone.isEmpty()) {
            return Optional.empty();
        }
        String form = lone.get(0).results().form();
        Map<String, CollectedRun> newest = new LinkedHashMap<>();
        lone.stream().filter(r -> r.results().form().equals(form)).forEach(r -> newest.putIfAbsent(r.simulation(), r));
        return Optional.of(new RunSet(RunSet.LONE_RUNS, form, List.copyOf(newest.values())));
    }

    /** The same for bare results (a baseline or current folder of results.json files). */
    public static Optional<RunSet> selectResults(List<RunResults> results) {
        return select(wrap(results), null);
    }

    /** The newest suite of {@code form} among bare results, else the lone runs in that form. */
    public static Optional<RunSet> selectResults(List<RunResults> results, String form) {
        List<CollectedRun> runs = wrap(results);
        List<RunSet> suites =
                suites(runs).stream().filter(s -> s.form().equals(form)).toList();
        if (!suites.isEmpty()) {
            return Optional.of(suites.get(suites.size() - 1));
        }
        List<CollectedRun> lone = runs.stream()
                .filter(r -> suiteOf(r.results()) == null && r.results().form().equals(form))
                .toList();
        return select(lone, null);
    }

    private static List<CollectedRun> wrap(List<RunResults> results) {
        return results.stream()
                .map(r -> new CollectedRun(r.simulation(), r.runId(), r.runId(), r, false))
                .toList();
    }

    private static List<CollectedRun> withResults(List<CollectedRun> runs) {
        return runs.stream().filter(r -> Objects.nonNull(r.results())).toList();
    }

    private static String suiteOf(RunResults results) {
        return results.metadata() == null ? null : results.metadata().suite();
    }
}
