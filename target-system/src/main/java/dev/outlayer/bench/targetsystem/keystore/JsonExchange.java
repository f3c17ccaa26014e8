package dev.outlayer.bench.targetsystem.keystore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.http.Responses;
import dev.outlayer.bench.targetsystem.http.TooLarge;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * Runs a keystore route with its size-limited body, and turns failures into JSON errors:
 * HttpError keeps its status, IllegalArgumentException is a 400, anything else a 500 whose message
 * is generic, so no exception text (which might quote input) reaches a client. Quick CPU-only routes
 * (decrypt, pubkey, reads) run on the IO thread that read the body, which saves a thread handoff per
 * request; routes that write files run on a worker thread.
 */
final class JsonExchange {
    private static final Logger LOG = LoggerFactory.getLogger(JsonExchange.class);

    interface Route {
        void handle(HttpServerExchange exchange, byte[] body) throws Exception;
    }

    enum Threading { IO_THREAD, WORKER }

    private JsonExchange() {
    }

    static HttpHandler handler(Route route, long maxBodyBytes, Threading threading) {
        return exchange -> {
            if (exchange.getRequestContentLength() > maxBodyBytes) {
                TooLarge.reject(exchange, tooLarge(maxBodyBytes).getMessage());
                return;
            }
            exchange.getRequestReceiver().setMaxBufferSize((int) Math.min(Integer.MAX_VALUE, maxBodyBytes));
            exchange.getRequestReceiver().receiveFullBytes((ex, body) -> {
                if (threading == Threading.WORKER && ex.isInIoThread()) {
                    ex.dispatch(() -> run(route, ex, body));
                } else {
                    run(route, ex, body);
                }
            }, (ex, error) -> Responses.error(ex, error instanceof RequestTooBigException ? 413 : 400,
                    error instanceof RequestTooBigException ? tooLarge(maxBodyBytes).getMessage() : "the request body could not be read"));
        };
    }

    private static void run(Route route, HttpServerExchange exchange, byte[] body) {
        try {
            route.handle(exchange, body);
        } catch (HttpError e) {
            Responses.error(exchange, e.status, e.getMessage());
        } catch (IllegalArgumentException e) {
            Responses.error(exchange, 400, e.getMessage());
        } catch (Exception e) {
            LOG.error("keystore: {} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestPath(), e.getClass().getName());
            Responses.error(exchange, 500, "internal keystore error");
        }
    }

    /** The body as a JSON object. */
    static JsonNode parseObject(byte[] body) {
        JsonNode node;
        try {
            node = JsonCodec.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new HttpError(400, "body is not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new HttpError(400, "body cannot be read as JSON");
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
