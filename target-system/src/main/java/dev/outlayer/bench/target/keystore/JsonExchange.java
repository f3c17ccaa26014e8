package dev.outlayer.bench.target.keystore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.target.http.Json;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;

/**
 * Runs a keystore route on a worker thread with a size-limited JSON body, and turns failures into
 * JSON errors: HttpError keeps its status, IllegalArgumentException is a 400, anything else a 500
 * whose message is generic, so no exception text (which might quote input) reaches a client.
 */
final class JsonExchange {
    private static final Logger LOG = LoggerFactory.getLogger(JsonExchange.class);

    interface Route {
        void handle(HttpServerExchange exchange) throws Exception;
    }

    private JsonExchange() {
    }

    static HttpHandler blocking(Route route) {
        return new HttpHandler() {
            @Override
            public void handleRequest(HttpServerExchange exchange) {
                if (exchange.isInIoThread()) {
                    exchange.dispatch(this);
                    return;
                }
                exchange.startBlocking();
                try {
                    route.handle(exchange);
                } catch (HttpError e) {
                    Json.sendError(exchange, e.status, e.getMessage());
                } catch (IllegalArgumentException e) {
                    Json.sendError(exchange, 400, e.getMessage());
                } catch (Exception e) {
                    LOG.error("keystore: {} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestPath(),
                            e.getClass().getName());
                    Json.sendError(exchange, 500, "internal keystore error");
                }
            }
        };
    }

    /** Reads the body as a JSON object, refusing more than {@code maxBytes} with 413. */
    static JsonNode readObject(HttpServerExchange exchange, long maxBytes) throws IOException {
        long declared = exchange.getRequestContentLength();
        if (declared > maxBytes) {
            throw tooLarge(maxBytes);
        }
        byte[] body;
        try (InputStream in = exchange.getInputStream()) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        }
        if (body.length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new HttpError(400, "body is not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")");
        }
        if (node == null || !node.isObject()) {
            throw new HttpError(400, "body must be a JSON object");
        }
        return node;
    }

    /** A required non-empty string field. */
    static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.textValue().isBlank()) {
            throw new HttpError(400, "'" + field + "' is required and must be a non-empty string");
        }
        return value.textValue();
    }

    /** An optional string field; null or absent gives null. */
    static String optionalText(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new HttpError(400, "'" + field + "' must be a string");
        }
        return value.textValue();
    }

    /** The bearer credential, from {@code Authorization: Bearer ...} or {@code X-API-Key}. */
    static String bearer(HttpServerExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        return exchange.getRequestHeaders().getFirst("X-API-Key");
    }

    private static HttpError tooLarge(long maxBytes) {
        return new HttpError(413, "request body is larger than " + maxBytes + " bytes");
    }
}
