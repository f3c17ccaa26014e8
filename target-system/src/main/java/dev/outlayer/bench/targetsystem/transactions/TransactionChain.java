package dev.outlayer.bench.targetsystem.transactions;

import dev.outlayer.bench.targetsystem.contracts.AccessKey;
import dev.outlayer.bench.targetsystem.contracts.PublicKey;
import dev.outlayer.bench.targetsystem.contracts.SignedActions;
import dev.outlayer.bench.targetsystem.contracts.TxOutcome;
import dev.outlayer.bench.targetsystem.contracts.WaitMode;
import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;

/**
 * What the transaction engine needs from the chain's state and its receipt engine (the contract
 * simulator, wired at the root): accounts, access keys, and running a verified transaction.
 * Implementations are thread-safe.
 */
public interface TransactionChain {

    /**
     * Checks the access key (exists, nonce, permission, allowance) and the signer's balance as
     * nearcore's verify_and_charge_transaction, charges the signer and runs the receipts.
     *
     * @throws dev.outlayer.bench.targetsystem.contracts.InvalidTxException when refused; nothing changed then
     */
    TxOutcome submit(SignedActions transaction, WaitMode wait);

    /**
     * Hands every receipt that transactions' trees create to {@code log} from now on, when the chain
     * stores them (a local first receipt is never stored); by default no receipt is logged.
     */
    default void logReceipts(
            java.util.function.Consumer<dev.outlayer.bench.targetsystem.contracts.ReceiptRecord> log) {}

    /**
     * Checks {@code transaction} as {@link #submit} would, changing nothing (nearcore's check_only).
     *
     * @throws dev.outlayer.bench.targetsystem.contracts.InvalidTxException when submit would refuse it
     */
    void check(SignedActions transaction);

    /** A recent transaction's outcome tree, by its base58 hash. */
    Optional<TxOutcome> outcome(String transactionHash);

    boolean accountExists(String accountId);

    /** Creates the account with {@code balance}, or sets the balance of the existing one. */
    void putAccount(String accountId, BigInteger balance);

    /** Adds or replaces a key of an existing account. */
    void putAccessKey(String accountId, PublicKey key, AccessKey accessKey);

    Optional<AccessKey> accessKey(String accountId, PublicKey key);

    Map<PublicKey, AccessKey> accessKeys(String accountId);

    /**
     * Times out the yields whose timeout the chain has passed, in the head block (after a fast-forward:
     * nearcore resolves them in the block the fast-forward lands on); by default there are none.
     */
    default void runDueYields() {}
}
