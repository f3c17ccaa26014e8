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

    /** The last tier's constant parts, rendered once: most calls in a row are of one tier. */
    private static volatile TierText last = new TierText(null, "", "", "");

    private RateLimitHeaders() {}

    public static void write(Decision decision, HeaderMap headers) {
        Tier tier = decision.tier();
        TierText text = last;
        if (text.tier != tier) {
            text = new TierText(
                    tier,
                    '"' + tier.name() + "\";r=",
                    // Policy: the bucket holds `burst` tokens and refills them in `w` seconds.
                    '"' + tier.name() + "\";q=" + tier.burst() + ";w=" + tier.policyWindowSeconds(),
                    Long.toString(tier.burst()));
            last = text;
        }
        long remaining = decision.remaining();
        long reset = decision.resetSeconds();
        headers.put(POLICY, text.policy);
        headers.put(RATE_LIMIT, text.rateLimitPrefix + remaining + ";t=" + reset);
        headers.put(X_LIMIT, text.burst);
        headers.put(X_REMAINING, remaining);
        headers.put(X_RESET, reset);
        if (!decision.admitted()) {
            headers.put(Headers.RETRY_AFTER, decision.retryAfterSeconds());
        }
    }

    private record TierText(Tier tier, String rateLimitPrefix, String policy, String burst) {}
}
