package dev.outlayer.bench.targetsystem.executions;

import dev.outlayer.bench.targetsystem.payments.PaymentKeyUsage;
import dev.outlayer.bench.targetsystem.payments.PaymentKeys;
import dev.outlayer.bench.targetsystem.payments.ProjectEarnings;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTPS calls in this process only: the calls themselves are {@link HttpsCalls}' own (a restart
 * forgets them), whose finalize-once flag makes each call finalize once; this store charges keys,
 * records their usage and credits owners in memory, and numbers the calls' requests.
 */
public final class InMemoryHttpsCallStore implements HttpsCallStore {
    private final PaymentKeys keys;
    private final ProjectEarnings earnings;
    private final PaymentKeyUsage usage;
    private final AtomicLong nextRequestId = new AtomicLong(HttpsCalls.FIRST_REQUEST_ID);

    public InMemoryHttpsCallStore(PaymentKeys keys, ProjectEarnings earnings, PaymentKeyUsage usage) {
        this.keys = keys;
        this.earnings = earnings;
        this.usage = usage;
    }

    @Override
    public long open(NewCall call) {
        keys.reserve(call.key(), call.initialBalance(), call.reserved());
        return nextRequestId.getAndIncrement();
    }

    @Override
    public Optional<StoredCall> find(UUID id) {
        return Optional.empty();
    }

    @Override
    public boolean finalize(StoredCall call, Finalization finalization) {
        keys.settle(call.key(), call.reserved(), finalization.spent(), finalization.at());
        if (finalization.cost() != null) {
            // a call that ran is recorded; one that timed out or never queued is not
            usage.record(call.key(), finalization.usage(call));
        }
        // finalize_call credits the deposit the program kept, whether the run succeeded or not
        earnings.credit(finalization.credit(call));
        return true;
    }

    @Override
    public List<StoredCall> pendingSince(Instant before, int limit) {
        return List.of();
    }

    @Override
    public Map<UUID, HttpsCalls.Answer> finalized(Collection<UUID> ids) {
        return Map.of();
    }

    @Override
    public boolean shared() {
        return false;
    }
}
