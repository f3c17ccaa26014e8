package dev.outlayer.bench.targetsystem.transactions;

/**
 * The limits of a transaction itself, checked before its actions (whose limits are the receipt
 * engine's, {@code contracts.ActionValidation}): the pinned protocol's size limit and nearcore's
 * mainnet genesis ({@code transaction_validity_period}).
 */
public record TransactionLimits(long maxTransactionSize, long transactionValidityPeriod) {

    /** nearcore's max_transaction_size (1.5 MiB) and mainnet's transaction_validity_period. */
    public static final TransactionLimits PINNED = new TransactionLimits(1_572_864, 86_400);

    /** The same limits with another validity period (blocks a transaction's block hash stays usable). */
    public TransactionLimits withValidityPeriod(long blocks) {
        return new TransactionLimits(maxTransactionSize, blocks);
    }
}
