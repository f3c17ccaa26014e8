package dev.outlayer.bench.targetsystem.payments;

import dev.outlayer.bench.targetsystem.throttle.FixedWindows;
import java.util.function.LongSupplier;

/**
 * The rate windows in this process's memory. Any owner:nonce gets a window (OutLayer counts before it
 * checks the key), so once there are many, the expired ones are dropped, as OutLayer's Redis counters
 * expire.
 */
public final class InMemoryPaymentKeyRateLimit implements PaymentKeyRateLimit {
    /** Past this many windows, expired ones are dropped before a new one is made. */
    public static final int MAX_WINDOWS = 10_000;

    private final FixedWindows<PaymentKeys.Id> windows;

    /** @param nanoClock the windows' clock (tests move it) */
    public InMemoryPaymentKeyRateLimit(LongSupplier nanoClock) {
        this.windows = new FixedWindows<>(nanoClock, WINDOW_NANOS, MAX_WINDOWS);
    }

    @Override
    public int count(PaymentKeys.Id key) {
        return windows.count(key);
    }

    /** How many windows are kept. */
    int windows() {
        return windows.size();
    }
}
