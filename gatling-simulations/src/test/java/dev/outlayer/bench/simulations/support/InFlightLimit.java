package dev.outlayer.bench.simulations.support;

import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.pause;

import io.gatling.javaapi.core.ChainBuilder;
import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * At most {@code limit} calls of one client in flight at once, as an SDK with a small connection pool
 * would keep them. Twenty calls fired at once against the anonymous tier's in-flight cap of 4 would
 * otherwise measure the cap, not the token bucket: each call the cap refuses waits a whole second
 * ({@code Retry-After} >= 1) while the bucket refills to its burst, so only about 4 calls pass per second
 * and the bucket is never emptied. {@code -Dclient.maxInFlight=0} lifts the limit.
 */
public final class InFlightLimit {
    private static final Duration POLL = Duration.ofMillis(5);

    private final Semaphore permits;

    private InFlightLimit(int limit) {
        this.permits = limit > 0 ? new Semaphore(limit) : null;
    }

    /** The limit named by {@code -Dclient.maxInFlight} (default 4, the anonymous tier's cap; 0 for none). */
    public static InFlightLimit fromParams() {
        return new InFlightLimit(Params.integer("client.maxInFlight", 4));
    }

    /** No limit: for a client that makes one call at a time anyway. */
    public static InFlightLimit none() {
        return new InFlightLimit(0);
    }

    /** Runs {@code call} once a slot is free, polling without blocking Gatling's threads, then frees it. */
    ChainBuilder around(ChainBuilder call) {
        if (permits == null) {
            return call;
        }
        return asLongAs(session -> !permits.tryAcquire())
                .on(pause(POLL))
                .exec(call)
                .exec(session -> {
                    permits.release();
                    return session;
                });
    }
}
