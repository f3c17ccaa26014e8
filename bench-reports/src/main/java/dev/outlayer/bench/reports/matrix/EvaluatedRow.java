package dev.outlayer.bench.reports.matrix;

import dev.outlayer.bench.reports.results.CollectedRun;
import dev.outlayer.bench.reports.results.RunSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** A matrix row with each cell's median, spread and run count over a set, and its verdict. */
public record EvaluatedRow(MatrixRow row, List<EvaluatedCell> cells) {

    public record EvaluatedCell(MatrixRow.Cell cell, Optional<Measurement> measurement, Verdict verdict) {

        /** "12.3 ms" (the median), "failed", "not measured" or "n/a". */
        public String display() {
            if (verdict == Verdict.FAILED) {
                Measurement m = measurement.orElseThrow();
                return "failed (" + m.failed().size() + " of " + m.total() + " runs)";
            }
            return measurement
                    .map(Measurement::display)
                    .orElse(verdict == Verdict.NOT_APPLICABLE ? "n/a" : "not measured");
        }

        /** "min-max 1.1-1.4 ms, n=3", what failed, or empty. */
        public String detail() {
            if (measurement.isEmpty()) {
                return "";
            }
            Measurement m = measurement.get();
            if (m.isFailed()) {
                return m.failed().stream().map(run -> failure(run, false)).collect(Collectors.joining("; "));
            }
            return m.spread() + (m.unchecked() > 0 ? " (Gatling assertions not checked: run outside the suite)" : "");
        }

        /** Why the cell shows what it shows: how it is measured, from which runs, or why it cannot be. */
        public String explanation() {
            if (cell.measure() == null) {
                return cell.reason();
            }
            return measurement
                    .map(m -> m.run().simulation() + ": " + m.how() + "."
                            + (m.samples().isEmpty()
                                    ? ""
                                    : " Runs: "
                                            + m.samples().stream()
                                                    .map(s -> label(s.run()) + " "
                                                            + Measurement.format(s.value(), m.unit()))
                                                    .collect(Collectors.joining(", ")))
                            + (m.isFailed()
                                    ? " Failed: "
                                            + m.failed().stream()
                                                    .map(run -> failure(run, true))
                                                    .collect(Collectors.joining("; "))
                                    : ""))
                    .orElse(cell.measure().missing());
        }

        /** What failed in a run: everything, or the first failure and how many more (for the cell's face). */
        private static String failure(CollectedRun run, boolean all) {
            return label(run) + ": " + failures(run.results().assertions().failed(), all);
        }

        private static String label(CollectedRun run) {
            Integer repetition = run.results().metadata() == null
                    ? null
                    : run.results().metadata().repetition();
            return repetition == null ? run.timestamp() : "repetition " + repetition;
        }
    }

    /** A run's failures: all of them, or the first (shortened) and how many more. */
    public static String failures(List<String> failed, boolean all) {
        if (failed.isEmpty()) {
            return "assertions failed";
        }
        if (all) {
            return String.join(", ", failed);
        }
        String first = failed.get(0).length() > 90 ? failed.get(0).substring(0, 89) + "…" : failed.get(0);
        return failed.size() == 1 ? first : first + " (+" + (failed.size() - 1) + " more)";
    }

    public static List<EvaluatedRow> evaluate(List<MatrixRow> rows, RunSet set) {
        return rows.stream()
                .map(row -> new EvaluatedRow(
                        row,
                        row.cells().stream()
                                .map(cell -> evaluate(row, cell, set))
                                .toList()))
                .toList();
    }

    private static EvaluatedCell evaluate(MatrixRow row, MatrixRow.Cell cell, RunSet set) {
        if (cell.measure() == null) {
            return new EvaluatedCell(cell, Optional.empty(), Verdict.NOT_APPLICABLE);
        }
        Optional<Measurement> measured =
                set == null ? Optional.empty() : cell.measure().evaluate(set);
        return new EvaluatedCell(
                cell, measured, measured.map(m -> verdict(row.threshold(), m)).orElse(Verdict.NOT_MEASURED));
    }

    /**
     * Failed if any run failed; inconclusive when the runs' spread (max - min) is wider than the
     * median's distance to the nearer bound, i.e. another run could have landed on the other side;
     * else the median's colour.
     */
    static Verdict verdict(Threshold threshold, Measurement m) {
        if (m.isFailed()) {
            return Verdict.FAILED;
        }
        double median = m.value();
        if (m.max() - m.min() > threshold.distance(median)) {
            return Verdict.INCONCLUSIVE;
        }
        return threshold.verdict(median);
    }
}
