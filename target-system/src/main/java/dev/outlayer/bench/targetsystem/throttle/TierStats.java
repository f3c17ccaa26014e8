package dev.outlayer.bench.targetsystem.throttle;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/** Admissions, rejections and requests in flight of one tier; it outlives reloads of the tier's limits. */
public final class TierStats {
    final Counter admitted;
    final Counter rejectedRate;
    final Counter rejectedConcurrency;
    final Counter storeUnavailable;
    final AtomicInteger inFlight = new AtomicInteger();

    TierStats(String tier, MeterRegistry registry) {
        this.admitted = decisions(registry, tier, "admitted");
        this.rejectedRate = decisions(registry, tier, "rejected_rate");
        this.rejectedConcurrency = decisions(registry, tier, "rejected_concurrency");
        this.storeUnavailable = decisions(registry, tier, "store_unavailable");
        Gauge.builder("outlayer_throttle_in_flight", inFlight, AtomicInteger::get)
                .description("Requests admitted and not yet answered, by tier")
                .tag("tier", tier)
                .register(registry);
    }

    private static Counter decisions(MeterRegistry registry, String tier, String outcome) {
        return Counter.builder("outlayer_throttle_decisions")
                .description("Throttle decisions by tier and outcome")
                .tag("tier", tier)
                .tag("outcome", outcome)
                .register(registry);
    }

    public long admitted() {
        return (long) admitted.count();
    }

    public long rejected() {
        return (long) (rejectedRate.count() + rejectedConcurrency.count());
    }

    public int inFlight() {
        return inFlight.get();
    }
}
