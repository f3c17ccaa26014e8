package dev.outlayer.bench.targetsystem.throttle;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.TokensInheritanceStrategy;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the coordinator keeps per client (an API key, or an address for anonymous callers): its
 * in-process token bucket and its requests in flight. Entries expire when idle.
 */
public final class ClientState {
    /**
     * The clock buckets refill by: {@link System#nanoTime()}. bucket4j's builder defaults to
     * {@link System#currentTimeMillis()}, the wall clock, which a resync steps: on this VM the
     * wall clock jumps forward after a pause that the monotonic clock never saw (a snapshot), and
     * a bucket on it refilled rate x the jump for time that did not pass (BurstCapacitySimulation
     * measured 37.3 s for a burst that cannot take less than 38 s), or, stepped back, refilled
     * nothing until the wall clock caught up.
     */
    static final TimeMeter CLOCK = TimeMeter.SYSTEM_NANOTIME;

    private final String id;
    private final Bucket localBucket;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile Tier tier;
    private volatile long lastSeenNanos;

    ClientState(String id, Tier tier) {
        this(id, tier, CLOCK);
    }

    /** As above, the bucket refilling by {@code clock} (a test's fake clock). */
    ClientState(String id, Tier tier, TimeMeter clock) {
        this.id = id;
        this.tier = tier;
        this.localBucket = Bucket.builder()
                .addLimit(tier.bucketConfiguration().getBandwidths()[0])
                .withCustomTimePrecision(clock)
                .build();
    }

    /** A stable name for the client, e.g. {@code key:abc} or {@code ip:127.0.0.1}: the bucket's key in shared stores. */
    public String id() {
        return id;
    }

    public Tier tier() {
        return tier;
    }

    public Bucket localBucket() {
        return localBucket;
    }

    /** Follows a reload of the tiers file: the bucket keeps its fill level in proportion. */
    void retier(Tier newTier) {
        Tier old = tier;
        if (old == newTier) {
            return;
        }
        if (!old.sameLimits(newTier)) {
            localBucket.replaceConfiguration(newTier.bucketConfiguration(), TokensInheritanceStrategy.PROPORTIONALLY);
        }
        tier = newTier;
    }

    boolean tryEnter(int limit) {
        int now = inFlight.incrementAndGet();
        if (now > limit) {
            inFlight.decrementAndGet();
            return false;
        }
        return true;
    }

    void exit() {
        inFlight.decrementAndGet();
    }

    void touch(long nowNanos) {
        lastSeenNanos = nowNanos;
    }

    long lastSeenNanos() {
        return lastSeenNanos;
    }

    int inFlight() {
        return inFlight.get();
    }
}
