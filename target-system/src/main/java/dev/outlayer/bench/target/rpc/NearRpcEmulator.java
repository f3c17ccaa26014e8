package dev.outlayer.bench.target.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.target.http.Json;
import dev.outlayer.bench.target.http.ServerTiming;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;

import java.io.IOException;

/**
 * A local NEAR node's JSON-RPC endpoint: the coordinator's default upstream. Answers in the
 * result and error shapes of nearcore so that near-api-js works against it.
 */
public final class NearRpcEmulator implements HttpHandler {
    private final BlockClock clock;
    private final String chainId;

    public NearRpcEmulator(BlockClock clock, String chainId) {
        this.clock = clock;
        this.chainId = chainId;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (!exchange.getRequestMethod().equals(Methods.POST)) {
            Json.sendError(exchange, 405, "NEAR JSON-RPC accepts POST only");
            return;
        }
        exchange.getRequestReceiver().receiveFullBytes((ex, body) -> {
            long start = System.nanoTime();
            byte[] response = handle(body);
            ServerTiming.of(ex).since("rpc", start);
            Json.send(ex, 200, response);
        });
    }

    /** Handles one JSON-RPC request body and returns the response body. */
    public byte[] handle(byte[] body) {
        JsonNode request;
        try {
            request = Json.MAPPER.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Json.bytes(RpcErrors.parseError(e.getOriginalMessage()));
        } catch (IOException e) {
            return Json.bytes(RpcErrors.parseError(e.getMessage()));
        }
        if (request == null || !request.isObject() || !request.path("method").isTextual()) {
            return Json.bytes(RpcErrors.invalidRequest(request == null ? null : request.get("id"),
                    "expected a JSON-RPC 2.0 object with a string \"method\""));
        }
        JsonNode id = request.get("id");
        String method = request.get("method").asText();
        JsonNode params = request.path("params");
        ObjectNode response = Json.object();
        response.put("jsonrpc", "2.0");
        try {
            response.set("result", dispatch(method, params));
        } catch (RpcException e) {
            response.set("error", e.toJson());
        }
        response.set("id", id);
        return Json.bytes(response);
    }

    private JsonNode dispatch(String method, JsonNode params) {
        switch (method) {
            case "status":
                return status();
            case "health":
                return Json.MAPPER.nullNode();
            default:
                throw RpcException.methodNotFound(method);
        }
    }

    private ObjectNode status() {
        long height = clock.latestHeight();
        ObjectNode status = Json.object();
        status.put("chain_id", chainId);
        status.put("protocol_version", 73);
        status.put("latest_protocol_version", 73);
        status.put("rpc_addr", "0.0.0.0:3030");
        status.putArray("validators");
        ObjectNode version = status.putObject("version");
        version.put("version", "2.3.0");
        version.put("build", "outlayer-bench");
        ObjectNode sync = status.putObject("sync_info");
        sync.put("latest_block_hash", clock.hash(height));
        sync.put("latest_block_height", height);
        sync.put("latest_state_root", clock.hash(-height));
        sync.put("latest_block_time", java.time.Instant.ofEpochMilli(clock.timestampNanos(height) / 1_000_000).toString());
        sync.put("syncing", false);
        sync.put("earliest_block_hash", clock.hash(BlockClock.GENESIS_HEIGHT));
        sync.put("earliest_block_height", BlockClock.GENESIS_HEIGHT);
        sync.put("epoch_id", clock.epochId(height));
        return status;
    }
}
