package dev.outlayer.bench.targetsystem.throttle;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TokensInheritanceStrategy;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the coordinator keeps per client (an API key, or an address for anonymous callers): its
 * in-process token bucket and its requests in flight. Entries expire when idle.
 */
public final class ClientState {
    private final String id;
    private final Bucket localBucket;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile Tier tier;
    private volatile long lastSeenNanos;

    ClientState(String id, Tier tier) {
        this.id = id;
        this.tier = tier;
        this.localBucket = Bucket.builder()
                .addLimit(tier.bucketConfiguration().getBandwidths()[0])
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
