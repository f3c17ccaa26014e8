package dev.outlayer.bench.reports.results;

import dev.outlayer.bench.results.RunMetadata;
import dev.outlayer.bench.results.RunResults;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The runs a matrix is built from: all of one suite invocation (every simulation, every
 * repetition) in one form, or, when no suite ran, the newest lone run of each simulation in one
 * form. A cell never mixes sets, forms or suites.
 *
 * @param id    the suite id, or {@link #LONE_RUNS}
 * @param form  {@link RunMetadata#FULL} or {@link RunMetadata#CI}
 * @param runs  the set's runs (with results), newest first within a simulation
 */
public record RunSet(String id, String form, List<CollectedRun> runs) {

    /** The set of runs started one by one, outside a suite. */
    public static final String LONE_RUNS = "lone runs";

    public RunSet {
        runs = runs.stream()
                .sorted(Comparator.comparing(CollectedRun::simulation)
                        .thenComparing(CollectedRun::timestamp, Comparator.reverseOrder()))
                .toList();
    }

    public boolean suite() {
        return !LONE_RUNS.equals(id);
    }

    public boolean ciForm() {
        return RunMetadata.CI.equals(form);
    }

    public List<CollectedRun> runsOf(String simulation) {
        return runs.stream().filter(r -> r.simulation().equals(simulation)).toList();
    }

    /** When the set's first run started. */
    public Instant started() {
        return runs.stream()
                .map(r -> r.results().started())
                .min(Comparator.naturalOrder())
                .orElse(Instant.EPOCH);
    }

    /** The commits the set's runs measured (one for a suite of a clean tree). */
    public List<String> commits() {
        return List.copyOf(runs.stream()
                .map(CollectedRun::results)
                .map(RunResults::metadata)
                .filter(Objects::nonNull)
                .map(RunMetadata::gitCommit)
                .filter(Objects::nonNull)
                .collect(java.util.stream.Collectors.toCollection(TreeSet::new)));
    }

    /** The repetitions the suite ran of each simulation (0 for lone runs). */
    public int repetitions() {
        return runs.stream()
                .map(r -> r.results().metadata())
                .filter(m -> m != null && m.repetitions() != null)
                .mapToInt(RunMetadata::repetitions)
                .max()
                .orElse(0);
    }

    /** "CI form (-Dci=true)" or "full form": the label every page carries. */
    public String formLabel() {
        return ciForm()
                ? "CI form (-Dci=true): short runs, not the spec's full methodology"
                : "full form (the spec's parameters)";
    }

    /** A one-line description: which suite, when, which commit, which form. */
    public String describe() {
        String commits = commits().stream()
                .map(c -> c.length() > 10 ? c.substring(0, 10) : c)
                .reduce((a, b) -> a + ", " + b)
                .orElse("unknown commit");
        String what = suite()
                ? "suite " + id + " (" + repetitions() + " repetition" + (repetitions() == 1 ? "" : "s") + ")"
                : "lone runs outside a suite (the newest run of each simulation; assertions known only from verdicts)";
        return what + " · " + formLabel() + " · started " + started().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                + " · commit " + commits;
    }
}
