package dev.outlayer.bench.targetsystem.contracts;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome tree of one transaction, as {@code broadcast_tx_commit} shows it: the
 * transaction's conversion outcome, then every receipt's outcome in execution order, and the
 * final status followed along the chain of {@code SuccessReceiptId}s from the transaction.
 * Grows while receipts run (also after a submit answered, for yields and FIRST_RECEIPT); all
 * reads are snapshots.
 */
public final class TxOutcome {
    private final String txHash;
    private final String signerId;
    private final String receiverId;
    private final ExecutionOutcome transaction;
    private final List<ExecutionOutcome> receipts = new ArrayList<>();
    /** Where the receipts of a signed transaction's tree are logged as they are created; null: not logged. */
    private final java.util.function.Consumer<ReceiptRecord> receiptLog;
    /** A signed transaction's tree (nearcore's timing throughout), not an HTTP API call's. */
    private final boolean signedTransaction;
    /** Told of every receipt outcome added (see {@link #onReceipt}). */
    private volatile Runnable onReceipt;

    TxOutcome(
            String txHash,
            String signerId,
            String receiverId,
            ExecutionOutcome transaction,
            boolean signedTransaction,
            java.util.function.Consumer<ReceiptRecord> receiptLog) {
        this.txHash = txHash;
        this.signerId = signerId;
        this.receiverId = receiverId;
        this.transaction = transaction;
        this.signedTransaction = signedTransaction;
        this.receiptLog = receiptLog;
    }

    /** Whether this is a signed transaction's tree rather than an HTTP API call's (which is no transaction). */
    boolean signedTransaction() {
        return signedTransaction;
    }

    /** Whether the receipts this tree creates are logged (a signed transaction's tree). */
    boolean logsReceipts() {
        return receiptLog != null;
    }

    /** Logs a receipt this tree created, when the tree is a signed transaction's. */
    void logReceipt(ReceiptRecord receipt) {
        if (receiptLog != null) {
            receiptLog.accept(receipt);
        }
    }

    /**
     * One execution outcome (nearcore's ExecutionOutcomeWithId) plus this simulator's timings.
     *
     * @param id           the transaction hash or the receipt id (base58)
     * @param receiptIds   the action receipts this one created (refunds included)
     * @param tokensBurnt  gas burnt times the gas price, in yoctoNEAR (plus a global contract deploy's storage)
     * @param blockHeight  the block the receipt ran in
     * @param call         the contract call's own outcome (gas split, timings), null for other receipts
     */
    public record ExecutionOutcome(
            String id,
            String executorId,
            String predecessorId,
            List<String> logs,
            List<String> receiptIds,
            long gasBurnt,
            BigInteger tokensBurnt,
            ExecutionStatus status,
            long blockHeight,
            Outcome call) {}

    public String txHash() {
        return txHash;
    }

    public String signerId() {
        return signerId;
    }

    public String receiverId() {
        return receiverId;
    }

    public ExecutionOutcome transactionOutcome() {
        return transaction;
    }

    public synchronized List<ExecutionOutcome> receiptsOutcome() {
        return List.copyOf(receipts);
    }

    void add(ExecutionOutcome outcome) {
        synchronized (this) {
            receipts.add(outcome);
        }
        Runnable listener = onReceipt;
        if (listener != null) {
            listener.run();
        }
    }

    /**
     * Runs {@code listener} after each receipt outcome added from now on, outside the tree's lock:
     * a client waiting for the tree (send_tx's wait_until) is answered when a receipt ran, not at its
     * next look. One listener per tree (setting it again replaces it); it runs on the thread that ran
     * the receipt and must not block.
     */
    public void onReceipt(Runnable listener) {
        this.onReceipt = listener;
    }

    /**
     * The tree as it stood once block {@code height} was applied: the receipt outcomes of that block
     * and before (a snapshot that does not grow), as nearcore's get_partial_transaction_result reads
     * the outcomes its store holds at that head.
     */
    public synchronized TxOutcome asOf(long height) {
        TxOutcome snapshot = new TxOutcome(txHash, signerId, receiverId, transaction, signedTransaction, null);
        for (ExecutionOutcome receipt : receipts) {
            if (receipt.blockHeight() <= height) {
                snapshot.receipts.add(receipt);
            }
        }
        return snapshot;
    }

    /** How many receipt outcomes are recorded so far. */
    public synchronized int receiptCount() {
        return receipts.size();
    }

    /** nearcore's FinalExecutionStatus: Started while the chain of results is not complete. */
    public synchronized ExecutionStatus finalStatus() {
        String looking = transaction.status() instanceof ExecutionStatus.SuccessReceiptId r ? r.receiptId() : null;
        if (looking == null) {
            return transaction.status();
        }
        for (int hops = 0; hops <= receipts.size(); hops++) {
            ExecutionOutcome found = null;
            for (ExecutionOutcome o : receipts) {
                if (o.id().equals(looking)) {
                    found = o;
                    break;
                }
            }
            if (found == null) {
                return ExecutionStatus.UNKNOWN;
            }
            if (found.status() instanceof ExecutionStatus.SuccessReceiptId next) {
                looking = next.receiptId();
            } else {
                return found.status();
            }
        }
        return ExecutionStatus.UNKNOWN;
    }

    /** The first receipt's outcome (the call itself), or null before it ran. */
    public synchronized ExecutionOutcome firstReceipt() {
        return receipts.isEmpty() ? null : receipts.get(0);
    }
}
