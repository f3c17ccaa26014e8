package dev.outlayer.bench.targetsystem.payments;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The rate windows in this process's memory: one {@code compute} of the key's entry per call.
 * Any owner:nonce gets a window (OutLayer counts before it checks the key), so once there are many,
 * the expired ones are dropped, as OutLayer's Redis counters expire.
 */
public final class InMemoryPaymentKeyRateLimit implements PaymentKeyRateLimit {
    /** Past this many windows, expired ones are dropped before a new one is made. */
    public static final int MAX_WINDOWS = 10_000;

    /** A key's window: its first call's time and how many calls it counted. */
    private record Window(long startNanos, int count) {}

    private final Map<PaymentKeys.Id, Window> windows = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;

    /** @param nanoClock the windows' clock (tests move it) */
    public InMemoryPaymentKeyRateLimit(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    @Override
    public int count(PaymentKeys.Id key) {
        long now = nanoClock.getAsLong();
        if (windows.size() >= MAX_WINDOWS) {
            windows.values().removeIf(w -> now - w.startNanos() >= WINDOW_NANOS);
        }
        return windows.compute(
                        key,
                        (k, old) -> old == null || now - old.startNanos() >= WINDOW_NANOS
                                ? new Window(now, 1)
                                : new Window(old.startNanos(), old.count() + 1))
                .count();
    }

    /** How many windows are kept. */
    int windows() {
        return windows.size();
    }
}
