package dev.outlayer.bench.reports.matrix;

/**
 * A row's Target and Acceptable bounds. "&lt; 10ms" is strict (10 ms itself misses); "100+ rps"
 * and "3x" are inclusive.
 */
public record Threshold(boolean higherIsBetter, double target, double acceptable, boolean inclusive) {

    /** Lower is better, strict: value &lt; target is green, value &lt; acceptable amber. */
    public static Threshold below(double target, double acceptable) {
        return new Threshold(false, target, acceptable, false);
    }

    /** Lower is better, inclusive: value &le; target green, value &le; acceptable amber. */
    public static Threshold atMost(double target, double acceptable) {
        return new Threshold(false, target, acceptable, true);
    }

    /** Higher is better, inclusive: value &ge; target green, value &ge; acceptable amber. */
    public static Threshold atLeast(double target, double acceptable) {
        return new Threshold(true, target, acceptable, true);
    }

    public Verdict verdict(double value) {
        if (Double.isNaN(value)) {
            return Verdict.NOT_MEASURED;
        }
        if (meets(value, target)) {
            return Verdict.GREEN;
        }
        return meets(value, acceptable) ? Verdict.AMBER : Verdict.RED;
    }

    /** How far {@code value} is from the nearer of the two bounds: a spread wider than this could change the verdict. */
    public double distance(double value) {
        return Math.min(Math.abs(value - target), Math.abs(value - acceptable));
    }

    private boolean meets(double value, double bound) {
        if (higherIsBetter) {
            return inclusive ? value >= bound : value > bound;
        }
        return inclusive ? value <= bound : value < bound;
    }
}
