package dev.outlayer.bench.targetsystem.http.proxy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.outlayer.bench.targetsystem.json.RawJson;

/**
 * A JSON-RPC 2.0 error body the proxy itself produces (the upstream's errors pass through
 * untouched): {@code {"jsonrpc":"2.0","id":...,"error":{"code","message","data"?}}}, the request's
 * id echoed exactly as sent ({@code null} when it could not be read).
 */
record JsonRpcError(String jsonrpc, RawJson id, Body error) {
    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int SERVER_ERROR = -32000;
    static final int UNAUTHORIZED = -32001;
    static final int LIMIT_EXCEEDED = -32005;

    record Body(
            int code,
            String message,
            @JsonInclude(JsonInclude.Include.NON_NULL) Object data) {}

    static JsonRpcError of(RawJson id, int code, String message, Object data) {
        return new JsonRpcError("2.0", id, new Body(code, message, data));
    }

    static JsonRpcError of(RawJson id, int code, String message) {
        return of(id, code, message, null);
    }

    /** A body {@link dev.outlayer.bench.targetsystem.http.BodyReader} refused: too large (413) or unreadable (400). */
    static JsonRpcError refusal(int status, String message) {
        return of(RawJson.NULL, status == 413 ? INVALID_REQUEST : PARSE_ERROR, message);
    }

    /** Why a call was not admitted (429), and when to retry. */
    record RateLimited(
            String tier,
            String reason,
            @JsonProperty("retry_after_ms") long retryAfterMillis) {}

    /** The shared rate-limit store could not count the call (503, fail-closed policy). */
    record StoreUnavailable(
            String tier,
            String reason,
            String detail,
            @JsonProperty("retry_after_ms") long retryAfterMillis) {}

    /** The upstream that failed (502, 504). */
    record Upstream(String upstream) {}
}
