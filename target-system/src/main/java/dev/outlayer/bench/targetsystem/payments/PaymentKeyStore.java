package dev.outlayer.bench.targetsystem.payments;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where the coordinator keeps its payment keys: OutLayer's {@code payment_keys} rows (the metadata)
 * and {@code payment_key_balances} rows (spent, reserved). In memory ({@link
 * InMemoryPaymentKeyStore}) or in PostgreSQL ({@link PostgresPaymentKeyStore}), where coordinators
 * sharing the database share the keys. Every change of one key is one atomic step, in one process or
 * many: concurrent reservations never reserve more than the key holds.
 */
public interface PaymentKeyStore {

    /** The key's metadata, deleted or not. */
    Optional<PaymentKeys.Metadata> metadata(PaymentKeys.Id id);

    /**
     * Replaces the key's metadata with {@code change} of it (null when the key is unknown) in one
     * atomic step; a null result leaves an unknown key unknown. Returns what {@code change} returned;
     * a refusal it throws changes nothing.
     */
    PaymentKeys.Metadata update(PaymentKeys.Id id, UnaryOperator<PaymentKeys.Metadata> change);

    /**
     * Reserves {@code amount} when {@code initialBalance} - spent - reserved covers it, the key's
     * {@code lastReservedAt} now; empty when reserved, else what was available (nothing changed).
     */
    Optional<BigInteger> reserve(PaymentKeys.Id id, BigInteger initialBalance, BigInteger amount);

    /** Gives a reservation back (never below 0), the key's {@code lastReservedAt} now (OutLayer's release_balance). */
    void release(PaymentKeys.Id id, BigInteger amount);

    /**
     * Releases {@code reserved} and adds {@code spent} to what the key spent, in one step; {@code
     * lastReservedAt} unchanged (OutLayer's finalize_call).
     */
    void settle(PaymentKeys.Id id, BigInteger reserved, BigInteger spent, Instant at);

    /**
     * Sets {@code reserved} to 0 and {@code lastReservedAt} to null on every key whose reserved is
     * not 0 and whose {@code lastReservedAt} is before {@code before} (OutLayer's {@code UPDATE
     * payment_key_balances ... WHERE reserved != '0' AND last_reserved_at < NOW() - threshold}), each
     * key in one atomic step; returns how many keys.
     */
    int clearStaleReservations(Instant before);

    /** The key's spent and reserved ({@link PaymentKeys.Balance#EMPTY} when it never reserved). */
    PaymentKeys.Balance balance(PaymentKeys.Id id);

    /**
     * OutLayer's {@code list_grant_keys} query: every live (not deleted) grant key with its spent and
     * reserved, newest first (by when the key was first recorded; then by owner and nonce).
     */
    List<PaymentKeys.GrantKey> grantKeys();
}
