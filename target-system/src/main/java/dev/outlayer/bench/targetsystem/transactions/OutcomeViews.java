package dev.outlayer.bench.targetsystem.transactions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.outlayer.bench.targetsystem.contracts.CompilationErrors;
import dev.outlayer.bench.targetsystem.contracts.ExecutionStatus;
import dev.outlayer.bench.targetsystem.contracts.TxOutcome;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import java.util.Base64;

/**
 * The receipt engine's outcome tree in nearcore's JSON (core/primitives/src/views.rs):
 * ExecutionOutcomeWithIdView, ExecutionStatusView, FinalExecutionStatus and the
 * TxExecutionError of a failure. The statuses are the one rendering of them: the call API's
 * outcome tree (http.contracts.NearOutcome) shows them through {@link #status} and
 * {@link #finalStatus} too.
 */
public final class OutcomeViews {
    private final BlockClock clock;

    OutcomeViews(BlockClock clock) {
        this.clock = clock;
    }

    /** {@code {"proof": [], "block_hash", "id", "outcome": {...}}}; no Merkle proof (one shard, one chunk). */
    ObjectNode outcome(TxOutcome.ExecutionOutcome outcome) {
        ObjectNode view = JsonCodec.object();
        view.putArray("proof");
        view.put("block_hash", clock.hash(outcome.blockHeight()));
        view.put("id", outcome.id());
        ObjectNode body = view.putObject("outcome");
        ArrayNode logs = body.putArray("logs");
        outcome.logs().forEach(logs::add);
        ArrayNode receiptIds = body.putArray("receipt_ids");
        outcome.receiptIds().forEach(receiptIds::add);
        body.put("gas_burnt", outcome.gasBurnt());
        body.put("tokens_burnt", outcome.tokensBurnt().toString());
        body.put("executor_id", outcome.executorId());
        body.set("status", status(outcome.status()));
        // Version 1 carries no gas profile (nearcore's ExecutionMetadataView).
        body.putObject("metadata").put("version", 1).putNull("gas_profile");
        return view;
    }

    ArrayNode receiptsOutcome(TxOutcome tree) {
        ArrayNode list = JsonCodec.MAPPER.createArrayNode();
        tree.receiptsOutcome().forEach(receipt -> list.add(outcome(receipt)));
        return list;
    }

    /** ExecutionStatusView as nearcore serialises it. */
    public static JsonNode status(ExecutionStatus status) {
        if (status instanceof ExecutionStatus.SuccessValue value) {
            return JsonCodec.object().put("SuccessValue", base64(value.value()));
        } else if (status instanceof ExecutionStatus.SuccessReceiptId receipt) {
            return JsonCodec.object().put("SuccessReceiptId", receipt.receiptId());
        } else if (status instanceof ExecutionStatus.Failure failure) {
            ObjectNode view = JsonCodec.object();
            view.set("Failure", failure(failure));
            return view;
        }
        return TextNode.valueOf("Unknown");
    }

    /** FinalExecutionStatus: "Started" while the chain of results is incomplete. */
    public static JsonNode finalStatus(ExecutionStatus status) {
        return status instanceof ExecutionStatus.Unknown ? TextNode.valueOf("Started") : status(status);
    }

    /**
     * {@code {"ActionError": {"index": i, "kind": ...}}}; a contract's failure is nearcore's
     * {@code FunctionCallError {"ExecutionError": "<message>"}}, the form current nodes send (a panic
     * reads "Smart contract panicked: ..."); other kinds carry the engine's message, as the call API
     * shows them.
     */
    private static ObjectNode failure(ExecutionStatus.Failure failure) {
        ObjectNode error = JsonCodec.object();
        ObjectNode action = error.putObject("ActionError");
        // Option<u64>: null when no single action failed (LackBalanceForState after all ran)
        if (failure.index() != null) {
            action.put("index", failure.index());
        } else {
            action.putNull("index");
        }
        if (failure.kind().equals("FunctionCallError") && compilationError(failure) != null) {
            action.putObject("kind").putObject("FunctionCallError").set("CompilationError", compilationError(failure));
        } else if (failure.kind().equals("FunctionCallError")) {
            // A panic's message already reads "Smart contract panicked: ..." (HostError.guestPanic).
            action.putObject("kind").putObject("FunctionCallError").put("ExecutionError", failure.message());
        } else if (failure.fields() == null) {
            action.putObject("kind").putObject(failure.kind()).put("message", failure.message());
        } else if (failure.kind().equals("DelegateActionAccessKeyError")) {
            // DelegateActionAccessKeyError(InvalidAccessKeyError): the key's error nested, as in InvalidTxError
            action.putObject("kind").set(failure.kind(), variant(failure.errorKind(), failure.fields()));
        } else {
            action.set("kind", variant(failure.kind(), failure.fields()));
        }
        return error;
    }

    /**
     * nearcore's FunctionCallErrorSer::CompilationError in serde's form: {@code {"CodeDoesNotExist":
     * {"account_id": id}}} or {@code {"PrepareError": "<variant>"}}; null for another failure.
     */
    private static JsonNode compilationError(ExecutionStatus.Failure failure) {
        if (!"CompilationError".equals(failure.errorKind())) {
            return null;
        }
        String account = CompilationErrors.missingCodeAccount(failure.message());
        if (account != null) {
            return variant("CodeDoesNotExist", java.util.Map.of("account_id", account));
        }
        String prepareError = CompilationErrors.prepareError(failure.message());
        return prepareError == null ? null : JsonCodec.object().put("PrepareError", prepareError);
    }

    private static JsonNode variant(String name, java.util.Map<String, Object> fields) {
        return SerdeJson.variant(name, fields);
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
