package dev.outlayer.bench.targetsystem.payments;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The coordinator's payment keys, as OutLayer's keeps them in its {@code payment_keys} and {@code
 * payment_key_balances} tables (handlers/topup.rs, call.rs, grant_keys.rs): per {@code (owner,
 * nonce)} the key's sha256 ({@code key_hash}, never the key), {@code initial_balance} (top-ups and
 * grants added to it), the allowed {@code project_ids} (empty: any), {@code max_per_call} ("0" or
 * empty: unlimited), {@code is_grant}; and apart from them what the key has {@code spent} and has
 * {@code reserved} for calls in flight. Available = initial - spent - reserved. Amounts are u128
 * minimal stablecoin units. Every change of one key's balance is one atomic step (OutLayer locks the
 * balance row {@code FOR UPDATE}), so concurrent calls can never reserve more than the key holds.
 * The rules live here; the rows in a {@link PaymentKeyStore}: in memory (a restart forgets the keys)
 * or in PostgreSQL with {@code --jobs-db-url}.
 */
public final class PaymentKeys {
    /** 2^128: amounts are Rust u128s. */
    static final BigInteger U128_LIMIT = BigInteger.ONE.shiftLeft(128);

    /** A key's identity: its owner and nonce (the nonce is the keystore profile's name). */
    public record Id(String owner, long nonce) {}

    /** What OutLayer's {@code payment_keys} row holds of a key. */
    public record Metadata(
            String keyHash,
            BigInteger initialBalance,
            List<String> projectIds,
            String maxPerCall,
            boolean grant,
            boolean deleted) {

        /** {@code max_per_call} as a limit; empty when unlimited ("0", empty or absent, as OutLayer treats them). */
        public Optional<BigInteger> maxPerCallLimit() {
            if (maxPerCall == null || maxPerCall.isEmpty() || maxPerCall.equals("0")) {
                return Optional.empty();
            }
            return Optional.of(new BigInteger(maxPerCall));
        }

        Metadata withInitialBalance(BigInteger balance, boolean isGrant) {
            return new Metadata(keyHash, balance, projectIds, maxPerCall, isGrant, deleted);
        }
    }

    /**
     * What OutLayer's {@code payment_key_balances} row holds. {@code lastReservedAt}: when a
     * reservation was last made or released on the key (OutLayer's {@code try_reserve_balance} and
     * {@code release_balance} set it, {@code finalize_call} leaves it; null once {@link
     * PaymentKeyCleanup} cleared the key's reservation, or when the key never reserved).
     */
    public record Balance(BigInteger spent, BigInteger reserved, Instant lastUsedAt, Instant lastReservedAt) {
        static final Balance EMPTY = new Balance(BigInteger.ZERO, BigInteger.ZERO, null, null);
    }

    /**
     * A live grant key as OutLayer's {@code list_grant_keys} (grant_keys.rs) reads it: the key's
     * metadata, its balance row (0 and 0 when it never reserved) and when the key was first recorded
     * ({@code payment_keys.created_at}).
     */
    public record GrantKey(
            Id id,
            BigInteger initialBalance,
            BigInteger spent,
            BigInteger reserved,
            List<String> projectIds,
            String maxPerCall,
            Instant createdAt) {

        /** initial - spent - reserved, never below 0 (OutLayer's saturating_sub). */
        public BigInteger available() {
            return PaymentKeys.available(initialBalance, new Balance(spent, reserved, null, null));
        }
    }

    /** A key's balance as {@code GET /public/payment-keys/{owner}/{nonce}/balance} shows it. */
    public record Statement(
            String owner,
            long nonce,
            BigInteger initialBalance,
            BigInteger spent,
            BigInteger reserved,
            BigInteger available,
            Instant lastUsedAt) {}

    private final PaymentKeyStore store;

    /** Keys in this process's memory. */
    public PaymentKeys() {
        this(new InMemoryPaymentKeyStore());
    }

    public PaymentKeys(PaymentKeyStore store) {
        this.store = store;
    }

    /** Where the keys are kept. */
    public PaymentKeyStore store() {
        return store;
    }

    /** sha256 of the key's text (its 64 lower-case hex digits), hex: OutLayer's {@code key_hash}. */
    public static String keyHash(String key) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /**
     * OutLayer's {@code init_payment_key}: a key the worker found stored (its secret created with
     * balance 0); nothing changes when the key is known (a top-up may have come first). True when
     * created.
     */
    public boolean init(Id id, String keyHash, List<String> projectIds, String maxPerCall) {
        Metadata fresh = new Metadata(
                checkHash(keyHash), BigInteger.ZERO, List.copyOf(projectIds), checkMax(maxPerCall), false, false);
        return store.update(id, old -> old == null ? fresh : old) == fresh;
    }

