package dev.outlayer.bench.targetsystem.http.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;

/** JSON-RPC 2.0 error bodies the proxy itself produces (the upstream's errors pass through untouched). */
final class JsonRpcError {
    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int SERVER_ERROR = -32000;
    static final int UNAUTHORIZED = -32001;
    static final int LIMIT_EXCEEDED = -32005;

    private JsonRpcError() {
    }

    static ObjectNode body(JsonNode id, int code, String message, ObjectNode data) {
        ObjectNode body = JsonCodec.object();
        body.put("jsonrpc", "2.0");
        body.set("id", id);
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        if (data != null) {
            error.set("data", data);
        }
        return body;
    }

    static ObjectNode body(JsonNode id, int code, String message) {
        return body(id, code, message, null);
    }
}
