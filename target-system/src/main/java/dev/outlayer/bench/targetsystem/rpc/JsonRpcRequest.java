package dev.outlayer.bench.targetsystem.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;

import java.io.IOException;
import java.util.Iterator;
import java.util.Set;

/**
 * One JSON-RPC 2.0 request as nearcore accepts it ({@code chain/jsonrpc-primitives/src/message.rs}):
 * {@code jsonrpc} must be "2.0", {@code method} a string, {@code id} present (any JSON value),
 * {@code params} optional, and no other member. Anything else that is valid JSON (a batch, a
 * notification without id, a response) is answered with nearcore's "JSON RPC Request format was
 * expected" parse error.
 */
record JsonRpcRequest(JsonNode id, String method, JsonNode params) {
    static final String NOT_A_REQUEST = "JSON RPC Request format was expected";
    private static final Set<String> MEMBERS = Set.of("jsonrpc", "method", "params", "id");

    static JsonRpcRequest parse(byte[] body) {
        JsonNode root;
        try {
            root = JsonCodec.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw RpcException.parseError(e.getOriginalMessage());
        } catch (IOException e) {
            throw RpcException.parseError(String.valueOf(e.getMessage()));
        }
        if (root == null || root.isMissingNode()) {
            throw RpcException.parseError("EOF while parsing a value at line 1 column 0");
        }
        JsonNode version = root.path("jsonrpc");
        if (!root.isObject() || !version.isTextual() || !version.asText().equals("2.0") || !root.path("method").isTextual()
                || !root.has("id") || hasUnknownMember(root)) {
            throw RpcException.parseError(NOT_A_REQUEST);
        }
        JsonNode params = root.has("params") ? root.get("params") : NullNode.getInstance();
        return new JsonRpcRequest(root.get("id"), root.get("method").asText(), params);
    }

    private static boolean hasUnknownMember(JsonNode root) {
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            if (!MEMBERS.contains(names.next())) {
                return true;
            }
        }
        return false;
    }
}
