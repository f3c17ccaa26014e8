package dev.outlayer.bench.targetsystem.locks;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Locks in this process's memory, each with the deadline Redis would give it: held while the clock is before
 * {@code acquired + ttl}, free from then on (for another worker to take) without anyone releasing it. The clock
 * is injected, so that expiry is tested by moving it. Locks whose time passed are forgotten when their key is
 * next taken and, every {@value #SWEEP_EVERY} acquisitions, all at once.
 */
public final class InMemoryLockStore implements LockStore {
    /** How many acquisitions pass between two sweeps of the expired locks. */
    static final int SWEEP_EVERY = 1024;

    private record Held(String holder, long deadlineMillis) {
        boolean liveAt(long nowMillis) {
            return nowMillis < deadlineMillis;
        }
    }

    private final Clock clock;
    private final ConcurrentHashMap<String, Held> locks = new ConcurrentHashMap<>();
    private final AtomicLong acquisitions = new AtomicLong();

    public InMemoryLockStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public boolean acquire(String key, String holder, long ttlSeconds) {
        long now = clock.millis();
        if (!LockStore.validTtl(ttlSeconds, now)) {
            return false;
        }
        if (acquisitions.incrementAndGet() % SWEEP_EVERY == 0) {
            locks.values().removeIf(held -> !held.liveAt(now));
        }
        Held mine = new Held(holder, now + ttlSeconds * 1000);
        // one atomic decision per key: the live lock stays, an expired one is replaced
        Held after = locks.compute(key, (k, held) -> held != null && held.liveAt(now) ? held : mine);
        return after == mine;
    }

    @Override
    public void release(String key) {
        locks.remove(key);
    }

    @Override
    public Release releaseIfHeldBy(String key, String holder) {
        long now = clock.millis();
        Release[] outcome = {Release.NOT_HELD};
        locks.computeIfPresent(key, (k, held) -> {
            if (!held.liveAt(now)) {
                return null; // its time passed: no one holds it
            }
            if (held.holder().equals(holder)) {
                outcome[0] = Release.RELEASED;
                return null;
            }
            outcome[0] = Release.HELD_BY_ANOTHER;
            return held;
        });
        return outcome[0];
    }

    /** How many locks are kept, expired ones not yet forgotten included (tests check the sweep). */
    int kept() {
        return locks.size();
    }

    @Override
    public String describe() {
        return "in memory";
    }
}
