package dev.outlayer.bench.targetsystem.throttle;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Whether a shared store is worth asking. A few failures in a row open the circuit: requests stop
 * going to the store (no pile-up of timeouts against a dead server) until a probe, no sooner than
 * {@code retryNanos} later, finds it answering again.
 */
final class StoreCircuit {
    /** Consecutive failures that open the circuit; one slow reply alone does not. */
    static final int FAILURES_TO_OPEN = 3;

    private final long retryNanos;
    private final LongSupplier clock;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private volatile boolean open;
    private volatile long openedAtNanos;
    private volatile String lastError;
    private volatile Instant lastErrorAt;

    StoreCircuit(long retryNanos, LongSupplier clock) {
        this.retryNanos = retryNanos;
        this.clock = clock;
    }

    /** False while the circuit is open: decide without the store. */
    boolean allowsCalls() {
        return !open;
    }

    /** Records a good reply; returns true if this closed an open circuit. */
    boolean succeeded() {
        consecutiveFailures.set(0);
        if (open) {
            open = false;
            return true;
        }
        return false;
    }

    /** Records a failure; returns true if this opened the circuit. */
    boolean failed(String error) {
        lastError = error;
        lastErrorAt = Instant.now();
        if (open) {
            openedAtNanos = clock.getAsLong();
            return false;
        }
        if (consecutiveFailures.incrementAndGet() >= FAILURES_TO_OPEN) {
            openedAtNanos = clock.getAsLong();
            open = true;
            return true;
        }
        return false;
    }

    /** Opens the circuit at once, e.g. when there is no connection at all. */
    boolean forceOpen(String error) {
        consecutiveFailures.set(FAILURES_TO_OPEN);
        lastError = error;
        lastErrorAt = Instant.now();
        openedAtNanos = clock.getAsLong();
        boolean wasClosed = !open;
        open = true;
        return wasClosed;
    }

    /** True when the circuit is open and the retry interval has passed: time to probe. */
    boolean probeDue() {
        return open && clock.getAsLong() - openedAtNanos >= retryNanos;
    }

    /** Nanoseconds until the next probe, or 0 when the circuit is closed. */
    long nanosUntilProbe() {
        return open ? Math.max(0, openedAtNanos + retryNanos - clock.getAsLong()) : 0;
    }

    boolean isOpen() {
        return open;
    }

    String lastError() {
        return lastError;
    }

    Instant lastErrorAt() {
        return lastErrorAt;
    }
}
