package dev.outlayer.bench.targetsystem.http.admin;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * OutLayer's admin bearer-token check (coordinator middleware/admin_auth.rs), in front of every route
 * of its admin router: the first {@code Authorization} header must be {@code Bearer <token>} with
 * the configured token ({@code ADMIN_BEARER_TOKEN}; unset, OutLayer's config.rs takes {@link
 * #OUTLAYER_DEFAULT_TOKEN}). No header, a header that is not visible ASCII (axum's {@code to_str}
 * fails) or one that does not start with {@code Bearer } (that case, one space) is 401; another
 * token is 403. The check runs before the route reads its body or path, as the middleware runs
 * before the handler's extractors. OutLayer answers both with an empty body; the stand-in's is its
 * JSON error. The token is compared in constant time (OutLayer's {@code !=} is not). The
 * stand-in's own {@code /admin/gc} and {@code /admin/heap} ({@code --admin}) are not behind it.
 */
public final class AdminAuth {
    /** What OutLayer's coordinator takes when {@code ADMIN_BEARER_TOKEN} is unset (config.rs). */
    public static final String OUTLAYER_DEFAULT_TOKEN = "change-this-in-production";

    private static final String PREFIX = "Bearer ";

    private final byte[] token;

    public AdminAuth(String token) {
        this.token = Objects.requireNonNull(token, "token").getBytes(StandardCharsets.UTF_8);
    }

    /** 401 or 403 unless the request carries the admin token. */
    public void require(HttpServerExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (authorization == null || !visibleAscii(authorization) || !authorization.startsWith(PREFIX)) {
            throw new ApiException(
                    ApiException.Kind.UNAUTHENTICATED,
                    "the admin API needs the admin token: 'Authorization: Bearer <token>'");
        }
        byte[] presented = authorization.substring(PREFIX.length()).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(presented, token)) {
            throw new ApiException(ApiException.Kind.FORBIDDEN, "invalid admin token");
        }
    }

    /** {@code handler} behind the check. */
    public HttpHandler guard(HttpHandler handler) {
        return exchange -> {
            require(exchange);
            handler.handleRequest(exchange);
        };
    }

    /** What http's {@code HeaderValue::to_str} accepts: tab and the visible ASCII characters with space. */
    private static boolean visibleAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\t' && (c < 0x20 || c > 0x7e)) {
                return false;
            }
        }
        return true;
    }
}
