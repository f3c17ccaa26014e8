package dev.outlayer.bench.targetsystem.throttle;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * OutLayer's per-caller rate windows, in this process's memory: a window starts at a caller's first
 * request and counts every request until it is {@code windowNanos} old; the next request starts a new
 * one. OutLayer counts so for a payment key (a Redis counter that expires) and for a client address
 * (its {@code IpRateLimiter}): a fixed window, not a token bucket. Any caller gets a window, so once
 * there are many, the expired ones are dropped.
 */
public final class FixedWindows<K> {
    /** A caller's window: its first request's time and how many requests it counted. */
    private record Window(long startNanos, int count) {}

    private final Map<K, Window> windows = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;
    private final long windowNanos;
    private final int maxWindows;

    /**
     * @param nanoClock the windows' clock (tests move it)
     * @param maxWindows past this many windows, expired ones are dropped before a new one is made
     */
    public FixedWindows(LongSupplier nanoClock, long windowNanos, int maxWindows) {
        this.nanoClock = nanoClock;
        this.windowNanos = windowNanos;
        this.maxWindows = maxWindows;
    }

    /** Counts one request of {@code caller}: its window's count with it (one {@code compute} of its entry). */
    public int count(K caller) {
        long now = nanoClock.getAsLong();
        if (windows.size() >= maxWindows) {
            windows.values().removeIf(w -> now - w.startNanos() >= windowNanos);
        }
        return windows.compute(
                        caller,
                        (k, old) -> old == null || now - old.startNanos() >= windowNanos
                                ? new Window(now, 1)
                                : new Window(old.startNanos(), old.count() + 1))
                .count();
    }

    /** Nanoseconds until {@code caller}'s window ends (0 when it has none or it has ended). */
    public long nanosLeft(K caller) {
        Window window = windows.get(caller);
        return window == null ? 0 : Math.max(0, window.startNanos() + windowNanos - nanoClock.getAsLong());
    }

    /** How many windows are kept. */
    public int size() {
        return windows.size();
    }
}
