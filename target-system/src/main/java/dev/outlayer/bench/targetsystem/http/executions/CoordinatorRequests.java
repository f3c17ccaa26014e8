package dev.outlayer.bench.targetsystem.http.executions;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.keystore.WorkerTokens;
import dev.outlayer.bench.targetsystem.payments.PaymentKeys;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.PathTemplateMatch;
import java.util.Deque;

/**
 * What the coordinator's routes read from a request, in one place for all of them: path and query
 * parameters, headers, the payment key a public route names and the worker token of the worker
 * routes. What is wrong is thrown as an {@link ApiException}, for the listener's one error handler
 * to answer.
 */
final class CoordinatorRequests {
    private CoordinatorRequests() {}

    /** The value of the route template's {@code {name}}. */
    static String pathParameter(HttpServerExchange exchange, String name) {
        return exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY)
                .getParameters()
                .get(name);
    }

    /** The first value of the query's {@code name}, or null without one. */
    static String queryParameter(HttpServerExchange exchange, String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    static String header(HttpServerExchange exchange, String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /** The key of a {@code /public/payment-keys/{owner}/{nonce}/...} route; 400 unless the nonce is a u32. */
    static PaymentKeys.Id paymentKeyInPath(HttpServerExchange exchange) {
        long nonce;
        try {
            nonce = Long.parseLong(pathParameter(exchange, "nonce"));
        } catch (NumberFormatException e) {
            throw ApiException.invalid("nonce must be a u32");
        }
        if (nonce < 0 || nonce > 0xFFFF_FFFFL) {
            throw ApiException.invalid("nonce must be a u32");
        }
        return new PaymentKeys.Id(pathParameter(exchange, "owner"), nonce);
    }

    /** 401 unless the request carries a worker token {@code workerTokens} accepts. */
    static void requireWorker(HttpServerExchange exchange, WorkerTokens workerTokens) {
        requireWorkerToken(exchange, workerTokens);
    }

    /** As {@link #requireWorker}; the token's sha256 in hex (OutLayer's {@code WorkerTokenHash}). */
    static String requireWorkerTokenHash(HttpServerExchange exchange, WorkerTokens workerTokens) {
        return WorkerTokens.sha256Hex(requireWorkerToken(exchange, workerTokens));
    }

    private static String requireWorkerToken(HttpServerExchange exchange, WorkerTokens workerTokens) {
        String authorization = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim()
                : null;
        if (token == null || token.isEmpty() || !workerTokens.accepts(token)) {
            throw new ApiException(
                    ApiException.Kind.UNAUTHENTICATED,
                    "the worker API needs a worker token: 'Authorization: Bearer <token>'");
        }
        return token;
    }
}
