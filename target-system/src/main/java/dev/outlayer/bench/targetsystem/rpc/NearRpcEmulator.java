package dev.outlayer.bench.targetsystem.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.http.Responses;
import dev.outlayer.bench.targetsystem.http.TooLarge;
import dev.outlayer.bench.targetsystem.http.ServerTiming;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.OptionalLong;

/**
 * A local NEAR node's JSON-RPC endpoint: the coordinator's default upstream. Answers {@code
 * status}, {@code block}, {@code gas_price}, {@code health}, {@code network_info} and {@code query}
 * in the result and error shapes of nearcore so that near-api-js works against it. Like a nearcore
 * node it also serves {@code GET /status} and {@code GET /health}.
 */
public final class NearRpcEmulator implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(NearRpcEmulator.class);
    /** nearcore's {@code json_payload_max_size} default. */
    public static final long MAX_BODY_BYTES = 10L * 1024 * 1024;
    public static final String VALIDATOR_ACCOUNT = "validator.test.near";
    private static final HttpString ALLOW_ORIGIN = HttpString.tryFromString("Access-Control-Allow-Origin");
    private static final HttpString ALLOW_METHODS = HttpString.tryFromString("Access-Control-Allow-Methods");
    private static final HttpString ALLOW_HEADERS = HttpString.tryFromString("Access-Control-Allow-Headers");
    private static final HttpString MAX_AGE = HttpString.tryFromString("Access-Control-Max-Age");

    private final BlockClock clock;
    private final BlockViews views;
    private final QueryHandler queries;

    /** @param chain the accounts and contracts {@code query} reads; {@link EmptyChain} for none */
    public NearRpcEmulator(BlockClock clock, String chainId, ChainView chain) {
        this.clock = clock;
        this.views = new BlockViews(clock, chainId, new ValidatorKey(VALIDATOR_ACCOUNT, chainId));
        this.queries = new QueryHandler(clock, chain);
    }

    public BlockClock clock() {
        return clock;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        boolean post = exchange.getRequestMethod().equals(Methods.POST);
        if (post && exchange.isInIoThread()) {
            // A view call may run contract code: keep JSON-RPC off the I/O threads.
            exchange.dispatch(this);
            return;
        }
        if (allowCrossOrigin(exchange)) {
            return;
        }
        if (post) {
            if (exchange.getRequestContentLength() > MAX_BODY_BYTES) {
                TooLarge.reject(exchange, "request body exceeds " + MAX_BODY_BYTES + " bytes");
                return;
            }
            exchange.setMaxEntitySize(MAX_BODY_BYTES);
            exchange.getRequestReceiver().receiveFullBytes(
                    (ex, body) -> {
                        long start = System.nanoTime();
                        Response response = handle(body, rpcAddr(ex));
                        ServerTiming.of(ex).since("rpc", start);
                        Responses.json(ex, response.httpStatus(), response.body());
                    },
                    (ex, error) -> {
                        if (error instanceof RequestTooBigException) {
                            Responses.error(ex, 413, "request body exceeds " + MAX_BODY_BYTES + " bytes");
                        } else {
                            Responses.error(ex, 400, "could not read the request body: " + error.getMessage());
                        }
                    });
            return;
        }
        if (exchange.getRequestMethod().equals(Methods.GET) || exchange.getRequestMethod().equals(Methods.HEAD)) {
            switch (exchange.getRelativePath()) {
                case "/status" -> Responses.json(exchange, 200, views.status(rpcAddr(exchange)));
                case "/health" -> Responses.json(exchange, 200, NullNode.getInstance());
                case "/network_info" -> Responses.json(exchange, 200, views.networkInfo());
                default -> Responses.error(exchange, 404, "no such path; NEAR JSON-RPC is POST, plus GET /status, /health, /network_info");
            }
            return;
        }
        Responses.error(exchange, 405, "NEAR JSON-RPC accepts POST (and GET /status, /health, /network_info)");
    }

    /**
     * nearcore's permissive CORS (any origin; GET and POST; Authorization, Accept, Content-Type),
     * so near-api-js in a browser can call the emulator. Returns true when it answered a preflight.
     */
    private static boolean allowCrossOrigin(HttpServerExchange exchange) {
        String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
        if (origin == null) {
            return false;
        }
        exchange.getResponseHeaders().put(ALLOW_ORIGIN, origin).put(Headers.VARY, "Origin");
        if (!exchange.getRequestMethod().equals(Methods.OPTIONS)) {
            return false;
        }
        exchange.getResponseHeaders()
                .put(ALLOW_METHODS, "GET, POST")
                .put(ALLOW_HEADERS, "authorization, accept, content-type")
                .put(MAX_AGE, "3600");
        exchange.setStatusCode(200);
        exchange.endExchange();
        return true;
    }

    /** A JSON-RPC response body and the HTTP status nearcore sends it with. */
    public record Response(int httpStatus, byte[] body) {
    }

    /** Handles one JSON-RPC request body. */
    public Response handle(byte[] body, String rpcAddr) {
        JsonRpcRequest request;
        try {
            request = JsonRpcRequest.parse(body);
        } catch (RpcException e) {
            return new Response(e.httpStatus(), JsonCodec.bytes(envelope(NullNode.getInstance(), null, e)));
        }
        try {
            JsonNode result = dispatch(request.method(), request.params(), rpcAddr);
            return new Response(200, JsonCodec.bytes(envelope(request.id(), result, null)));
        } catch (RpcException e) {
            return new Response(e.httpStatus(), JsonCodec.bytes(envelope(request.id(), null, e)));
        } catch (RuntimeException e) {
            LOG.warn("{} failed inside the emulator; answering INTERNAL_ERROR", request.method(), e);
            RpcException internal = RpcException.internalError(e.getClass().getSimpleName() + ": " + e.getMessage());
            return new Response(internal.httpStatus(), JsonCodec.bytes(envelope(request.id(), null, internal)));
        }
    }

    private JsonNode dispatch(String method, JsonNode params, String rpcAddr) {
        return switch (method) {
            case "status" -> views.status(rpcAddr);
            case "health" -> NullNode.getInstance();
            case "network_info" -> views.networkInfo();
            case "block" -> views.block(resolve(blockParams(params)));
            case "gas_price" -> {
                BlockReference block = gasPriceBlock(params);
                if (block != null) {
                    resolve(block);
                }
                yield views.gasPrice();
            }
            case "query" -> queries.handle(params);
            default -> throw RpcException.methodNotFound(method);
        };
    }

    /** {@code {finality}}, {@code {block_id}}, {@code {sync_checkpoint}}, or the legacy {@code [block_id]}. */
    private static BlockReference blockParams(JsonNode params) {
        if (params.isNull()) {
            throw RpcException.parseError("Require at least one parameter");
        }
        if (params.isArray() && params.size() == 1) {
            return BlockReference.blockId(params.get(0));
        }
        if (params.isObject()) {
            return BlockReference.fromObject(params);
        }
        throw RpcException.badParams("invalid type: " + (params.isArray() ? "sequence" : params.getNodeType().toString().toLowerCase())
                + ", expected a block reference");
    }

    /** {@code [null]}, {@code [height]}, {@code [hash]} or {@code {block_id}}; null means the latest block. */
    private static BlockReference gasPriceBlock(JsonNode params) {
        JsonNode blockId;
        if (params.isArray() && params.size() == 1) {
            blockId = params.get(0);
        } else if (params.isObject() && params.has("block_id")) {
            blockId = params.get("block_id");
        } else if (params.isNull()) {
            throw RpcException.parseError("Require at least one parameter");
        } else {
            throw RpcException.badParams("invalid type: expected [block_id] or {\"block_id\": ...}");
        }
        return blockId.isNull() ? null : BlockReference.blockId(blockId);
    }

    private long resolve(BlockReference block) {
        OptionalLong height = block.resolve(clock);
        if (height.isEmpty()) {
            throw block.unknownBlock(clock);
        }
        return height.getAsLong();
    }

    private static ObjectNode envelope(JsonNode id, JsonNode result, RpcException error) {
        ObjectNode response = JsonCodec.object();
        response.put("jsonrpc", "2.0");
        if (error != null) {
            response.set("error", error.toJson());
        } else {
            response.set("result", result);
        }
        response.set("id", id);
        return response;
    }

    private static String rpcAddr(HttpServerExchange exchange) {
        InetSocketAddress local = exchange.getDestinationAddress();
        return local == null ? null : local.getHostString() + ":" + local.getPort();
    }
}
