package dev.outlayer.bench.results;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Points (x, y) a simulation recorded over iterations, e.g. heap after GC every 100 executions. */
public record Series(String name, String unit, String xLabel, List<Point> points) {

    public record Point(double x, double y) {}

    public Series {
        points = points == null ? List.of() : List.copyOf(points);
    }

    /** Merging concatenates the points of every generator, ordered by x. */
    public Series mergedWith(Series other) {
        List<Point> all = new ArrayList<>(points);
        all.addAll(other.points);
        all.sort(Comparator.comparingDouble(Point::x));
        return new Series(name, unit, xLabel, all);
    }
}