    /**
     * OutLayer's {@code complete_topup}: the key's metadata as the worker read it from the secret it
     * re-encrypted, its balance raised by {@code amount} (a new key starts at {@code
     * newInitialBalance}); without {@code amount}, OutLayer's deprecated overwrite with {@code
     * newInitialBalance}. A deleted key comes back.
     */
    public void completeTopUp(
            Id id,
            String keyHash,
            BigInteger newInitialBalance,
            BigInteger amount,
            List<String> projectIds,
            String maxPerCall) {
        String hash = checkHash(keyHash);
        String max = checkMax(maxPerCall);
        checkAmount(newInitialBalance, "new_initial_balance");
        if (amount != null) {
            checkAmount(amount, "amount");
        }
        List<String> projects = List.copyOf(projectIds);
        store.update(id, old -> {
            BigInteger balance = old == null || amount == null
                    ? newInitialBalance
                    : old.initialBalance().add(amount);
            return new Metadata(
                    hash, checkAmount(balance, "initial_balance"), projects, max, old != null && old.grant(), false);
        });
    }

    /** OutLayer's {@code delete_payment_key} (soft delete): true when a live key was deleted. */
    public boolean delete(Id id) {
        return softDelete(id, key -> true);
    }

    /**
     * OutLayer's {@code delete_grant_key} (grant_keys.rs, {@code DELETE /admin/grant-keys/{owner}/{nonce}}):
     * soft-deletes a live grant key; false, changing nothing, for a key that is unknown, deleted or
     * not a grant. The key is then refused as any deleted key ({@code Invalid payment key}).
     */
    public boolean deleteGrant(Id id) {
        return softDelete(id, Metadata::grant);
    }

    /** Marks the live key deleted when {@code which} accepts it; true when it did. */
    private boolean softDelete(Id id, Predicate<Metadata> which) {
        boolean[] deleted = {false};
        store.update(id, old -> {
            if (old == null || old.deleted() || !which.test(old)) {
                deleted[0] = false;
                return old;
            }
            deleted[0] = true;
            return new Metadata(
                    old.keyHash(), old.initialBalance(), old.projectIds(), old.maxPerCall(), old.grant(), true);
        });
        return deleted[0];
    }

    /** OutLayer's {@code list_grant_keys}: the live grant keys with their balances, newest first. */
    public List<GrantKey> grantKeys() {
        return store.grantKeys();
    }

    /**
     * {@link #grant(Id, BigInteger)} with the amount as OutLayer's {@code GrantPaymentKeyRequest}
     * carries it, a string read as Rust's {@code u128} reads one (decimal digits, an optional leading
     * {@code +}): 400 {@code Invalid amount format} otherwise, before anything is looked up.
     */
    public BigInteger grant(Id id, String amount) {
        if (amount == null || !amount.matches("\\+?[0-9]+")) {
            throw ApiException.invalid("Invalid amount format");
        }
        BigInteger value = new BigInteger(amount.startsWith("+") ? amount.substring(1) : amount);
        if (value.compareTo(U128_LIMIT) >= 0) {
            throw ApiException.invalid("Invalid amount format");
        }
        return grant(id, value);
    }

    /**
     * OutLayer's {@code grant_payment_key} (grant_keys.rs): adds {@code amount} to a key nobody
     * funded yet, or to a grant key, and marks it a grant (no {@code X-Attached-Deposit}). 404 for
     * an unknown or deleted key, 409 for a key its owner funded. The new balance.
     */
    public BigInteger grant(Id id, BigInteger amount) {
        checkAmount(amount, "amount");
        if (amount.signum() == 0) {
            throw ApiException.invalid("Amount must be greater than 0");
        }
        BigInteger[] balance = new BigInteger[1];
        store.update(id, old -> {
            if (old == null || old.deleted()) {
                return old;
            }
            if (old.initialBalance().signum() > 0 && !old.grant()) {
                throw new ApiException(
                        ApiException.Kind.CONFLICT,
                        "Cannot grant to user-funded key. Current balance: " + old.initialBalance()
                                + ". Grants can only be applied to unfunded keys or existing grant keys.");
            }
            balance[0] = checkAmount(old.initialBalance().add(amount), "initial_balance");
            return old.withInitialBalance(balance[0], true);
        });
        if (balance[0] == null) {
            throw ApiException.notFound("Payment key not found: owner=" + id.owner() + " nonce=" + id.nonce()
                    + ". User must create it first via store_secrets.");
        }
        return balance[0];
    }

