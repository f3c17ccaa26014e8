package dev.outlayer.bench.targetsystem.rpc;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;

/**
 * A NEAR JSON-RPC error in nearcore's {name, cause:{name, info}, code, message, data} shape
 * (nearcore {@code chain/jsonrpc-primitives/src/errors.rs}): request validation errors carry
 * their own JSON-RPC code, handler errors are -32000 "Server error" with the display text in
 * {@code data}.
 */
public final class RpcException extends RuntimeException {
    static final String REQUEST_VALIDATION_ERROR = "REQUEST_VALIDATION_ERROR";
    static final String HANDLER_ERROR = "HANDLER_ERROR";
    static final String INTERNAL_ERROR = "INTERNAL_ERROR";

    private final String name;
    private final String causeName;
    /** A record (or an ObjectNode) Jackson writes as the cause's {@code info}. */
    private final Object info;

    private final int code;
    private final JsonNode data;
    private int httpStatusOverride;

    public RpcException(String name, String causeName, Object info, int code, String message, String data) {
        this(name, causeName, info, code, message, TextNode.valueOf(data));
    }

    private RpcException(String name, String causeName, Object info, int code, String message, JsonNode data) {
        // An answer, not a bug: no stack trace to fill on every UNKNOWN_ACCOUNT under load.
        super(message, null, false, false);
        this.name = name;
        this.causeName = causeName;
        this.info = info;
        this.code = code;
        this.data = data;
    }

    public static RpcException methodNotFound(String method) {
        ObjectNode info = JsonCodec.object();
        info.put("method_name", method);
        return new RpcException(REQUEST_VALIDATION_ERROR, "METHOD_NOT_FOUND", info, -32601, "Method not found", method);
    }

    /** Malformed JSON, a body that is not a JSON-RPC request, or params a method cannot parse. */
    public static RpcException parseError(String why) {
        ObjectNode info = JsonCodec.object();
        info.put("error_message", why);
        return new RpcException(REQUEST_VALIDATION_ERROR, "PARSE_ERROR", info, -32700, "Parse error", why);
    }

    /** nearcore's params parser prefixes every deserialisation failure this way. */
    public static RpcException badParams(String why) {
        return parseError("Failed parsing args: " + why);
    }

    /** A method-specific error such as UNKNOWN_ACCOUNT; {@code data} is nearcore's display text. */
    public static RpcException handlerError(String causeName, Object info, String data) {
        return new RpcException(HANDLER_ERROR, causeName, info, -32000, "Server error", data);
    }

    /** A handler error whose {@code data} is the error itself (nearcore's newer errors serialise so). */
    static RpcException handlerErrorWithData(String causeName, Object info, JsonNode data) {
        return new RpcException(HANDLER_ERROR, causeName, info, -32000, "Server error", data);
    }

    /**
     * A transaction nearcore refuses before running it ({@code InvalidTxError}): cause
     * INVALID_TRANSACTION with an empty info (nearcore skips serialising the context) and the error
     * itself in {@code data} as {@code {"TxExecutionError": {"InvalidTxError": ...}}}, which is where
     * near-api-js reads it from.
     *
     * @param invalidTxError nearcore's serde JSON of the InvalidTxError, e.g. {@code {"InvalidNonce": {...}}}
     *     or {@code "Expired"}
     */
    public static RpcException invalidTransaction(JsonNode invalidTxError) {
        ObjectNode data = JsonCodec.object();
        data.putObject("TxExecutionError").set("InvalidTxError", invalidTxError);
        return new RpcException(HANDLER_ERROR, "INVALID_TRANSACTION", JsonCodec.object(), -32000, "Server error", data);
    }

    /** {@code tx} / {@code EXPERIMENTAL_tx_status} of a hash this node has not seen. */
    public static RpcException unknownTransaction(String hash) {
        ObjectNode info = JsonCodec.object();
        info.put("requested_transaction_hash", hash);
        return handlerError("UNKNOWN_TRANSACTION", info, "Transaction " + hash + " doesn't exist");
    }

    /**
     * {@code EXPERIMENTAL_receipt} of a receipt this node has not stored. nearcore's RpcReceiptError
     * sends the error itself as {@code data}, not its display text.
     */
    public static RpcException unknownReceipt(String receiptId) {
        ObjectNode info = JsonCodec.object();
        info.put("receipt_id", receiptId);
        ObjectNode data = JsonCodec.object();
        data.put("name", "UNKNOWN_RECEIPT");
        data.set("info", info.deepCopy());
        return new RpcException(HANDLER_ERROR, "UNKNOWN_RECEIPT", info, -32000, "Server error", data);
    }

    /** The wait for {@code wait_until} ran out; nearcore says what it had seen of the transaction. */
    public static RpcException timeout(String cause) {
        ObjectNode info = JsonCodec.object();
        info.put("cause", cause);
        return handlerError("TIMEOUT_ERROR", info, "Timeout");
    }

    public static RpcException internalError(String why) {
        ObjectNode info = JsonCodec.object();
        info.put("error_message", why);
        return new RpcException(INTERNAL_ERROR, INTERNAL_ERROR, info, -32000, "Server error", why);
    }

    public String name() {
        return name;
    }

    public String causeName() {
        return causeName;
    }

    /** For the handler errors nearcore sends with their own status (422 for a missing block). */
    RpcException withHttpStatus(int status) {
        this.httpStatusOverride = status;
        return this;
    }

    /**
     * The HTTP status nearcore (2.3+) pairs with the error: 400 for request validation, 500 for
     * internal errors, 200 for handler errors (the request was fine, the answer is "no").
     */
    public int httpStatus() {
        if (httpStatusOverride != 0) {
            return httpStatusOverride;
        }
        switch (name) {
            case REQUEST_VALIDATION_ERROR:
                return 400;
            case INTERNAL_ERROR:
                return 500;
            default:
                return 200;
        }
    }

    /** The response's {@code error} member: {@code {name, cause: {name, info}, code, message, data}}. */
    public record View(String name, Cause cause, int code, String message, JsonNode data) {}

    /** {@code info} is left out for a unit variant (nearcore's adjacently tagged enum has no content then). */
    public record Cause(
            String name,
            @JsonInclude(JsonInclude.Include.NON_NULL) Object info) {}

    public View view() {
        return new View(name, new Cause(causeName, info), code, getMessage(), data);
    }
}
