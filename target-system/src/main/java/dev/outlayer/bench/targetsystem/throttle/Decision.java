package dev.outlayer.bench.targetsystem.throttle;

/**
 * The outcome of one throttle check. An admitted decision holds a slot in flight until
 * {@link #release()} is called, exactly once, when the response has been produced.
 */
public final class Decision {
    public enum Outcome {
        ADMITTED,
        REJECTED_RATE,
        REJECTED_CONCURRENCY,
        UNKNOWN_KEY,
        STORE_UNAVAILABLE
    }

    private final Outcome outcome;
    private final ClientState client;
    private final Tier tier;
    private final long remaining;
    private final long nanosToRefill;
    private final long nanosToFull;
    private final String detail;

    Decision(Outcome outcome, ClientState client, Tier tier, long remaining, long nanosToRefill, long nanosToFull) {
        this(outcome, client, tier, remaining, nanosToRefill, nanosToFull, null);
    }

    private Decision(
            Outcome outcome,
            ClientState client,
            Tier tier,
            long remaining,
            long nanosToRefill,
            long nanosToFull,
            String detail) {
        this.detail = detail;
        this.outcome = outcome;
        this.client = client;
        this.tier = tier;
        this.remaining = remaining;
        this.nanosToRefill = nanosToRefill;
        this.nanosToFull = nanosToFull;
    }

    static Decision unknownKey() {
        return new Decision(Outcome.UNKNOWN_KEY, null, null, 0, 0, 0);
    }

    /** A shared store could not decide and fails closed; retry after {@code retryAfterNanos}. */
    static Decision storeUnavailable(Tier tier, String detail, long retryAfterNanos) {
        return new Decision(Outcome.STORE_UNAVAILABLE, null, tier, 0, retryAfterNanos, 0, detail);
    }

    public Outcome outcome() {
        return outcome;
    }

    public boolean admitted() {
        return outcome == Outcome.ADMITTED;
    }

    /** The tier applied, or null for an unknown key. */
    public Tier tier() {
        return tier;
    }

    public long remaining() {
        return remaining;
    }

    /** Whole seconds, at least 1, until a retry can be admitted: what Retry-After says. */
    public long retryAfterSeconds() {
        return Math.max(1, (nanosToRefill + 999_999_999L) / 1_000_000_000L);
    }

    /** Milliseconds until the next token, as the 429 body reports it. */
    public long waitMillis() {
        return (nanosToRefill + 999_999L) / 1_000_000L;
    }

    /** Whole seconds until the bucket is full again: the reset of the RateLimit headers. */
    public long resetSeconds() {
        return (nanosToFull + 999_999_999L) / 1_000_000_000L;
    }

    public String reason() {
        switch (outcome) {
            case REJECTED_RATE:
                return "rate";
            case REJECTED_CONCURRENCY:
                return "concurrency";
            case STORE_UNAVAILABLE:
                return "store_unavailable";
            default:
                return null;
        }
    }

    /** Why the store could not decide (STORE_UNAVAILABLE only), or null. */
    public String detail() {
        return detail;
    }

    /** Frees the in-flight slot an admitted decision holds. */
    public void release() {
        if (outcome == Outcome.ADMITTED) {
            client.exit();
            tier.stats().inFlight.decrementAndGet();
        }
    }
}
