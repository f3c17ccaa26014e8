package dev.outlayer.bench.results;

/**
 * A check a simulation computed itself (a rate after a burst, a ratio, a heap growth: numbers
 * Gatling's assertions cannot compute) and whether it held. {@code value} is null when it could
 * not be measured; a null bound is no bound.
 */
public record VerdictResult(String name, Double value, String unit, Double min, Double max, boolean passed) {}
