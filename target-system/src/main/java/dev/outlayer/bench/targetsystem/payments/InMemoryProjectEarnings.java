package dev.outlayer.bench.targetsystem.payments;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Project owners' earnings in this process's memory, as the in-memory keys are. */
public final class InMemoryProjectEarnings implements ProjectEarnings {
    private final ConcurrentHashMap<String, Earnings> owners = new ConcurrentHashMap<>();

    @Override
    public void credit(String projectOwner, BigInteger amount) {
        if (amount.signum() <= 0) {
            return;
        }
        Instant now = Instant.now();
        owners.merge(
                projectOwner,
                new Earnings(amount, amount, now),
                (old, added) -> new Earnings(
                        old.balance().add(amount), old.totalEarned().add(amount), now));
    }

    @Override
    public Optional<Earnings> of(String projectOwner) {
        return Optional.ofNullable(owners.get(projectOwner));
    }
}
