package dev.outlayer.bench.targetsystem.payments;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The payment keys in this process's memory: a restart forgets them, as it forgets the jobs of the
 * in-memory job store. One key's change is one {@code compute} of its map entry.
 */
public final class InMemoryPaymentKeyStore implements PaymentKeyStore {
    /** A key's metadata and when it was first recorded (OutLayer's {@code payment_keys.created_at}). */
    private record Row(PaymentKeys.Metadata metadata, Instant createdAt) {}

    private final ConcurrentHashMap<PaymentKeys.Id, Row> keys = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<PaymentKeys.Id, PaymentKeys.Balance> balances = new ConcurrentHashMap<>();
    private final Clock clock;

    public InMemoryPaymentKeyStore() {
        this(Clock.systemUTC());
    }

    /** @param clock when a new key is recorded, and when a reservation is made or released */
    public InMemoryPaymentKeyStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Optional<PaymentKeys.Metadata> metadata(PaymentKeys.Id id) {
        return Optional.ofNullable(keys.get(id)).map(Row::metadata);
    }

    @Override
    public PaymentKeys.Metadata update(PaymentKeys.Id id, UnaryOperator<PaymentKeys.Metadata> change) {
        Row row = keys.compute(id, (k, old) -> {
            PaymentKeys.Metadata next = change.apply(old == null ? null : old.metadata());
            if (next == null) {
                return old;
            }
            return new Row(next, old == null ? clock.instant() : old.createdAt());
        });
        return row == null ? null : row.metadata();
    }

    @Override
    public Optional<BigInteger> reserve(PaymentKeys.Id id, BigInteger initialBalance, BigInteger amount) {
        BigInteger[] shortOf = {null};
        balances.compute(id, (k, old) -> {
            PaymentKeys.Balance balance = old == null ? PaymentKeys.Balance.EMPTY : old;
            BigInteger available = PaymentKeys.available(initialBalance, balance);
            if (available.compareTo(amount) < 0) {
                shortOf[0] = available;
                return old;
            }
            return new PaymentKeys.Balance(
                    balance.spent(), balance.reserved().add(amount), balance.lastUsedAt(), clock.instant());
        });
        return Optional.ofNullable(shortOf[0]);
    }

    @Override
    public void release(PaymentKeys.Id id, BigInteger amount) {
        balances.computeIfPresent(
                id,
                (k, old) -> new PaymentKeys.Balance(
                        old.spent(),
                        old.reserved().subtract(amount).max(BigInteger.ZERO),
                        old.lastUsedAt(),
                        clock.instant()));
    }

    @Override
    public void settle(PaymentKeys.Id id, BigInteger reserved, BigInteger spent, Instant at) {
        balances.compute(id, (k, old) -> {
            PaymentKeys.Balance balance = old == null ? PaymentKeys.Balance.EMPTY : old;
            return new PaymentKeys.Balance(
                    balance.spent().add(spent),
                    balance.reserved().subtract(reserved).max(BigInteger.ZERO),
                    at,
                    balance.lastReservedAt());
        });
    }

    @Override
    public int clearStaleReservations(Instant before) {
        int cleared = 0;
        for (PaymentKeys.Id id : balances.keySet()) {
            boolean[] stale = {false};
            balances.computeIfPresent(id, (k, old) -> {
                stale[0] = old.reserved().signum() != 0
                        && old.lastReservedAt() != null
                        && old.lastReservedAt().isBefore(before);
                return stale[0] ? new PaymentKeys.Balance(old.spent(), BigInteger.ZERO, old.lastUsedAt(), null) : old;
            });
            if (stale[0]) {
                cleared++;
            }
        }
        return cleared;
    }

    @Override
    public PaymentKeys.Balance balance(PaymentKeys.Id id) {
        return balances.getOrDefault(id, PaymentKeys.Balance.EMPTY);
    }

    @Override
    public List<PaymentKeys.GrantKey> grantKeys() {
        return keys.entrySet().stream()
                .filter(e -> e.getValue().metadata().grant()
                        && !e.getValue().metadata().deleted())
                .map(e -> {
                    PaymentKeys.Metadata key = e.getValue().metadata();
                    PaymentKeys.Balance balance = balance(e.getKey());
                    return new PaymentKeys.GrantKey(
                            e.getKey(),
                            key.initialBalance(),
                            balance.spent(),
                            balance.reserved(),
                            key.projectIds(),
                            key.maxPerCall(),
                            e.getValue().createdAt());
                })
                .sorted(NEWEST_FIRST)
                .toList();
    }

    /** OutLayer's {@code ORDER BY created_at DESC}, ties in a fixed order. */
    static final Comparator<PaymentKeys.GrantKey> NEWEST_FIRST = Comparator.comparing(PaymentKeys.GrantKey::createdAt)
            .reversed()
            .thenComparing(k -> k.id().owner())
            .thenComparingLong(k -> k.id().nonce());
}
