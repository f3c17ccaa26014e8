package dev.outlayer.bench.targetsystem.rpc;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.outlayer.bench.targetsystem.json.RpcJson;

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
    /** A record Jackson writes as the cause's {@code info}. */
    private final Object info;

    private final int code;
    /** nearcore's display text (a String), or the error itself as a record. */
    private final Object data;

    private int httpStatusOverride;

    public RpcException(String name, String causeName, Object info, int code, String message, String data) {
        this(name, causeName, info, code, message, (Object) data);
    }

    private RpcException(String name, String causeName, Object info, int code, String message, Object data) {
        // An answer, not a bug: no stack trace to fill on every UNKNOWN_ACCOUNT under load.
        super(message, null, false, false);
        this.name = name;
        this.causeName = causeName;
        this.info = info;
        this.code = code;
        this.data = data;
    }

    /** METHOD_NOT_FOUND's info (RpcRequestValidationErrorKind::MethodNotFound). */
    private record MethodName(@JsonProperty("method_name") String methodName) {}

    /** The info of PARSE_ERROR and of the INTERNAL_ERRORs: {@code {"error_message"}}. */
    public record ErrorMessage(
            @JsonProperty("error_message") String errorMessage) {}

    /** An error serialised as itself ({@code {"name", "info"}}), as nearcore's newer errors send their {@code data}. */
    public record NamedError(String name, Object info) {}

    /** INVALID_TRANSACTION's data: {@code {"TxExecutionError": {"InvalidTxError": ...}}}. */
    private record TxExecutionError(
            @JsonProperty("TxExecutionError") InvalidTxError error) {}

    private record InvalidTxError(
            @JsonProperty("InvalidTxError") Object error) {}

    private record RequestedTransaction(
            @JsonProperty("requested_transaction_hash") String hash) {}

    private record ReceiptId(@JsonProperty("receipt_id") String receiptId) {}

    private record TimeoutCause(String cause) {}

    public static RpcException methodNotFound(String method) {
        return new RpcException(
                REQUEST_VALIDATION_ERROR,
                "METHOD_NOT_FOUND",
                new MethodName(method),
                -32601,
                "Method not found",
                method);
    }

    /** Malformed JSON, a body that is not a JSON-RPC request, or params a method cannot parse. */
    public static RpcException parseError(String why) {
        return new RpcException(
                REQUEST_VALIDATION_ERROR, "PARSE_ERROR", new ErrorMessage(why), -32700, "Parse error", why);
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
    static RpcException handlerErrorWithData(String causeName, Object info, NamedError data) {
        return new RpcException(HANDLER_ERROR, causeName, info, -32000, "Server error", data);
    }

    /**
     * A transaction nearcore refuses before running it ({@code InvalidTxError}): cause
     * INVALID_TRANSACTION with an empty info (nearcore skips serialising the context) and the error
     * itself in {@code data} as {@code {"TxExecutionError": {"InvalidTxError": ...}}}, which is where
     * near-api-js reads it from.
     *
     * @param invalidTxError what Jackson writes as nearcore's serde JSON of the InvalidTxError, e.g. {@code
     *     {"InvalidNonce": {...}}} or {@code "Expired"}
     */
    public static RpcException invalidTransaction(Object invalidTxError) {
        return new RpcException(
                HANDLER_ERROR,
                "INVALID_TRANSACTION",
                EmptyObject.INSTANCE,
                -32000,
                "Server error",
                new TxExecutionError(new InvalidTxError(invalidTxError)));
    }

    /** {@code tx} / {@code EXPERIMENTAL_tx_status} of a hash this node has not seen. */
    public static RpcException unknownTransaction(String hash) {
        return handlerError(
                "UNKNOWN_TRANSACTION", new RequestedTransaction(hash), "Transaction " + hash + " doesn't exist");
    }

    /**
     * {@code EXPERIMENTAL_receipt} of a receipt this node has not stored. nearcore's RpcReceiptError
     * sends the error itself as {@code data}, not its display text.
     */
    public static RpcException unknownReceipt(String receiptId) {
        ReceiptId info = new ReceiptId(receiptId);
        return handlerErrorWithData("UNKNOWN_RECEIPT", info, new NamedError("UNKNOWN_RECEIPT", info));
    }

    /** The wait for {@code wait_until} ran out; nearcore says what it had seen of the transaction. */
    public static RpcException timeout(String cause) {
        return handlerError("TIMEOUT_ERROR", new TimeoutCause(cause), "Timeout");
    }

    public static RpcException internalError(String why) {
        return new RpcException(INTERNAL_ERROR, INTERNAL_ERROR, new ErrorMessage(why), -32000, "Server error", why);
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

    /** The response's {@code error} member, nearcore's RpcError struct: {@code {name, cause, code, message, data}}. */
    @RpcJson.StructOrder
    public record View(String name, Object cause, int code, String message, Object data) {}

    /**
     * HANDLER_ERROR's and INTERNAL_ERROR's cause, a serde_json Value in nearcore (RpcErrorKind::HandlerError /
     * InternalError), so written sorted: {@code info}, then {@code name}. {@code info} is left out for a unit variant
     * (nearcore's adjacently tagged enum has no content then).
     */
    public record Cause(
            String name,
            @JsonInclude(JsonInclude.Include.NON_NULL) Object info) {}

    /**
     * REQUEST_VALIDATION_ERROR's cause, serde's RpcRequestValidationErrorKind written as a struct: {@code name}
     * then {@code info}. The other causes are serde_json Values in nearcore (RpcErrorKind::HandlerError /
     * InternalError), so sorted: {@code info} then {@code name}.
     */
    @RpcJson.StructOrder
    public record StructCause(
            String name,
            @JsonInclude(JsonInclude.Include.NON_NULL) Object info) {}

    public View view() {
        Object cause =
                name.equals(REQUEST_VALIDATION_ERROR) ? new StructCause(causeName, info) : new Cause(causeName, info);
        return new View(name, cause, code, getMessage(), data);
    }
}
