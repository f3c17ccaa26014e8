package dev.outlayer.bench.targetsystem.payments;

import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OutLayer's payment-key cleanup job (coordinator background_jobs.rs {@code run_payment_key_cleanup}):
 * a key whose reservation is stuck, because the call that made it was never settled nor released (its
 * worker died mid-call and nothing timed it out), gets its whole {@code reserved} back once nothing was
 * reserved or released on it for {@link #staleThreshold()}. One {@link #run()} is one pass; the
 * coordinator's wiring runs it every {@code --payment-key-cleanup-interval-seconds} (OutLayer: every 5
 * minutes, threshold 10 minutes). The cutoff is read from the clock given here (tests move it).
 */
public final class PaymentKeyCleanup {
    private static final Logger LOG = LoggerFactory.getLogger(PaymentKeyCleanup.class);

    /** OutLayer's {@code PaymentKeyCleanupConfig::default()}: {@code check_interval} 5 minutes. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(5);

    /** OutLayer's {@code PaymentKeyCleanupConfig::default()}: {@code stale_threshold} 10 minutes. */
    public static final Duration DEFAULT_STALE_THRESHOLD = Duration.ofMinutes(10);

    private final PaymentKeys keys;
    private final Duration staleThreshold;
    private final Clock clock;

    public PaymentKeyCleanup(PaymentKeys keys, Duration staleThreshold, Clock clock) {
        if (staleThreshold.isNegative() || staleThreshold.isZero()) {
            throw new IllegalArgumentException("the stale-reservation threshold must be positive");
        }
        this.keys = keys;
        this.staleThreshold = staleThreshold;
        this.clock = clock;
    }

    /** How long a key must have seen no reservation or release before its reservation is cleared. */
    public Duration staleThreshold() {
        return staleThreshold;
    }

    /**
     * One pass (OutLayer's {@code cleanup_stuck_reservations}): every key that holds a reservation and
     * on which nothing was reserved or released for longer than the threshold has it cleared; returns
     * how many keys.
     */
    public int run() {
        int cleared = keys.clearStaleReservations(clock.instant().minus(staleThreshold));
        if (cleared > 0) {
            LOG.warn("reset {} stuck reserved balances (stale threshold {} s)", cleared, staleThreshold.toSeconds());
        }
        return cleared;
    }
}
