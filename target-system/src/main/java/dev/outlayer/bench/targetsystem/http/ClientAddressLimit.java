package dev.outlayer.bench.targetsystem.http;

import dev.outlayer.bench.targetsystem.throttle.FixedWindows;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * OutLayer's {@code IpRateLimiter} (coordinator middleware/ip_rate_limit.rs) in front of a group of
 * routes: each client address may make {@code perMinute} requests in a fixed one-minute window that
 * its first request starts; past that, 429 with OutLayer's plain-text body and no {@code Retry-After}.
 * Every request the group's routes match is counted, refused ones included, before the route's own
 * checks (a bad payment key counts too). OutLayer gives each group a limiter of its own, so counts do
 * not add up across groups.
 *
 * <p>The address is taken as OutLayer's {@code get_client_ip} takes it: the first entry of {@code
 * X-Forwarded-For}, trimmed, else {@code X-Real-IP}, trimmed, each only when its first value is visible
 * ASCII (what {@code HeaderValue::to_str} accepts; any other byte skips the header), else {@code unknown}.
 * OutLayer's server is started with {@code axum::serve(listener, app)}, without {@code ConnectInfo}, so its
 * limiter never sees the connection's address: every request without either header shares the one
 * window of {@code unknown}. A client chooses the first entry, so a client that sends a new one with
 * every request is never limited: OutLayer's behaviour, kept (docs/executions.md, "Per-address limits").
 */
public final class ClientAddressLimit {
    private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** Past this many addresses, expired windows are dropped (OutLayer cleans up past 1,000). */
    private static final int MAX_WINDOWS = 10_000;
    /** OutLayer's key for a request that names no address: its server has no connection address to fall back on. */
    static final String UNKNOWN = "unknown";

    private final FixedWindows<String> windows;
    private final int perMinute;

    private ClientAddressLimit(int perMinute, LongSupplier nanoClock) {
        this.perMinute = perMinute;
        this.windows = new FixedWindows<>(nanoClock, MINUTE_NANOS, MAX_WINDOWS);
    }

    /**
     * @param perMinute requests per address and minute; 0 for no limit (the stand-in's own option, for
     *     measuring a route without the limiter)
     * @param option the flag that set it, named when it is out of range
     */
    public static ClientAddressLimit perMinute(int perMinute, String option) {
        return perMinute(perMinute, option, System::nanoTime);
    }

    /** As {@link #perMinute(int, String)} on a clock the caller moves (tests). */
    public static ClientAddressLimit perMinute(int perMinute, String option, LongSupplier nanoClock) {
        if (perMinute < 0) {
            throw new IllegalArgumentException(option + " must be 0 (no limit) or more, got " + perMinute);
        }
        return new ClientAddressLimit(perMinute, nanoClock);
    }

    /** {@code route} behind the limit: a request within it goes on, one past it is answered 429 here. */
    public HttpHandler guard(HttpHandler route) {
        if (perMinute == 0) {
            return route;
        }
        return exchange -> {
            if (windows.count(clientAddress(exchange)) > perMinute) {
                Responses.text(
                        exchange,
                        429,
                        "Rate limit exceeded: " + perMinute + " requests/minute allowed. Try again later.");
            } else {
                route.handleRequest(exchange);
            }
        };
    }

    /** The address OutLayer's limiter counts a request against. */
    static String clientAddress(HttpServerExchange exchange) {
        String forwardedFor = visibleAscii(exchange.getRequestHeaders().getFirst("X-Forwarded-For"));
        if (forwardedFor != null) {
            return forwardedFor.split(",", 2)[0].strip();
        }
        String realIp = visibleAscii(exchange.getRequestHeaders().getFirst("X-Real-IP"));
        if (realIp != null) {
            return realIp.strip();
        }
        return UNKNOWN;
    }

    /**
     * {@code value} when {@code HeaderValue::to_str} would read it (tab and U+0020 to U+007E only; Undertow
     * hands each byte over as one ISO-8859-1 character), else null, as OutLayer then looks further.
     */
    private static String visibleAscii(String value) {
        if (value == null) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\t' && (c < 0x20 || c > 0x7e)) {
                return null;
            }
        }
        return value;
    }
}
