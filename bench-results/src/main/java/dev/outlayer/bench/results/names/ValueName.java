package dev.outlayer.bench.results.names;

import dev.outlayer.bench.results.NamedValue;

/** A number {@code simulation} records itself; {@code merge} says how load generators combine it. */
public record ValueName(SimulationName simulation, String name, String unit, NamedValue.Merge merge) {}
