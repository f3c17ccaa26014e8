package dev.outlayer.bench.targetsystem.http.proxy;

import dev.outlayer.bench.targetsystem.throttle.Decision;
import dev.outlayer.bench.targetsystem.throttle.Tier;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

/**
 * Writes a decision as response headers: the IETF httpapi draft's structured {@code RateLimit-Policy}
 * and {@code RateLimit}, the older {@code X-RateLimit-*} trio, and {@code Retry-After} on rejection.
 */
public final class RateLimitHeaders {
    private static final HttpString POLICY = HttpString.tryFromString("RateLimit-Policy");
    private static final HttpString RATE_LIMIT = HttpString.tryFromString("RateLimit");
    private static final HttpString X_LIMIT = HttpString.tryFromString("X-RateLimit-Limit");
    private static final HttpString X_REMAINING = HttpString.tryFromString("X-RateLimit-Remaining");
    private static final HttpString X_RESET = HttpString.tryFromString("X-RateLimit-Reset");

    private RateLimitHeaders() {}

    public static void write(Decision decision, HeaderMap headers) {
        Tier tier = decision.tier();
        String quoted = '"' + tier.name() + '"';
        // Policy: the bucket holds `burst` tokens and refills them in `w` seconds.
        headers.put(POLICY, quoted + ";q=" + tier.burst() + ";w=" + tier.policyWindowSeconds());
        headers.put(RATE_LIMIT, quoted + ";r=" + decision.remaining() + ";t=" + decision.resetSeconds());
        headers.put(X_LIMIT, tier.burst());
        headers.put(X_REMAINING, decision.remaining());
        headers.put(X_RESET, decision.resetSeconds());
        if (!decision.admitted()) {
            headers.put(Headers.RETRY_AFTER, decision.retryAfterSeconds());
        }
    }
}
