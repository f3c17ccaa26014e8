package dev.outlayer.bench.target.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.target.http.Json;

/** Whole JSON-RPC error responses for requests that could not be dispatched. */
final class RpcErrors {
    private RpcErrors() {
    }

    static ObjectNode parseError(String why) {
        return response(null, RpcException.parseError(why));
    }

    static ObjectNode invalidRequest(JsonNode id, String why) {
        ObjectNode info = Json.object();
        info.put("error_message", why);
        return response(id, new RpcException("REQUEST_VALIDATION_ERROR", "PARSE_ERROR", info, -32600,
                "Invalid request", why));
    }

    private static ObjectNode response(JsonNode id, RpcException error) {
        ObjectNode response = Json.object();
        response.put("jsonrpc", "2.0");
        response.set("error", error.toJson());
        response.set("id", id);
        return response;
    }
}
