package dev.outlayer.bench.reports.matrix;

import dev.outlayer.bench.reports.results.RunCatalog;
import java.util.List;
import java.util.Optional;

/** How a matrix cell gets its value from the collected runs. */
public interface Measure {

    /** The latest measured value, or empty when no run covers it. */
    Optional<Measurement> evaluate(RunCatalog catalog);

    /** For "not measured" cells and the docs: which simulation and metric would fill it. */
    String describe();

    /** What a cell without a value says about it. */
    default String missing() {
        return "no run yet; measured by " + describe();
    }

    /** A cell the spec has but no simulation records yet; {@code why} says what is missing. */
    static Measure notYet(String why) {
        return new Measure() {
            @Override
            public Optional<Measurement> evaluate(RunCatalog catalog) {
                return Optional.empty();
            }

            @Override
            public String describe() {
                return why;
            }

            @Override
            public String missing() {
                return "no simulation measures this yet: " + why;
            }
        };
    }

    /** The first of several ways that yields a value (e.g. a recorded value, else a metric). */
    static Measure firstOf(Measure... measures) {
        List<Measure> all = List.of(measures);
        return new Measure() {
            @Override
            public Optional<Measurement> evaluate(RunCatalog catalog) {
                return all.stream()
                        .map(m -> m.evaluate(catalog))
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
