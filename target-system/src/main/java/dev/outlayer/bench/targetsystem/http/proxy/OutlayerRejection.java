package dev.outlayer.bench.targetsystem.http.proxy;

import dev.outlayer.bench.targetsystem.http.Responses;
import dev.outlayer.bench.targetsystem.throttle.Decision;
import dev.outlayer.bench.targetsystem.throttle.ThrottleConfig;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

/**
 * The 429 of OutLayer's coordinator ({@code throttle_middleware}): plain text, {@code Retry-After: 5}
 * whatever the bucket's state, and an {@code X-RateLimit-Limit} of 20 for keyed and 5 for anonymous
 * callers, the literals the middleware writes (they are its default profiles' rates).
 */
final class OutlayerRejection {
    static final String RETRY_AFTER_SECONDS = "5";
    private static final HttpString X_LIMIT = HttpString.tryFromString("X-RateLimit-Limit");

    private OutlayerRejection() {}

    static void send(HttpServerExchange exchange, Decision decision) {
        boolean keyed = decision.tier() != null && !decision.tier().name().equals(ThrottleConfig.ANONYMOUS);
        exchange.getResponseHeaders()
                .put(Headers.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .put(X_LIMIT, keyed ? "20" : "5");
        Responses.text(exchange, 429, body(decision));
    }

    /** "Rate limit exceeded: " and the bucket's reason, in the middleware's words. */
    static String body(Decision decision) {
        String reason = decision.outcome() == Decision.Outcome.REJECTED_CONCURRENCY
                ? "Concurrency limit reached (" + decision.tier().maxInFlight() + "/"
                        + decision.tier().maxInFlight() + ")"
                : "Rate limit exceeded (" + decision.tier().ratePerSecond() + "rps)";
        return "Rate limit exceeded: " + reason;
    }
}
