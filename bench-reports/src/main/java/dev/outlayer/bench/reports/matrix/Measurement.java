package dev.outlayer.bench.reports.matrix;

import dev.outlayer.bench.reports.results.CollectedRun;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What a matrix cell shows: one value per passing run of the set (a run per repetition), their
 * median and spread, or the runs that failed. A failed run never contributes a value.
 *
 * @param samples the passing runs' values, one per run
 * @param failed  runs of the cell's simulation whose assertions failed (the cell then shows failed)
 * @param unchecked how many of the samples come from runs whose Gatling assertions nobody checked
 * @param total     how many runs of the cell's simulation the set has
 */
public record Measurement(
        String unit, String how, List<Sample> samples, List<CollectedRun> failed, int unchecked, int total) {

    /** One run's value. */
    public record Sample(double value, CollectedRun run) {}

    public Measurement {
        samples = samples.stream()
                .sorted(Comparator.comparingDouble(Sample::value))
                .toList();
        failed = List.copyOf(failed);
    }

    public boolean isFailed() {
        return !failed.isEmpty();
    }

    public int n() {
        return samples.size();
    }

    /** The median over the runs (the mean of the two middle ones for an even count). */
    public double value() {
        int n = samples.size();
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1
                ? samples.get(n / 2).value()
                : (samples.get(n / 2 - 1).value() + samples.get(n / 2).value()) / 2;
    }

    public double min() {
        return samples.isEmpty() ? Double.NaN : samples.get(0).value();
    }

    public double max() {
        return samples.isEmpty() ? Double.NaN : samples.get(samples.size() - 1).value();
    }

    /** The run whose value is the median (the lower middle for an even count): what the cell links to. */
    public CollectedRun run() {
        return samples.isEmpty()
                ? failed.get(0)
                : samples.get((samples.size() - 1) / 2).run();
    }

    /** Every run behind the cell, failed ones included. */
    public List<CollectedRun> runs() {
        List<CollectedRun> all = new ArrayList<>(failed);
        samples.forEach(s -> all.add(s.run()));
        return all;
    }

    /** The median, e.g. "12.3 ms". */
    public String display() {
        return format(value(), unit);
    }

    /** "min-max 1.100-1.400 ms, n=3". */
    public String spread() {
        if (samples.size() < 2) {
            return "n=" + samples.size() + ", no spread";
        }
        return "min-max " + number(min(), unit) + "–" + format(max(), unit) + ", n=" + samples.size();
    }

    public static String format(double value, String unit) {
        String number = number(value, unit);
        return unit.equals("x") ? number + "x" : number + " " + unit;
    }

    private static String number(double value, String unit) {
        double abs = Math.abs(value);
        if (unit.equals("ms") && abs < 10) {
            return String.format(Locale.ROOT, "%.3f", value);
        } else if (abs >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
