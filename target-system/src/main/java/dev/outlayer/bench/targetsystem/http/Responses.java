package dev.outlayer.bench.targetsystem.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;

/** Sends JSON answers. Every error body is {@code {"error": message, "status": code}}. */
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
