package dev.outlayer.bench.targetsystem.throttle;

/** One row of the API keys CSV: the key, the tier it buys, and the account that owns it. */
public record ApiKey(String key, Tier tier, String owner) {}
