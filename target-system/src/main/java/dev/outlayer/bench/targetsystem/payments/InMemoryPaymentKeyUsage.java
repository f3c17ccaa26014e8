package dev.outlayer.bench.targetsystem.payments;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The payment keys' usage in this process's memory: the newest {@link #KEPT} rows of each key (the
 * total counts them all), appended without a lock. Only keys that exist get rows, as only their
 * calls are finalized.
 */
public final class InMemoryPaymentKeyUsage implements PaymentKeyUsage {
    /** Usage rows kept per key. */
    static final int KEPT = 1_000;

    private final ConcurrentHashMap<PaymentKeys.Id, BoundedLog<Usage>> keys = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);

    @Override
    public void record(PaymentKeys.Id key, Usage usage) {
        keys.computeIfAbsent(key, k -> new BoundedLog<>(KEPT))
                .add(new Usage(
                        nextId.getAndIncrement(),
                        usage.callId(),
                        usage.jobId(),
                        usage.projectId(),
                        usage.computeCost(),
                        usage.attachedDeposit(),
                        usage.status(),
                        usage.createdAt()));
    }

    @Override
    public Page<Usage> of(PaymentKeys.Id key, Page.Request page) {
        BoundedLog<Usage> log = keys.get(key);
        return log == null ? new Page<>(List.of(), 0) : log.page(page);
    }
}
