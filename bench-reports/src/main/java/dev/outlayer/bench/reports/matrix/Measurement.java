package dev.outlayer.bench.reports.matrix;

import dev.outlayer.bench.reports.results.CollectedRun;
import java.util.Locale;

/** A value a matrix cell shows, with how it was obtained and the run it came from. */
public record Measurement(double value, String unit, String how, CollectedRun run) {

    public String display() {
        return format(value, unit);
    }

    public static String format(double value, String unit) {
        String number;
        double abs = Math.abs(value);
        if (unit.equals("ms") && abs < 10) {
            number = String.format(Locale.ROOT, "%.3f", value);
        } else if (abs >= 100) {
            number = String.format(Locale.ROOT, "%.0f", value);
        } else {
            number = String.format(Locale.ROOT, "%.1f", value);
        }
        return unit.equals("x") ? number + "x" : number + " " + unit;
    }
}
