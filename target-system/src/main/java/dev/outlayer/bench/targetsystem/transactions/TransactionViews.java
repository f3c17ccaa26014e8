package dev.outlayer.bench.targetsystem.transactions;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.outlayer.bench.targetsystem.json.RawJson;
import dev.outlayer.bench.targetsystem.rpc.TxExecutionStatus;
import java.math.BigInteger;
import java.util.List;

/**
 * The answers of {@code send_tx}, {@code broadcast_tx_commit}, {@code tx} and {@code
 * EXPERIMENTAL_tx_status} as nearcore's records: RpcTransactionResponse (chain/jsonrpc-primitives
 * src/types/transactions.rs, with final_execution_status as current nodes have it) around
 * FinalExecutionOutcomeView or FinalExecutionOutcomeWithReceiptView, and the SignedTransactionView they
 * show (core/primitives/src/views.rs, near/nearcore d44e211; priority_fee, nonce_index and nonce_mode as
 * current nodes add them). The transaction and receipt views an answer shows are kept as their JSON
 * ({@link RecentTransactions}) and written into it as they are ({@link RawJson}).
 */
public final class TransactionViews {
    private TransactionViews() {}

    /** SignedTransactionView; {@code nonce_index} for a gas key's slot, {@code nonce_mode} for a V1 transaction. */
    public record SignedTransactionView(
            @JsonProperty("signer_id") String signerId,
            @JsonProperty("public_key") String publicKey,
            @JsonProperty("nonce") BigInteger nonce,
            @JsonProperty("receiver_id") String receiverId,
            @JsonProperty("actions") List<ActionViews.ActionView> actions,
            // views.rs: kept (always 0) for compatibility
            @JsonProperty("priority_fee") int priorityFee,

            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("nonce_index")
            Integer nonceIndex,

            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("nonce_mode")
            String nonceMode,

            @JsonProperty("signature") String signature,
            @JsonProperty("hash") String hash) {}

    /** FinalExecutionOutcomeViewEnum: serde's untagged enum, so the variant's members alone. */
    public sealed interface FinalExecutionOutcomeViewEnum {}

    /** FinalExecutionOutcomeView; {@code transaction} is the SignedTransactionView's JSON as kept. */
    public record FinalExecutionOutcomeView(
            @JsonProperty("status") OutcomeViews.FinalExecutionStatus status,
            @JsonProperty("transaction") RawJson transaction,
            @JsonProperty("transaction_outcome") OutcomeViews.ExecutionOutcomeWithIdView transactionOutcome,
            @JsonProperty("receipts_outcome") List<OutcomeViews.ExecutionOutcomeWithIdView> receiptsOutcome)
            implements FinalExecutionOutcomeViewEnum {}

    /** FinalExecutionOutcomeWithReceiptView: the outcome flattened, then the ReceiptViews' JSON as kept. */
    public record FinalExecutionOutcomeWithReceiptView(
            @JsonUnwrapped FinalExecutionOutcomeView finalOutcome,
            @JsonProperty("receipts") List<RawJson> receipts) implements FinalExecutionOutcomeViewEnum {}

    /**
     * RpcTransactionResponse: the outcome flattened (none for a transaction not waited for, {@code
     * {"final_execution_status": "NONE"}}) and the status the transaction reached.
     */
    public record RpcTransactionResponse(
            @JsonUnwrapped FinalExecutionOutcomeViewEnum finalExecutionOutcome,
            @JsonProperty("final_execution_status") TxExecutionStatus finalExecutionStatus) {
        /** The answer to a transaction sent with wait_until NONE. */
        public static final RpcTransactionResponse NONE = new RpcTransactionResponse(null, TxExecutionStatus.NONE);
    }
}
