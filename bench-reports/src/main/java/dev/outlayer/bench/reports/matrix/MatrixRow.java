package dev.outlayer.bench.reports.matrix;

import java.util.List;

/**
 * One row of a spec table: the spec's wording, its bounds and, per column, how the value is
 * measured. A row with a single cell spanning all mode columns is mode-independent.
 */
public record MatrixRow(
        String group,
        String metric,
        String target,
        String acceptable,
        String notes,
        Threshold threshold,
        Origin targetOrigin,
        Origin acceptableOrigin,
        List<Cell> cells) {

    /** Whose bound it is: the spec's, or this project's own where the spec gives none. */
    public enum Origin {
        SPEC("the spec's"),
        PROJECT("this project's (the spec gives none)");

        private final String label;

        Origin(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public String shortLabel() {
            return this == SPEC ? "spec" : "ours";
        }
    }

    /** The same row with other owners of its bounds. */
    public MatrixRow withOrigins(Origin target, Origin acceptable) {
        return new MatrixRow(group, metric, this.target, this.acceptable, notes, threshold, target, acceptable, cells);
    }

    /** "Target: the spec's; Acceptable: this project's (the spec gives none)". */
    public String thresholdOrigins() {
        return "Target " + target + ": " + targetOrigin.label() + "; Acceptable " + acceptable + ": "
                + acceptableOrigin.label();
    }

    /**
     * One cell: {@code measure} null means the column cannot be measured here ({@code reason} says
     * why); {@code projected} is the spec's projection, shown for reference.
     */
    public record Cell(String column, Measure measure, String projected, String reason) {

        public static Cell measured(String column, Measure measure, String projected) {
            return new Cell(column, measure, projected, null);
        }

        public static Cell notApplicable(String column, String projected, String reason) {
            return new Cell(column, null, projected, reason);
        }
    }

    public MatrixRow {
        cells = List.copyOf(cells);
    }
}
