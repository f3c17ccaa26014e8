package dev.outlayer.bench.targetsystem.transactions;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The accounts and access keys transactions are checked against: the seam between the
 * transaction engine and wherever accounts live (the contract simulator's accounts, wired at the
 * root). Implementations are thread-safe.
 */
public interface Ledger {

    /** The account's balance in yoctoNEAR, or empty when it does not exist. */
    Optional<BigInteger> balance(String accountId);

    Optional<AccessKey> accessKey(String accountId, PublicKey key);

    /** The account's keys, ordered by their text form. */
    List<KeyEntry> accessKeys(String accountId);

    /** Creates the account with {@code balance}, or sets the balance of the existing one. */
    void putAccount(String accountId, BigInteger balance);

    /** Adds or replaces a key of an existing account. */
    void putAccessKey(String accountId, PublicKey key, AccessKey accessKey);

    /**
     * Runs {@code change} while no other {@code change} for the same account runs, so that reading
     * a key's nonce and writing the next one cannot interleave with another transaction's.
     */
    <T> T exclusively(String accountId, Supplier<T> change);

    record KeyEntry(PublicKey publicKey, AccessKey accessKey) {}
}
