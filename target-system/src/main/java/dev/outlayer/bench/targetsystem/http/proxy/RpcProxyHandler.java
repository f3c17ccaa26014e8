package dev.outlayer.bench.targetsystem.http.proxy;

import dev.outlayer.bench.targetsystem.http.BodyReader;
import dev.outlayer.bench.targetsystem.http.Responses;
import dev.outlayer.bench.targetsystem.http.ServerTiming;
import dev.outlayer.bench.targetsystem.json.RawJson;
import dev.outlayer.bench.targetsystem.throttle.Decision;
import dev.outlayer.bench.targetsystem.throttle.Throttle;
import dev.outlayer.bench.targetsystem.throttle.ThrottleKeying;
import io.undertow.server.Connectors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /near-rpc}: reads the JSON-RPC request, throttles the caller, and forwards the
 * body unchanged to the upstream through {@link UpstreamProxy}. The hottest path of the
 * coordinator: it scans the body once without building a tree ({@link JsonRpcEnvelope}), never
 * blocks, and copies nothing it does not have to.
 */
public final class RpcProxyHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RpcProxyHandler.class);

    private final Throttle throttle;
    private final UpstreamProxy upstream;
    private final BodyReader bodies;
    /** Made once: a method reference made per request would be one more allocation on the hot path. */
    private final BodyReader.Continuation<byte[]> onBody = this::onBody;

    /** @param bodies the body limit ({@code --max-body-bytes}); refusals are answered as JSON-RPC errors */
    public RpcProxyHandler(Throttle throttle, UpstreamProxy upstream, BodyReader bodies) {
        this.throttle = throttle;
        this.upstream = upstream;
        this.bodies = bodies;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        bodies.bytes(exchange, JsonRpcError::refusal, onBody);
    }

    private void onBody(HttpServerExchange exchange, byte[] body) {
        ServerTiming timing = ServerTiming.of(exchange);
        long start = System.nanoTime();
        JsonRpcEnvelope envelope = JsonRpcEnvelope.scan(body);
        timing.since("parse", start);
        RawJson id = envelope.id();
        if (!envelope.valid()) {
            Responses.json(exchange, 400, JsonRpcError.of(id, envelope.code(), envelope.problem()));
            return;
        }

        long throttleStart = System.nanoTime();
        boolean outlayer = throttle.keying() == ThrottleKeying.OUTLAYER;
        String route = exchange.getRequestPath();
        boolean keyed = outlayer && ClientIdentity.outlayerKeyed(exchange);
        String apiKey = outlayer ? null : ClientIdentity.apiKey(exchange);
        InetAddress address = ((InetSocketAddress) exchange.getSourceAddress()).getAddress();
        if (throttle.store().synchronous()) {
            // The in-process store answers at once: no future, carry on in this call.
            Decision decision = outlayer ? throttle.decideShared(route, keyed) : throttle.decide(apiKey, address);
            onDecision(exchange, body, id, decision, throttleStart);
            return;
        }
        CompletableFuture<Decision> pending =
                outlayer ? throttle.decideSharedAsync(route, keyed) : throttle.decideAsync(apiKey, address);
        // A shared store answers later on one of its threads: hold the exchange, then carry on
        // on the exchange's I/O thread as a handler call, exactly as the synchronous path does.
        exchange.dispatch(
                SameThreadExecutor.INSTANCE,
                () -> pending.whenComplete((decision, failure) -> exchange.getIoThread()
                        .execute(() -> Connectors.executeRootHandler(
                                ex -> {
                                    if (failure == null) {
                                        onDecision(ex, body, id, decision, throttleStart);
                                    } else {
                                        LOG.error("the throttle failed to decide on a call", failure);
                                        Responses.json(
                                                ex,
                                                500,
                                                JsonRpcError.of(
                                                        id,
                                                        JsonRpcError.SERVER_ERROR,
                                                        "Internal error: the throttle could not decide; see the coordinator's log"));
                                    }
                                },
                                exchange))));
    }

    private void onDecision(
            HttpServerExchange exchange, byte[] body, RawJson id, Decision decision, long throttleStart) {
        ServerTiming.of(exchange).since("throttle", throttleStart);
        if (decision.outcome() == Decision.Outcome.UNKNOWN_KEY) {
            Responses.json(
                    exchange,
                    401,
                    JsonRpcError.of(
                            id,
                            JsonRpcError.UNAUTHORIZED,
                            "Unknown API key: add it to the API keys file or call without a key"));
            return;
        }
        if (decision.outcome() == Decision.Outcome.STORE_UNAVAILABLE) {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, decision.retryAfterSeconds());
            Responses.json(exchange, 503, storeUnavailable(id, decision));
            return;
        }
        if (throttle.keying() == ThrottleKeying.OUTLAYER) {
            if (!decision.admitted()) {
                OutlayerRejection.send(exchange, decision);
                return;
            }
        } else {
            RateLimitHeaders.write(decision, exchange.getResponseHeaders());
            if (!decision.admitted()) {
                Responses.json(exchange, 429, rejection(id, decision));
                return;
            }
        }
        if (exchange.isComplete()) {
            // The exchange ended while a shared store was deciding: nothing to forward, free the slot.
            decision.release();
            return;
        }
        forward(exchange, body, id, decision);
    }

    private void forward(HttpServerExchange exchange, byte[] body, RawJson id, Decision decision) {
        exchange.addExchangeCompleteListener((ex, next) -> {
            decision.release();
            next.proceed();
        });
        ServerTiming.of(exchange).begin("upstream");
        // The body was read to parse and throttle it: the same bytes go upstream.
        upstream.forward(exchange, body, (ex, timedOut) -> upstreamFailed(ex, id, timedOut));
    }

    private void upstreamFailed(HttpServerExchange exchange, RawJson id, boolean timedOut) {
        var data = new JsonRpcError.Upstream(upstream.uri().toString());
        if (timedOut) {
            Responses.json(exchange, 504, JsonRpcError.of(id, JsonRpcError.SERVER_ERROR, "Upstream timed out", data));
        } else {
            Responses.json(exchange, 502, JsonRpcError.of(id, JsonRpcError.SERVER_ERROR, "Upstream unreachable", data));
        }
    }

    private static JsonRpcError rejection(RawJson id, Decision decision) {
        var data = new JsonRpcError.RateLimited(
                decision.tier().name(),
                decision.reason(),
                decision.outcome() == Decision.Outcome.REJECTED_RATE
                        ? decision.waitMillis()
                        : decision.retryAfterSeconds() * 1000);
        return JsonRpcError.of(id, JsonRpcError.LIMIT_EXCEEDED, "Rate limit exceeded", data);
    }

    /** Fail-closed policy: the shared store could not count this request, so it is not admitted. */
    private static JsonRpcError storeUnavailable(RawJson id, Decision decision) {
        var data = new JsonRpcError.StoreUnavailable(
                decision.tier().name(), decision.reason(), decision.detail(), decision.retryAfterSeconds() * 1000);
        return JsonRpcError.of(
                id,
                JsonRpcError.SERVER_ERROR,
                "Rate limit store unavailable: the throttle fails closed and admits nothing it cannot count",
                data);
    }
}
