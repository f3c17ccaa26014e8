package dev.outlayer.bench.reports.matrix;

import dev.outlayer.bench.reports.results.RunCatalog;
import java.util.List;
import java.util.Optional;

/** A matrix row with each cell's latest measured value and its verdict. */
public record EvaluatedRow(MatrixRow row, List<EvaluatedCell> cells) {

    public record EvaluatedCell(MatrixRow.Cell cell, Optional<Measurement> measurement, Verdict verdict) {

        /** "12.3 ms", "not measured" or "n/a". */
        public String display() {
            return measurement
                    .map(Measurement::display)
                    .orElse(verdict == Verdict.NOT_APPLICABLE ? "n/a" : "not measured");
        }

        /** Why the cell shows what it shows: how it is measured, or why it cannot be. */
        public String explanation() {
            if (cell.measure() == null) {
                return cell.reason();
            }
            return measurement
                    .map(m -> m.run().simulation() + " " + m.run().timestamp() + ": " + m.how())
                    .orElse(cell.measure().missing());
        }
    }

    public static List<EvaluatedRow> evaluate(List<MatrixRow> rows, RunCatalog catalog) {
        return rows.stream()
                .map(row -> new EvaluatedRow(
                        row,
                        row.cells().stream()
                                .map(cell -> evaluate(row, cell, catalog))
                                .toList()))
                .toList();
    }

    private static EvaluatedCell evaluate(MatrixRow row, MatrixRow.Cell cell, RunCatalog catalog) {
        if (cell.measure() == null) {
            return new EvaluatedCell(cell, Optional.empty(), Verdict.NOT_APPLICABLE);
        }
        Optional<Measurement> measured = cell.measure().evaluate(catalog);
        Verdict verdict = measured.map(m -> row.threshold().verdict(m.value())).orElse(Verdict.NOT_MEASURED);
        return new EvaluatedCell(cell, measured, verdict);
    }
}
