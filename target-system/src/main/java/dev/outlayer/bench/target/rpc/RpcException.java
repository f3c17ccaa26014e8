package dev.outlayer.bench.target.rpc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.target.http.Json;

/** A NEAR JSON-RPC error in nearcore's {name, cause:{name, info}, code, message, data} shape. */
public final class RpcException extends RuntimeException {
    private final String name;
    private final String causeName;
    private final ObjectNode info;
    private final int code;
    private final String data;

    public RpcException(String name, String causeName, ObjectNode info, int code, String message, String data) {
        super(message);
        this.name = name;
        this.causeName = causeName;
        this.info = info;
        this.code = code;
        this.data = data;
    }

    public static RpcException methodNotFound(String method) {
        ObjectNode info = Json.object();
        info.put("method_name", method);
        return new RpcException("REQUEST_VALIDATION_ERROR", "METHOD_NOT_FOUND", info, -32601,
                "Method not found", method);
    }

    public static RpcException parseError(String why) {
        ObjectNode info = Json.object();
        info.put("error_message", why);
        return new RpcException("REQUEST_VALIDATION_ERROR", "PARSE_ERROR", info, -32700, "Parse error", why);
    }

    public ObjectNode toJson() {
        ObjectNode error = Json.object();
        error.put("name", name);
        ObjectNode cause = error.putObject("cause");
        cause.put("name", causeName);
        cause.set("info", info);
        error.put("code", code);
        error.put("message", getMessage());
        error.put("data", data);
        return error;
    }
}
