package dev.outlayer.bench.targetsystem.transactions;

import dev.outlayer.bench.targetsystem.contracts.ExtCost;

/**
 * The limits a transaction is validated against before it runs, from the pinned protocol's
 * parameters (nearcore core/parameters/res/runtime_configs, parameters.snap; {@code max_total_prepaid_gas}
 * from the receipt engine's table) and nearcore's
 * mainnet genesis ({@code transaction_validity_period}).
 */
public record TransactionLimits(
        long maxTransactionSize,
        int maxActionsPerReceipt,
        long maxTotalPrepaidGas,
        int maxLengthMethodName,
        long maxArgumentsLength,
        long maxContractSize,
        long maxNumberBytesMethodNames,
        long transactionValidityPeriod) {

    public static final TransactionLimits PINNED = new TransactionLimits(
            1_572_864, 100, ExtCost.MAX_TOTAL_PREPAID_GAS, 256, 4_194_304, 4_194_304, 2_000, 86_400);

    /** The same limits with another validity period (blocks a transaction's block hash stays usable). */
    public TransactionLimits withValidityPeriod(long blocks) {
        return new TransactionLimits(
                maxTransactionSize,
                maxActionsPerReceipt,
                maxTotalPrepaidGas,
                maxLengthMethodName,
                maxArgumentsLength,
                maxContractSize,
                maxNumberBytesMethodNames,
                blocks);
    }
}
