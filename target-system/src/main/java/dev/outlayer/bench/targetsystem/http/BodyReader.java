package dev.outlayer.bench.targetsystem.http;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.ByteArrayOutputStream;
import java.util.function.Function;

/**
 * The one way a request body is read: whole, never past a size limit, whatever the framing.
 * A declared {@code Content-Length} over the limit is answered 413 before reading; a chunked
 * body is counted as it arrives and answered 413 as soon as it passes the limit. A body that cannot be read is a
 * 400; one whose next bytes do not come within the read timeout ({@code --read-timeout-ms}) a 408. The continuation runs on the
 * IO thread that finished reading, guarded by {@link ErrorHandler}: quick work answers there,
 * anything that blocks or computes must dispatch (see {@link ErrorHandler#dispatch}).
 */
public final class BodyReader {
    /** What to do with the body once it has been read. */
    @FunctionalInterface
    public interface Continuation<T> {
        void accept(HttpServerExchange exchange, T body) throws Exception;
    }

    private final long maxBytes;

    /** @param maxBytes the limit for JSON bodies ({@code --max-body-bytes}) */
    public BodyReader(long maxBytes) {
        if (maxBytes <= 0 || maxBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("body limit must be between 1 and " + Integer.MAX_VALUE + " bytes");
        }
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Reads the body, at most the configured limit, as raw bytes. */
    public void bytes(HttpServerExchange exchange, Continuation<byte[]> next) {
        bytes(exchange, maxBytes, next);
    }

    /** Reads the body, at most {@code limit} bytes (a wasm upload has its own limit). */
    public void bytes(HttpServerExchange exchange, long limit, Continuation<byte[]> next) {
        read(exchange, limit, Responses::errorBody, next);
    }

    /**
     * The body of a refusal: 413 (too large) or 400 (unreadable) with the reader's message, for an
     * endpoint that answers in its own protocol's shape (the JSON-RPC proxy answers JSON-RPC errors).
     */
    @FunctionalInterface
    public interface RefusalBody {
        Object of(int status, String message);
    }

    /** As {@link #bytes(HttpServerExchange, Continuation)}, with refusals shaped by {@code refusal}. */
    public void bytes(HttpServerExchange exchange, RefusalBody refusal, Continuation<byte[]> next) {
        read(exchange, maxBytes, refusal, next);
    }

    private static void read(HttpServerExchange exchange, long limit, RefusalBody refusal, Continuation<byte[]> next) {
        long length = exchange.getRequestContentLength();
        if (length > limit) {
            String message = tooLarge(limit);
            TooLarge.reject(exchange, message, refusal.of(413, message));
            return;
        }
        readCounted(exchange, length, limit, refusal, next);
    }

    /** ErrorHandler.guard, inlined: no task object per request on the proxy's hot path. */
    private static void proceed(HttpServerExchange exchange, byte[] body, Continuation<byte[]> next) {
        try {
            next.accept(exchange, body);
        } catch (Throwable failure) {
            ErrorHandler.answer(exchange, failure);
        }
    }

    /**
     * Reads the body (declared {@code length}, or -1 when chunked), counted as it arrives: a chunked
     * body is refused with a 413 the moment it passes the limit, the rest read and discarded up to
     * {@link TooLarge#DRAIN_LIMIT} so that the client can read the 413, then the connection closes.
     * Undertow's own entity-size check is off (see {@link HttpServer}): it cuts the connection before
     * the 413 can be read and prints a stack trace per request. A body whose next bytes do not come
     * within the listener's read timeout is answered 408 ({@link BodyDeadline}).
     */
    private static void readCounted(
            HttpServerExchange exchange, long length, long limit, RefusalBody refusal, Continuation<byte[]> next) {
        var counted = new Object() {
            ByteArrayOutputStream body = new ByteArrayOutputStream(length >= 0 ? (int) length : 1024);
            long seen;
        };
        BodyDeadline deadline = BodyDeadline.of(exchange, () -> {
            exchange.setPersistent(false);
            Responses.json(exchange, 408, refusal.of(408, "the request body did not arrive within the read timeout"));
        });
        exchange.getRequestReceiver()
                .receivePartialBytes(
                        (ex, chunk, last) -> {
                            if (deadline.isSettled()) {
                                return;
                            }
                            counted.seen += chunk.length;
                            if (counted.body != null && counted.seen > limit) {
                                counted.body = null; // over the limit: keep nothing more
                            }
                            if (counted.body != null) {
                                counted.body.write(chunk, 0, chunk.length);
                                if (last && deadline.settle()) {
                                    proceed(ex, counted.body.toByteArray(), next);
                                    return;
                                }
                            } else if ((last || counted.seen > TooLarge.DRAIN_LIMIT) && deadline.settle()) {
                                String message = tooLarge(limit);
                                TooLarge.afterFailedRead(ex, message, refusal.of(413, message));
                                return;
                            }
                            deadline.arm();
                        },
                        (ex, error) -> {
                            if (!deadline.settle()) {
                                return;
                            }
                            ex.setPersistent(false);
                            if (counted.body == null) {
                                String message = tooLarge(limit);
                                TooLarge.afterFailedRead(ex, message, refusal.of(413, message));
                            } else {
                                Responses.json(ex, 400, refusal.of(400, "the request body could not be read"));
                            }
                        });
        // What arrived with the headers may have been all of it; otherwise the client has until the deadline.
        deadline.arm();
    }

    /** Reads the body as JSON into {@code type}; a body that does not fit the type is a 400 naming the field. */
    public <T> void json(HttpServerExchange exchange, Class<T> type, Continuation<T> next) {
        bytes(exchange, (ex, body) -> next.accept(ex, JsonCodec.read(body, type)));
    }

    /**
     * Reads the body as axum's {@code Json<T>} extractor does, for the routes that mirror an OutLayer handler
     * taking {@code Json}: 415 unless the {@code Content-Type} is JSON's (before a byte of the body is read),
     * then a body that is not JSON 400 and one that does not fit {@code type} 422, in axum's words
     * ({@link JsonRejection}). Call it after the route's credentials are checked, as OutLayer's
     * auth middleware runs before the extractor.
     */
    public <T> void axumJson(HttpServerExchange exchange, Class<T> type, Continuation<T> next) {
        JsonRejection.requireJson(exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE));
        bytes(exchange, (ex, body) -> next.accept(ex, JsonRejection.read(body, type)));
    }

    /**
     * As {@link #axumJson(HttpServerExchange, Class, Continuation)}, for a route whose body is one of several
     * requests told apart by its bytes before either is parsed: {@code shape} names the type to read (and may
     * refuse a body that is none).
     */
    public void axumJson(HttpServerExchange exchange, Function<byte[], Class<?>> shape, Continuation<Object> next) {
        JsonRejection.requireJson(exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE));
        bytes(exchange, (ex, body) -> next.accept(ex, JsonRejection.read(body, shape.apply(body))));
    }

    /** Parses a body already read (for adapters that must look at the bytes first). */
    public static <T> T parse(byte[] body, Class<T> type) {
        return JsonCodec.read(body, type);
    }

    private static String tooLarge(long limit) {
        return "request body is larger than " + limit + " bytes";
    }

    /** For adapters that detect an oversized body themselves. */
    public static ApiException tooLargeError(long limit) {
        return new ApiException(ApiException.Kind.TOO_LARGE, tooLarge(limit));
    }
}