    /**
     * OutLayer's {@code validate_payment_key}: the live key whose stored hash is sha256 of the
     * presented key, else 401 {@code Invalid payment key} (unknown, deleted and wrong keys alike).
     */
    public Metadata validate(PaymentKeyHeader header) {
        Metadata key = store.metadata(new Id(header.owner(), header.nonce())).orElse(null);
        if (key == null
                || key.deleted()
                || !MessageDigest.isEqual(
                        key.keyHash().getBytes(StandardCharsets.US_ASCII),
                        keyHash(header.key()).getBytes(StandardCharsets.US_ASCII))) {
            throw new ApiException(ApiException.Kind.UNAUTHENTICATED, "Invalid payment key");
        }
        return key;
    }

    /**
     * OutLayer's {@code try_reserve_balance}: reserves {@code amount} when initial - spent -
     * reserved covers it, in one atomic step per key; else 402 {@code Insufficient balance:
     * available=A, required=R} and nothing changes.
     */
    public void reserve(Id id, BigInteger initialBalance, BigInteger amount) {
        store.reserve(id, initialBalance, amount).ifPresent(available -> {
            throw insufficient(available, amount);
        });
    }

    /** 402 {@code Insufficient balance: available=A, required=R}, OutLayer's words. */
    public static ApiException insufficient(BigInteger available, BigInteger required) {
        return new ApiException(
                ApiException.Kind.PAYMENT_REQUIRED,
                "Insufficient balance: available=" + available + ", required=" + required);
    }

    /** What a reservation may take: initial - spent - reserved, never below 0 (OutLayer's saturating_sub). */
    static BigInteger available(BigInteger initialBalance, Balance balance) {
        return initialBalance
                .subtract(balance.spent())
                .subtract(balance.reserved())
                .max(BigInteger.ZERO);
    }

    /** OutLayer's {@code release_balance}: gives a reservation back (never below 0). */
    public void release(Id id, BigInteger amount) {
        store.release(id, amount);
    }

    /**
     * OutLayer's {@code finalize_call}: the call's reservation released and what it cost added to
     * spent, in one step.
     */
    public void settle(Id id, BigInteger reserved, BigInteger spent, Instant at) {
        store.settle(id, reserved, spent, at);
    }

    /**
     * OutLayer's {@code cleanup_stuck_reservations} (background_jobs.rs): every key that holds a
     * reservation and on which nothing was reserved or released since {@code before} has its whole
     * reservation cleared ({@code reserved} 0, {@code lastReservedAt} null); how many keys. Such a
     * reservation's call is gone (its worker died, its coordinator with it): the balance it held
     * comes back. A key with a fresh reservation keeps all of it, a stuck one included.
     */
    public int clearStaleReservations(Instant before) {
        return store.clearStaleReservations(before);
    }

    /** The key's metadata, deleted or not. */
    public Optional<Metadata> metadata(Id id) {
        return store.metadata(id);
    }

    /**
     * OutLayer's {@code get_payment_key_balance}: a key not known (or deleted) has initial balance
     * 0; available may be negative only if spent ever passed the balance.
     */
    public Statement statement(Id id) {
        Metadata key = store.metadata(id).orElse(null);
        BigInteger initial = key == null || key.deleted() ? BigInteger.ZERO : key.initialBalance();
        Balance balance = store.balance(id);
        return new Statement(
                id.owner(),
                id.nonce(),
                initial,
                balance.spent(),
                balance.reserved(),
                initial.subtract(balance.spent()).subtract(balance.reserved()),
                balance.lastUsedAt());
    }

    /** An amount the worker or admin sent: a u128 (0 to 2^128 - 1). */
    static BigInteger checkAmount(BigInteger amount, String field) {
        if (amount == null || amount.signum() < 0 || amount.compareTo(U128_LIMIT) >= 0) {
            throw ApiException.invalid(field + " must be a u128 in decimal (0 to 2^128 - 1)");
        }
        return amount;
    }

    /** A decimal u128 text, else 400 naming the field. */
    public static BigInteger parseAmount(String text, String field) {
        if (text == null
                || text.isEmpty()
                || text.length() > 39
                || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw ApiException.invalid(field + " must be a u128 in decimal (0 to 2^128 - 1)");
        }
        return checkAmount(new BigInteger(text), field);
    }

    private static String checkHash(String keyHash) {
        if (keyHash == null || !keyHash.matches("[0-9a-f]{64}")) {
            throw ApiException.invalid("key_hash must be the key's sha256, 64 lower-case hex digits");
        }
        return keyHash;
    }

    /** {@code max_per_call}: absent, empty, or a decimal u128 (OutLayer reads an unparsable one as unlimited; ours refuses it). */
    private static String checkMax(String maxPerCall) {
        if (maxPerCall == null || maxPerCall.isEmpty()) {
            return maxPerCall;
        }
        parseAmount(maxPerCall, "max_per_call");
        return maxPerCall;
    }
}
