package dev.outlayer.bench.targetsystem.transactions;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Runs a transaction that passed every check: converts it into its receipt, executes the receipts
 * and moves the balances as nearcore does (the signer pays {@link TransactionCost#totalCost} up
 * front and gets unused gas and failed deposits back). The seam to the receipt engine, wired at
 * the root.
 */
public interface TransactionExecutor {

    /**
     * @param height the block the transaction is included in
     * @return the outcome tree in nearcore's FinalExecutionOutcomeView members
     */
    Execution execute(SignedTransaction transaction, TransactionCost cost, long height);

    /**
     * The members of nearcore's FinalExecutionOutcomeView except {@code transaction} (the engine
     * renders that from what it decoded), plus the ReceiptViews {@code EXPERIMENTAL_tx_status} shows.
     */
    record Execution(ObjectNode status, ObjectNode transactionOutcome, ArrayNode receiptsOutcome, ArrayNode receipts) {}
}
