package dev.outlayer.bench.reports.matrix;

import dev.outlayer.bench.reports.results.RunSet;
import java.util.List;
import java.util.Optional;

/** How a matrix cell gets its values from the runs of one set. */
public interface Measure {

    /** The set's values for this cell (one per passing run), its failed runs, or empty when no run covers it. */
    Optional<Measurement> evaluate(RunSet set);

    /** For "not measured" cells and the docs: which simulation and metric would fill it. */
    String describe();

    /** What a cell without a value says about it. */
    default String missing() {
        return "no run in this set; measured by " + describe();
    }

    /** The first of several ways that yields a value or a failure (e.g. a recorded value, else a metric). */
    static Measure firstOf(Measure... measures) {
        List<Measure> all = List.of(measures);
        return new Measure() {
            @Override
            public Optional<Measurement> evaluate(RunSet set) {
                return all.stream()
                        .map(m -> m.evaluate(set))
                        .flatMap(Optional::stream)
                        .findFirst();
            }

            @Override
            public String describe() {
                return String.join(
                        ", else ", all.stream().map(Measure::describe).toList());
            }
        };
    }
}
