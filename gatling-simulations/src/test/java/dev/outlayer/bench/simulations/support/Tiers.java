package dev.outlayer.bench.simulations.support;

/**
 * The refill rates the simulations expect, defaulting to the spec's tiers (anonymous: 5 rps; a standard
 * key: 20 rps). Override them to match another deployment's tiers.
 */
public final class Tiers {
    public static final double ANONYMOUS_RATE = Params.decimal("tier.anonymous.rate", 5);
    /** The tier whose key {@link JsonRpc#apiKeyFeeder(String)} picks for the keyed client. */
    public static final String KEYED_TIER = Params.string("tier.keyed.name", "standard");

    public static final double KEYED_RATE = Params.decimal("tier.keyed.rate", 20);
    /** Relative tolerance of every rate and ratio verdict. */
    public static final double TOLERANCE = Params.decimal("tolerance", 0.10);

    private Tiers() {}
}
