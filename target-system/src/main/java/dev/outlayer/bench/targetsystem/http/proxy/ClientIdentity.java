package dev.outlayer.bench.targetsystem.http.proxy;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.Deque;

/** Finds the caller's API key: {@code Authorization: Bearer}, {@code X-API-Key} or {@code ?api_key=}. */
public final class ClientIdentity {
    private static final HttpString X_API_KEY = HttpString.tryFromString("X-API-Key");
    private static final String BEARER = "Bearer ";

    private ClientIdentity() {}

    /** The API key, or null for an anonymous caller. A blank key counts as an unknown key, not anonymous. */
    public static String apiKey(HttpServerExchange exchange) {
        HeaderValues authorization = exchange.getRequestHeaders().get(Headers.AUTHORIZATION);
        if (authorization != null) {
            String value = authorization.getFirst();
            if (value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
                return value.substring(BEARER.length()).trim();
            }
        }
        HeaderValues header = exchange.getRequestHeaders().get(X_API_KEY);
        if (header != null) {
            return header.getFirst().trim();
        }
        Deque<String> query = exchange.getQueryParameters().get("api_key");
        if (query != null && !query.isEmpty()) {
            return query.getFirst().trim();
        }
        return null;
    }

    /**
     * Whether OutLayer's coordinator would count the request as keyed: an {@code Authorization}
     * header starting with {@code "Bearer "} (exact case), or a query string containing
     * {@code api_key=} or {@code apikey=}. The key itself is never looked at, and
     * {@code X-API-Key} does not count.
     */
    public static boolean outlayerKeyed(HttpServerExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (authorization != null && authorization.startsWith(BEARER)) {
            return true;
        }
        String query = exchange.getQueryString();
        return query != null && (query.contains("api_key=") || query.contains("apikey="));
    }
}
