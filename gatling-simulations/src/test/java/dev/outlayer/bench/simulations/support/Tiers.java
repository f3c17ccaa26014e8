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

    /** The anonymous tier's cap on requests in flight (feeders/tiers.csv: 4, OutLayer's anon profile). */
    public static final int ANONYMOUS_IN_FLIGHT = Params.integer("tier.anonymous.inFlight", 4);

    private Tiers() {}

    /**
     * Under OutLayer's keying a refused client comes back after a fixed 5 s, when the shared bucket holds
     * at most {@code min(burst, 5 * rate)} tokens: the admissions per wave of retries.
     */
    public static double outlayerRefillPerRetry(double rate, int burst) {
        return Math.min(burst, rate * ExpectedThrottle.OUTLAYER_RETRY_AFTER_SECONDS);
    }

    /** One client calling one after another under OutLayer's keying: admitted calls per second after the burst. */
    public static double outlayerSequentialRate(double rate, int burst) {
        return outlayerRefillPerRetry(rate, burst) / ExpectedThrottle.OUTLAYER_RETRY_AFTER_SECONDS;
    }

    /** The waits of 5 s a sequential client makes for {@code calls} after its burst, under OutLayer's keying. */
    public static double outlayerSequentialSeconds(int calls, double rate, int burst) {
        double perRetry = outlayerRefillPerRetry(rate, burst);
        return ExpectedThrottle.OUTLAYER_RETRY_AFTER_SECONDS * Math.ceil(Math.max(0, calls - burst) / perRetry);
    }

    /**
     * The longest {@code calls} fired at once (within {@code spreadSeconds}) take under OutLayer's keying: a
     * wave of retries every 5 s admits at least {@code leastPerWave} (the in-flight cap when they arrive
     * together), plus the spread and the slack.
     */
    public static double outlayerMostSeconds(int calls, int burst, double leastPerWave, double spreadSeconds) {
        return ExpectedThrottle.OUTLAYER_RETRY_AFTER_SECONDS * Math.ceil(Math.max(0, calls - burst) / leastPerWave)
                + spreadSeconds
                + DURATION_SLACK_SECONDS;
    }

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
