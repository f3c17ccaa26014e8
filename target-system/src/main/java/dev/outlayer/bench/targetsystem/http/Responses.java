package dev.outlayer.bench.targetsystem.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import io.undertow.server.Connectors;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Sends answers: JSON, and every error body {@code {"error": message, "status": code}}, except where the
 * real service answers in plain text ({@link #text}).
 */
public final class Responses {
    private Responses() {}

    public static void json(HttpServerExchange exchange, int status, Object body) {
        json(exchange, status, JsonCodec.bytes(body));
    }

    public static void json(HttpServerExchange exchange, int status, byte[] body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }

    /**
     * As {@link #json(HttpServerExchange, int, Object)} from a thread other than the exchange's IO
     * thread: the body is rendered here, and sent from the IO thread. An exchange ended off its IO
     * thread hands the connection back with a compare-and-set that the IO thread busy-spins on when
     * the client's next request arrives first (Undertow's HttpReadListener), and resumes reads
     * across threads; ended on the IO thread it does neither (issue 14: this spinning took most of
     * the IO threads' CPU in warm contract calls over HTTP).
     */
    public static void jsonFromWorker(HttpServerExchange exchange, int status, Object body) {
        byte[] bytes = JsonCodec.bytes(body);
        exchange.getIoThread().execute(() -> Connectors.executeRootHandler(ex -> json(ex, status, bytes), exchange));
    }

    /** A plain-text answer, {@code text/plain; charset=utf-8}, as axum's {@code String} responses. */
    public static void text(HttpServerExchange exchange, int status, String body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseSender().send(ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)));
    }

    public static void error(HttpServerExchange exchange, int status, String message) {
        json(exchange, status, errorBody(status, message));
    }

    public static ObjectNode errorBody(int status, String message) {
        ObjectNode body = JsonCodec.object();
        body.put("error", message);
        body.put("status", status);
        return body;
    }
}
