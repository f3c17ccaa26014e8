package dev.outlayer.bench.targetsystem.payments;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The payment keys in this process's memory: a restart forgets them, as it forgets the jobs of the
 * in-memory job store. One key's change is one {@code compute} of its map entry.
 */
public final class InMemoryPaymentKeyStore implements PaymentKeyStore {
    private final ConcurrentHashMap<PaymentKeys.Id, PaymentKeys.Metadata> keys = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<PaymentKeys.Id, PaymentKeys.Balance> balances = new ConcurrentHashMap<>();

    @Override
    public Optional<PaymentKeys.Metadata> metadata(PaymentKeys.Id id) {
        return Optional.ofNullable(keys.get(id));
    }

    @Override
    public PaymentKeys.Metadata update(PaymentKeys.Id id, UnaryOperator<PaymentKeys.Metadata> change) {
        return keys.compute(id, (k, old) -> change.apply(old));
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
            return new PaymentKeys.Balance(balance.spent(), balance.reserved().add(amount), balance.lastUsedAt());
        });
        return Optional.ofNullable(shortOf[0]);
    }

    @Override
    public void release(PaymentKeys.Id id, BigInteger amount) {
        balances.computeIfPresent(
                id,
                (k, old) -> new PaymentKeys.Balance(
                        old.spent(), old.reserved().subtract(amount).max(BigInteger.ZERO), old.lastUsedAt()));
    }

    @Override
    public void settle(PaymentKeys.Id id, BigInteger reserved, BigInteger spent, Instant at) {
        balances.compute(id, (k, old) -> {
            PaymentKeys.Balance balance = old == null ? PaymentKeys.Balance.EMPTY : old;
            return new PaymentKeys.Balance(
                    balance.spent().add(spent),
                    balance.reserved().subtract(reserved).max(BigInteger.ZERO),
                    at);
        });
    }

    @Override
    public PaymentKeys.Balance balance(PaymentKeys.Id id) {
        return balances.getOrDefault(id, PaymentKeys.Balance.EMPTY);
    }
}
