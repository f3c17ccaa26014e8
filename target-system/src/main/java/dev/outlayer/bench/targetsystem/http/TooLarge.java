package dev.outlayer.bench.targetsystem.http;

import dev.outlayer.bench.targetsystem.json.JsonCodec;
import io.undertow.server.HttpServerExchange;

/**
 * Answers 413 so that the client actually reads it. Closing while the client is still uploading makes
 * the kernel reset the connection and the client sees "connection reset" instead of the 413, so a
 * body of reasonable size is read and discarded first; a larger one is cut off.
 */
public final class TooLarge {
    /** Bodies up to this size are drained before answering. */
    private static final long DRAIN_LIMIT = 64L * 1024 * 1024;

    private TooLarge() {}

    /** As {@link #reject(HttpServerExchange, Object)} with the usual {@code {error, status}} body. */
    public static void reject(HttpServerExchange exchange, String message) {
        var body = JsonCodec.object();
        body.put("error", message);
        body.put("status", 413);
        reject(exchange, body);
    }

    /** For a body that already failed to read (over the entity limit): answer at once and close. */
    public static void afterFailedRead(HttpServerExchange exchange, Object body) {
        exchange.setPersistent(false);
        Responses.json(exchange, 413, body);
    }

    /** Sends {@code body} with status 413 once the unread request body has been discarded, then closes. */
    public static void reject(HttpServerExchange exchange, Object body) {
        exchange.setPersistent(false);
        long length = exchange.getRequestContentLength();
        if (exchange.isRequestComplete() || length > DRAIN_LIMIT) {
            Responses.json(exchange, 413, body);
            return;
        }
        exchange.setMaxEntitySize(DRAIN_LIMIT);
        exchange.getRequestReceiver()
                .receivePartialBytes(
                        (ex, ignored, last) -> {
                            if (last) {
                                Responses.json(ex, 413, body);
                            }
                        },
                        (ex, e) -> Responses.json(ex, 413, body));
    }
}
