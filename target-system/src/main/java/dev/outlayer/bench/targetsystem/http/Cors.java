package dev.outlayer.bench.targetsystem.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.PathTemplateMatcher;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OutLayer coordinator's CORS layers: tower-http's {@code CorsLayer} (0.5) as coordinator/src/main.rs
 * builds it three times, each on its group of routes, here one handler in front of the routes that picks
 * the group's {@link Policy} by the path a request names (axum matches the path, then the method, inside
 * the group's layers).
 *
 * <p>Every request a policy covers gets {@code access-control-allow-origin} ({@code *} when any origin is
 * allowed; for a list, the request's {@code Origin} when the list holds it byte for byte, else none) and
 * {@code vary: origin, access-control-request-method, access-control-request-headers}. An OPTIONS request
 * is a preflight whatever else it carries (with no {@code Origin} too): 200, no body, the policy's {@code
 * access-control-allow-methods} and {@code access-control-allow-headers} (comma-joined, as tower-http
 * writes them), the route never called. Any other request goes on to its route, and its answer, an error
 * or a 429 included, gets the headers when it is sent: the allow-origin replaces one the route set, the
 * vary is added to the route's own. The per-address limiters guard routes behind this handler, as
 * OutLayer adds each group's limiter before its CORS layer: a preflight is answered before it is counted.
 */
public final class Cors implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(Cors.class);
    private static final HttpString ALLOW_ORIGIN = HttpString.tryFromString("access-control-allow-origin");
    private static final HttpString ALLOW_METHODS = HttpString.tryFromString("access-control-allow-methods");
    private static final HttpString ALLOW_HEADERS = HttpString.tryFromString("access-control-allow-headers");
    private static final String VARY = "origin, access-control-request-method, access-control-request-headers";

    /**
     * One {@code CorsLayer}: the methods and request headers a preflight allows, and the origins.
     *
     * @param origins the allowed origins, or null for any ({@code tower_http::cors::Any})
     */
    public record Policy(String name, List<String> methods, List<String> headers, Set<String> origins) {
        public Policy {
            methods = List.copyOf(methods);
            headers = List.copyOf(headers);
            origins = origins == null ? null : Set.copyOf(origins);
        }

        /** The allow-origin of a request from {@code origin} (null when it sent none), or null for none. */
        String allowOrigin(String origin) {
            if (origins == null) {
                return "*";
            }
            return origin != null && origins.contains(origin) ? origin : null;
        }
    }

    private static final List<String> GET_POST_OPTIONS = List.of("GET", "POST", "OPTIONS");

    /** {@code cors_permissive}: the HTTPS API (/call/..., /calls/{id}, /payment-keys/balance), any origin. */
    public static final Policy HTTPS_API = new Policy(
            "https-api",
            GET_POST_OPTIONS,
            List.of("content-type", "x-payment-key", "x-compute-limit", "x-attached-deposit"),
            null);

    /** {@code cors_public_storage}: /public/storage/get and /public/storage/batch, any origin. */
    public static final Policy PUBLIC_STORAGE =
            new Policy("public-storage", GET_POST_OPTIONS, List.of("content-type"), null);

    /** No CORS layer: the stand-in's own routes, which OutLayer does not have. */
    public static final Policy NONE = new Policy("none", List.of(), List.of(), null);

    /**
     * {@code cors_restricted}: every other route OutLayer has (the workers', the dashboard's, the secrets
     * front, internal, admin), the origins of {@code CORS_ALLOWED_ORIGINS} only.
     */
    public static Policy restricted(Collection<String> origins) {
        return new Policy(
                "restricted",
                List.of("GET", "POST", "DELETE", "OPTIONS"),
                List.of("content-type", "authorization", "x-payment-key", "x-compute-limit", "x-attached-deposit"),
                new LinkedHashSet<>(origins));
    }

    /**
     * OutLayer's reading of {@code CORS_ALLOWED_ORIGINS} (coordinator config.rs, then main.rs): split at
     * commas, each entry trimmed, empty ones dropped, and an entry that is no valid header value (a control
     * character) left out, logged. {@code *} is refused: tower-http's list of origins panics on it, so
     * OutLayer does not start.
     *
     * @param option the flag, named in the refusal
     */
    public static List<String> allowedOrigins(String value, String option) {
        List<String> origins = new ArrayList<>();
        for (String entry : value.split(",", -1)) {
            String origin = entry.strip();
            if (origin.isEmpty()) {
                continue;
            }
            if (origin.equals("*")) {
                throw new IllegalArgumentException(option + " cannot hold *: OutLayer's restricted CORS layer takes"
                        + " a list of origins (tower-http refuses the wildcard in one)");
            }
            if (origin.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
                LOG.warn("{}: {} is not a valid header value, left out as OutLayer leaves it out", option, origin);
                continue;
            }
            // compared with the request's Origin byte for byte; Undertow reads header bytes as ISO-8859-1
            origins.add(new String(origin.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
        }
        return origins;
    }

    private final HttpHandler next;
    private final PathTemplateMatcher<Policy> byTemplate = new PathTemplateMatcher<>();
    private final Policy unmatched;

    /**
     * @param templates every route template behind this handler (Undertow's {name} placeholders): each
     *     gets its policy, so that a path is matched to the template the routes match it to
     * @param policyOf a template's policy, {@link #NONE} for none
     * @param unmatched the policy of a path no template matches
     */
    public Cors(HttpHandler next, Collection<String> templates, Function<String, Policy> policyOf, Policy unmatched) {
        this.next = next;
        this.unmatched = unmatched;
        for (String template : new LinkedHashSet<>(templates)) {
            byTemplate.add(template, policyOf.apply(template));
        }
    }

    /** The policy of a request for {@code path}. */
    Policy policyFor(String path) {
        PathTemplateMatcher.PathMatchResult<Policy> match = byTemplate.match(path);
        return match == null ? unmatched : match.getValue();
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        Policy policy = policyFor(exchange.getRelativePath());
        if (policy == NONE) {
            next.handleRequest(exchange);
            return;
        }
        String allowOrigin = policy.allowOrigin(exchange.getRequestHeaders().getFirst(Headers.ORIGIN));
        // http's Method::OPTIONS: the exact, case-sensitive token
        if (exchange.getRequestMethod().toString().equals("OPTIONS")) {
            HeaderMap headers = exchange.getResponseHeaders();
            if (allowOrigin != null) {
                headers.put(ALLOW_ORIGIN, allowOrigin);
            }
            headers.put(Headers.VARY, VARY);
            headers.put(ALLOW_METHODS, String.join(",", policy.methods()));
            headers.put(ALLOW_HEADERS, String.join(",", policy.headers()));
            exchange.setStatusCode(200);
            exchange.endExchange();
            return;
        }
        exchange.addResponseCommitListener(answered -> {
            if (allowOrigin != null) {
                answered.getResponseHeaders().put(ALLOW_ORIGIN, allowOrigin);
            }
            answered.getResponseHeaders().add(Headers.VARY, VARY);
        });
        next.handleRequest(exchange);
    }
}
