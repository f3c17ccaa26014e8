package dev.outlayer.bench.targetsystem.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.json.RawJson;
import dev.outlayer.bench.targetsystem.transactions.AccessKeyInfoView;
import dev.outlayer.bench.targetsystem.transactions.AccessKeyView;
import dev.outlayer.bench.targetsystem.transactions.TransactionLimits;
import dev.outlayer.bench.targetsystem.transactions.TransactionViews.RpcTransactionResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the RPC emulator needs from a transaction engine: the seam between JSON-RPC (params and
 * envelopes, here) and Borsh, signatures, access keys and execution (the {@code transactions}
 * package). Results are already in nearcore's shapes; refusals are {@link RpcException}s in
 * nearcore's shapes ({@link RpcException#invalidTransaction}...). Implementations are thread-safe.
 */
public interface TransactionPort {

    /**
     * {@code send_tx} / {@code broadcast_tx_commit}: validates, executes and answers once the
     * transaction reached {@code waitUntil}: nearcore's RpcTransactionResponse, {@code
     * {"final_execution_status": ...}} plus, once it is included, the FinalExecutionOutcomeView members.
     * The future completes then; waiting for it holds no thread. A refusal is thrown at once or fails
     * the future (a copy's).
     */
    CompletableFuture<RpcTransactionResponse> send(byte[] signedTransaction, TxExecutionStatus waitUntil);

    /** {@code broadcast_tx_async}: validates and accepts the transaction, returning its hash. */
    String sendAsync(byte[] signedTransaction);

    /**
     * {@code tx} / {@code EXPERIMENTAL_tx_status} by hash and sender; {@code withReceipts} adds {@code receipts}.
     * Like {@link #send}, completes once the transaction reached {@code waitUntil} (or the wait timed
     * out) and holds no thread meanwhile; a refusal may also be thrown at once.
     */
    CompletableFuture<RpcTransactionResponse> status(
            String transactionHash, String senderAccountId, TxExecutionStatus waitUntil, boolean withReceipts);

    /** The same, naming the transaction by its signed bytes. */
    CompletableFuture<RpcTransactionResponse> status(
            byte[] signedTransaction, TxExecutionStatus waitUntil, boolean withReceipts);

    /** The AccessKeyView ({@code nonce}, {@code permission}) of the key, or empty when the account has no such key. */
    Optional<AccessKeyView> accessKey(String accountId, String publicKey);

    /** A gas key's nonce slots, by index; empty when the account has no such gas key. */
    default Optional<List<Long>> gasKeyNonces(String accountId, String publicKey) {
        return Optional.empty();
    }

    /** The account's keys as AccessKeyInfoViews ({@code {"public_key", "access_key"}}), in key order. */
    List<AccessKeyInfoView> accessKeys(String accountId);

    /** The SignedTransactionViews of the transactions included at {@code height}, in the order they came. */
    default List<RawJson> transactionsIncludedAt(long height) {
        return List.of();
    }

    /** {@code EXPERIMENTAL_receipt}: the ReceiptView (its JSON as kept) of a receipt the chain stored, or empty. */
    default Optional<RawJson> receipt(String receiptId) {
        return Optional.empty();
    }

    /**
     * The ReceiptViews a chunk at {@code height} shows (nearcore's prev_outgoing_receipts: those the
     * chunk before created), in the order they were created.
     */
    default List<RawJson> receiptsArrivingAt(long height) {
        return List.of();
    }

    /**
     * The limits the engine checks a transaction against (max_transaction_size,
     * transaction_validity_period), which the protocol and genesis configs report; the pinned ones
     * for a node without an engine.
     */
    default TransactionLimits limits() {
        return TransactionLimits.PINNED;
    }

    /**
     * After near-sandbox's {@code sandbox_fast_forward} moved the clock on: what the blocks passed by
     * the jump make due (yield timeouts) runs in the block it lands on. Nothing without an engine.
     */
    default void fastForwarded() {}

    /** near-sandbox's {@code sandbox_patch_state}: {@code {"records": [...]}}; answers RpcSandboxPatchStateResponse {}. */
    EmptyObject patchState(JsonNode params);

    /** A node without a transaction engine: no keys, and the transaction methods are not served. */
    TransactionPort NONE = new TransactionPort() {
        @Override
        public CompletableFuture<RpcTransactionResponse> send(byte[] signedTransaction, TxExecutionStatus waitUntil) {
            throw RpcException.methodNotFound("send_tx");
        }

        @Override
        public String sendAsync(byte[] signedTransaction) {
            throw RpcException.methodNotFound("broadcast_tx_async");
        }

        @Override
        public CompletableFuture<RpcTransactionResponse> status(
                String hash, String sender, TxExecutionStatus waitUntil, boolean withReceipts) {
            throw RpcException.methodNotFound("tx");
        }

        @Override
        public CompletableFuture<RpcTransactionResponse> status(
                byte[] signedTransaction, TxExecutionStatus waitUntil, boolean withReceipts) {
            throw RpcException.methodNotFound("tx");
        }

        @Override
        public Optional<AccessKeyView> accessKey(String accountId, String publicKey) {
            return Optional.empty();
        }

        @Override
        public List<AccessKeyInfoView> accessKeys(String accountId) {
            return List.of();
        }

        @Override
        public EmptyObject patchState(JsonNode params) {
            throw RpcException.methodNotFound("sandbox_patch_state");
        }
    };
}
