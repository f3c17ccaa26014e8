package dev.outlayer.bench.results.names;

/** Points (x, y) {@code simulation} records over iterations. */
public record SeriesName(SimulationName simulation, String name, String unit, String xLabel) {}
