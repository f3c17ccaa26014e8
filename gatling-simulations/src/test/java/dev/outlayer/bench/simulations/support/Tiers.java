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
    /** The calls a full bucket admits at once (feeders/tiers.csv: anonymous 10, standard 40). */
    public static final int ANONYMOUS_BURST = Params.integer("tier.anonymous.burst", 10);

    public static final int KEYED_BURST = Params.integer("tier.keyed.burst", 40);

    /**
     * Slack on the spec's durations: whole-second {@code Retry-After}s make a throttled client wait up to a
     * second longer than the bucket would, once at the end of the run.
     */
    public static final double DURATION_SLACK_SECONDS = Params.decimal("duration.slackSeconds", 1);

    /** Relative tolerance of every rate and ratio verdict. */
    public static final double TOLERANCE = Params.decimal("tolerance", 0.10);

    private Tiers() {}

    /**
     * The spec's duration of {@code calls} at {@code rate} is {@code calls / rate} (20 at 5 rps: about 4 s);
     * it leaves the burst out. A bucket admits its {@code burst} at once, so the run takes at least
     * {@code (calls - burst) / rate}; at most the spec's figure plus {@link #DURATION_SLACK_SECONDS}.
     */
    public static double leastSeconds(int calls, double rate, int burst) {
        return Math.max(0, calls - burst) / rate;
    }

    /** The upper bound of {@link #leastSeconds}: the spec's {@code calls / rate} plus the slack. */
    public static double specSecondsWithSlack(int calls, double rate) {
        return calls / rate + DURATION_SLACK_SECONDS;
    }
}
