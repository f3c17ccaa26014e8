package dev.outlayer.bench.targetsystem.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.errors.FatalErrors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a failed request becomes an answer. It wraps each listener's root handler,
 * and {@link #guard} runs the continuations that happen after the root returned (a body read
 * callback, work dispatched to an executor) under the same rules:
 * {@link ApiException} keeps its kind's status and message; anything else is logged here and
 * answered with a 500 whose body names no internal detail.
 */
public final class ErrorHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorHandler.class);

    /** Work that may fail; runs with its exchange. */
    @FunctionalInterface
    public interface Task {
        void run() throws Exception;
    }

    private final HttpHandler next;

    public ErrorHandler(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        guard(exchange, () -> next.handleRequest(exchange));
    }

    /** Runs {@code task}; whatever it throws is answered on {@code exchange}. */
    public static void guard(HttpServerExchange exchange, Task task) {
        try {
            task.run();
        } catch (Throwable failure) {
            answer(exchange, failure);
        }
    }

    /**
     * Runs {@code task} on {@code executor}, guarded; a full executor answers 503. The exchange
     * stays open until the task answers it.
     */
    public static void dispatch(HttpServerExchange exchange, Executor executor, Task task) {
        try {
            exchange.dispatch(executor, () -> guard(exchange, task));
        } catch (RejectedExecutionException e) {
            answer(exchange, new ApiException(ApiException.Kind.UNAVAILABLE, "the server is busy; retry later", 1));
        }
    }

    /** As {@link #dispatch(HttpServerExchange, Executor, Task)} on Undertow's worker pool. */
    public static void dispatch(HttpServerExchange exchange, Task task) {
        dispatch(exchange, exchange.getConnection().getWorker(), task);
    }

    /** Answers {@code failure} with its status and a JSON body, unless an answer has started. */
    public static void answer(HttpServerExchange exchange, Throwable failure) {
        // Out of memory (or worse): no answer can be trusted, and Undertow would swallow a rethrow.
        FatalErrors.haltIfFatal(failure);
        int status;
        String message;
        String code = null;
        if (failure instanceof ApiException api) {
            code = api.code();
            status = status(api.kind());
            message = api.getMessage();
            if (api.retryAfterSeconds() > 0 && !exchange.isResponseStarted()) {
                exchange.getResponseHeaders().put(Headers.RETRY_AFTER, Long.toString(api.retryAfterSeconds()));
            }
        } else {
            status = 500;
            message = "internal error";
            LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestPath(), failure);
        }
        if (exchange.isResponseStarted()) {
            LOG.warn(
                    "{} {}: {} after the response started; closing the connection",
                    exchange.getRequestMethod(),
                    exchange.getRequestPath(),
                    failure.getClass().getSimpleName());
            exchange.setPersistent(false);
            exchange.endExchange();
            return;
        }
        if (status == 413) {
            TooLarge.reject(exchange, message);
            return;
        }
        if (code != null) {
            Responses.json(exchange, status, new CodedError(code, message));
            return;
        }
        Responses.error(exchange, status, message);
    }

    /** OutLayer's coordinator's coded refusal: {@code {"error": code, "message": sentence}}. */
    record CodedError(
            @JsonProperty("error") String error,
            @JsonProperty("message") String message) {}

    /** The HTTP status of each kind of {@link ApiException}. */
    public static int status(ApiException.Kind kind) {
        return switch (kind) {
            case INVALID -> 400;
            case UNAUTHENTICATED -> 401;
            case PAYMENT_REQUIRED -> 402;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case TOO_LARGE -> 413;
            case UNSUPPORTED_MEDIA_TYPE -> 415;
            case UNPROCESSABLE -> 422;
            case TOO_MANY_REQUESTS -> 429;
            case BAD_GATEWAY -> 502;
            case UNAVAILABLE -> 503;
            case GATEWAY_TIMEOUT -> 504;
        };
    }
}
