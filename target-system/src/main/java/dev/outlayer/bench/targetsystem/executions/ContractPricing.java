package dev.outlayer.bench.targetsystem.executions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The contract's pricing as OutLayer's coordinator holds it ({@code AppState.pricing} and {@code
 * pricing_updated_at}, coordinator main.rs and handlers/pricing.rs): read from the contract's views,
 * or OutLayer's default pricing while they cannot be read; read again on request ({@code POST
 * /public/pricing/refresh}) at most once an hour.
 *
 * <p>OutLayer reads it once at start and falls back to the defaults for good when that fails; here
 * the first reader reads it, and a failed read is tried again by the next (the contract simulator
 * may come up after the coordinator's first claim). As OutLayer's, the hour runs from the
 * coordinator's start, and only a refresh that read the contract restarts it.
 */
public final class ContractPricing {
    /** OutLayer's {@code MIN_UPDATE_INTERVAL}: one refresh an hour. */
    public static final Duration MIN_UPDATE_INTERVAL = Duration.ofHours(1);

    private final ContractViews views;
    private final Clock clock;
    private volatile Pricing pricing;
    private Instant updatedAt;

    public ContractPricing(ContractViews views, Clock clock) {
        this.views = views;
        this.clock = clock;
        this.updatedAt = clock.instant();
    }

    /** The pricing claims carry and {@code GET /public/pricing} shows. */
    public Pricing current() {
        Pricing known = pricing;
        if (known != null) {
            return known;
        }
        Optional<Pricing> read = read();
        read.ifPresent(p -> pricing = p);
        return read.orElse(Pricing.DEFAULT);
    }

    /**
     * OutLayer's {@code refresh_pricing}: within an hour of the last update, the current pricing,
     * nothing read; else the contract's pricing read anew (it becomes current, and the hour starts
     * again), or empty when the contract cannot be read (nothing changes).
     */
    public synchronized Optional<Pricing> refresh() {
        Instant now = clock.instant();
        Duration elapsed = Duration.between(updatedAt, now);
        if (elapsed.isNegative()) {
            elapsed = Duration.ZERO; // OutLayer's duration_since(...).unwrap_or(0)
        }
        if (elapsed.compareTo(MIN_UPDATE_INTERVAL) < 0) {
            return Optional.of(current());
        }
        Optional<Pricing> read = read();
        read.ifPresent(p -> {
            pricing = p;
            updatedAt = now;
        });
        return read;
    }

    private Optional<Pricing> read() {
        return views.view("get_pricing")
                .flatMap(fees -> views.view("get_max_limits").flatMap(limits -> Pricing.of(fees, limits)));
    }
}
