package dev.outlayer.bench.targetsystem.http;

import dev.outlayer.bench.targetsystem.throttle.FixedWindows;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.net.InetSocketAddress;
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
 * <p>The address is the first entry of {@code X-Forwarded-For}, else {@code X-Real-IP}, else the
 * peer's, as OutLayer takes it. A client chooses the first entry, so a client that sends a new one
 * with every request is never limited: OutLayer's behaviour, kept (docs/https-calls.md).
 */
public final class ClientAddressLimit {
    private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** Past this many addresses, expired windows are dropped (OutLayer cleans up past 1,000). */
    private static final int MAX_WINDOWS = 10_000;

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
        String forwardedFor = exchange.getRequestHeaders().getFirst("X-Forwarded-For");
        if (forwardedFor != null) {
            return forwardedFor.split(",", 2)[0].strip();
        }
        String realIp = exchange.getRequestHeaders().getFirst("X-Real-IP");
        if (realIp != null) {
            return realIp.strip();
        }
        InetSocketAddress peer = (InetSocketAddress) exchange.getSourceAddress();
        return peer == null || peer.getAddress() == null
                ? "unknown"
                : peer.getAddress().getHostAddress();
    }
}
