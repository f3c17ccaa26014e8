package dev.outlayer.bench.targetsystem.locks;

/**
 * OutLayer's distributed locks (coordinator handlers/locks.rs), which its workers take around work that one of
 * them should do at a time: a lock is a key held by one worker id until it is released or its time-to-live
 * passes, whichever comes first. In memory ({@link InMemoryLockStore}) or in Redis ({@link RedisLockStore}, as
 * OutLayer keeps them, so that every coordinator on the server sees the same locks).
 */
public interface LockStore extends AutoCloseable {
    /**
     * OutLayer's {@code SET lock:<key> <holder> NX EX <ttl>}: takes the lock for {@code holder} unless someone
     * (this holder included: the lock is not re-entrant) holds it and its time has not passed. False also for a
     * time-to-live Redis refuses (0, or so long that its deadline overflows a millisecond clock), which
     * OutLayer's handler reads as not acquired.
     */
    boolean acquire(String key, String holder, long ttlSeconds);

    /** OutLayer's {@code DEL lock:<key>}: whoever holds the lock, it is free afterwards; nothing if none is held. */
    void release(String key);

    /** What {@link #releaseIfHeldBy} did. */
    enum Release {
        /** The holder's lock was released. */
        RELEASED,
        /** No one held it (never taken, released, or its time passed): nothing to release. */
        NOT_HELD,
        /** Another worker holds it: it stays theirs. */
        HELD_BY_ANOTHER
    }

    /** Releases the lock only if {@code holder} holds it (a compare-and-delete; the stand-in's, not OutLayer's). */
    Release releaseIfHeldBy(String key, String holder);

    /** Where the locks are kept, for the start-up log (never a password). */
    String describe();

    @Override
    default void close() {}

    /**
     * Whether Redis would take {@code ttlSeconds} as {@code EX} at {@code nowMillis}: positive, and its deadline
     * in milliseconds fits a signed 64-bit number (Redis's {@code invalid expire time} otherwise).
     */
    static boolean validTtl(long ttlSeconds, long nowMillis) {
        return ttlSeconds > 0 && ttlSeconds <= (Long.MAX_VALUE - nowMillis) / 1000;
    }
}
