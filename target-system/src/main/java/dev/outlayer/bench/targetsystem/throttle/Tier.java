package dev.outlayer.bench.targetsystem.throttle;

import io.github.bucket4j.BucketConfiguration;
import java.time.Duration;

/**
 * A throttling tier: a token bucket of {@code burst} tokens refilled greedily at
 * {@code ratePerSecond}, and a cap on requests in flight per client.
 */
public final class Tier {
    private final String name;
    private final long ratePerSecond;
    private final long burst;
    private final int maxInFlight;
    private final BucketConfiguration bucketConfiguration;
    private final TierStats stats;

    Tier(String name, long ratePerSecond, long burst, int maxInFlight, TierStats stats) {
        if (ratePerSecond <= 0 || burst <= 0 || maxInFlight <= 0) {
            throw new IllegalArgumentException("tier " + name + ": rate, burst and max_in_flight must be positive");
        }
        this.name = name;
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.maxInFlight = maxInFlight;
        this.stats = stats;
        this.bucketConfiguration = BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(burst).refillGreedy(ratePerSecond, Duration.ofSeconds(1)))
                .build();
    }

    public String name() {
        return name;
    }

    public long ratePerSecond() {
        return ratePerSecond;
    }

    public long burst() {
        return burst;
    }

    public int maxInFlight() {
        return maxInFlight;
    }

    public BucketConfiguration bucketConfiguration() {
        return bucketConfiguration;
    }

    public TierStats stats() {
        return stats;
    }

    /** Time for an empty bucket to fill up: after this long idle, a client's bucket holds nothing worth keeping. */
    public long fullRefillNanos() {
        return Math.max(1, burst * 1_000_000_000L / ratePerSecond);
    }

    /** The window of the IETF RateLimit-Policy header: burst tokens per this many seconds. */
    public long policyWindowSeconds() {
        return Math.max(1, (burst + ratePerSecond - 1) / ratePerSecond);
    }

    boolean sameLimits(Tier other) {
        return ratePerSecond == other.ratePerSecond && burst == other.burst && maxInFlight == other.maxInFlight;
    }

    @Override
    public String toString() {
        return name + "(" + ratePerSecond + " rps, burst " + burst + ", " + maxInFlight + " in flight)";
    }
}
