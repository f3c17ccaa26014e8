package dev.outlayer.bench.targetsystem.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CORS handler on a real server, as tower-http's {@code CorsLayer} answers: preflights answered before
 * the route (and before the per-address limiter), headers on every other answer, errors included, the
 * listed origins echoed and no others, and nothing on a route without a policy.
 */
class CorsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String VARY = "origin, access-control-request-method, access-control-request-headers";
    private static final String DASHBOARD = "http://dashboard.example";

    private final AtomicInteger reached = new AtomicInteger();
    private HttpServer server;

    @BeforeEach
    void start() {
        // the clock stands still: one window for the whole test
        ClientAddressLimit limit = ClientAddressLimit.perMinute(1, "--test-rate", new AtomicLong(1)::get);
        Routes routes = new Routes("cors-test", new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        routes.route(Methods.POST, "/call/{id}", limit.guard(exchange -> answer(exchange, "called")));
        routes.route(Methods.GET, "/dashboard", exchange -> answer(exchange, "read"));
        routes.route(Methods.GET, "/dashboard/own-headers", exchange -> {
            exchange.getResponseHeaders().put(HttpString.tryFromString("Access-Control-Allow-Origin"), "http://x");
            exchange.getResponseHeaders().put(HttpString.tryFromString("Vary"), "accept-encoding");
            answer(exchange, "read");
        });
        routes.route(Methods.GET, "/dashboard/missing", exchange -> {
            reached.incrementAndGet();
            throw new ApiException(ApiException.Kind.NOT_FOUND, "no such job");
        });
        routes.route(Methods.GET, "/own", exchange -> answer(exchange, "own"));
        Map<String, Cors.Policy> policies = Map.of(
                "/call/{id}", Cors.HTTPS_API,
                "/own", Cors.NONE);
        Cors.Policy restricted = Cors.restricted(List.of(DASHBOARD, "http://localhost:3000"));
        server = HttpServer.start(
                "cors-test",
                "127.0.0.1",
                0,
                new Cors(
                        routes.handler(),
                        routes.registered().stream().map(Routes.Route::template).toList(),
                        template -> policies.getOrDefault(template, restricted),
                        Cors.PUBLIC_STORAGE),
                1000);
    }

    private void answer(HttpServerExchange exchange, String body) {
        reached.incrementAndGet();
        Responses.text(exchange, 200, body);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aPreflightIsAnsweredHereWithThePolicysHeadersAndNoBody() throws Exception {
        HttpResponse<String> preflight = send(
                "OPTIONS",
                "/call/7",
                "Origin",
                "http://anywhere.example",
                "Access-Control-Request-Method",
                "POST",
                "Access-Control-Request-Headers",
                "content-type,x-payment-key");
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.body()).isEmpty();
        assertThat(allowOrigin(preflight)).hasValue("*");
        assertThat(preflight.headers().allValues("vary")).containsExactly(VARY);
        assertThat(preflight.headers().firstValue("access-control-allow-methods"))
                .hasValue("GET,POST,OPTIONS");
        assertThat(preflight.headers().firstValue("access-control-allow-headers"))
                .hasValue("content-type,x-payment-key,x-compute-limit,x-attached-deposit");
        assertThat(preflight.headers().firstValue("content-type")).isEmpty();
        assertThat(reached).as("the route was not called").hasValue(0);

        HttpResponse<String> restricted = send("OPTIONS", "/dashboard", "Origin", DASHBOARD);
        assertThat(restricted.statusCode()).isEqualTo(200);
        assertThat(allowOrigin(restricted)).hasValue(DASHBOARD);
        assertThat(restricted.headers().firstValue("access-control-allow-methods"))
                .hasValue("GET,POST,DELETE,OPTIONS");
        assertThat(restricted.headers().firstValue("access-control-allow-headers"))
                .hasValue("content-type,authorization,x-payment-key,x-compute-limit,x-attached-deposit");
    }

    /**
     * OutLayer's {@code cors_permissive} header by header (main.rs, the router with /https-calls/complete): any
     * origin, GET/POST/OPTIONS, four request headers and no other; no exposed headers, no max age, no credentials.
     * So a page cannot send {@code X-Wallet-Id} (which call.rs reads) or {@code X-Use-Owner-Secret} (which OutLayer's
     * newest call.rs reads, for a router not at hand) across origins: the preflight's list lacks them whatever the
     * page asks, and the browser stops there, as it does before OutLayer's router of that main.rs.
     */
    @Test
    void theHttpsApisPreflightIsOutLayersHeaderByHeaderWithoutXWalletId() throws Exception {
        HttpResponse<String> preflight = send(
                "OPTIONS",
                "/call/7",
                "Origin",
                "https://wallet.example",
                "Access-Control-Request-Method",
                "POST",
                "Access-Control-Request-Headers",
                "content-type,x-payment-key,x-wallet-id,x-use-owner-secret");
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(allowOrigin(preflight)).hasValue("*");
        assertThat(preflight.headers().allValues("access-control-allow-methods"))
                .containsExactly("GET,POST,OPTIONS");
        assertThat(preflight.headers().allValues("access-control-allow-headers"))
                .containsExactly("content-type,x-payment-key,x-compute-limit,x-attached-deposit");
        assertThat(preflight.headers().allValues("vary")).containsExactly(VARY);
        for (String absent : List.of(
                "access-control-expose-headers",
                "access-control-max-age",
                "access-control-allow-credentials",
                "access-control-allow-private-network")) {
            assertThat(preflight.headers().firstValue(absent)).as(absent).isEmpty();
        }

        HttpResponse<String> call =
                send("POST", "/call/7", "Origin", "https://wallet.example", "X-Wallet-Id", "ed25519:ab");
        assertThat(call.statusCode())
                .as("a client that is no browser sends it all the same")
                .isEqualTo(200);
        assertThat(allowOrigin(call)).hasValue("*");
        assertThat(call.headers().firstValue("access-control-expose-headers")).isEmpty();
        assertThat(call.headers().firstValue("access-control-allow-credentials"))
                .isEmpty();
    }

    @Test
    void anOptionsRequestWithoutAnOriginIsAPreflightAllTheSame() throws Exception {
        HttpResponse<String> any = send("OPTIONS", "/call/7");
        assertThat(any.statusCode()).isEqualTo(200);
        assertThat(allowOrigin(any)).hasValue("*");

        HttpResponse<String> listed = send("OPTIONS", "/dashboard");
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(allowOrigin(listed))
                .as("a list allows no origin to a request that names none")
                .isEmpty();
        assertThat(listed.headers().allValues("vary")).containsExactly(VARY);
        assertThat(listed.headers().firstValue("access-control-allow-methods")).hasValue("GET,POST,DELETE,OPTIONS");
        assertThat(reached).hasValue(0);
    }

    @Test
    void aListedOriginIsEchoedAndAnyOtherGetsNoAllowOrigin() throws Exception {
        HttpResponse<String> listed = send("GET", "/dashboard", "Origin", DASHBOARD);
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).isEqualTo("read");
        assertThat(allowOrigin(listed)).hasValue(DASHBOARD);
        assertThat(listed.headers().allValues("vary")).containsExactly(VARY);
        assertThat(listed.headers().firstValue("access-control-allow-methods"))
                .as("a preflight's headers only")
                .isEmpty();

        for (String other : List.of("http://evil.example", "http://Dashboard.example", DASHBOARD + "/", "null")) {
            HttpResponse<String> refused = send("GET", "/dashboard", "Origin", other);
            assertThat(refused.statusCode())
                    .as("the route answers; the browser withholds it")
                    .isEqualTo(200);
            assertThat(allowOrigin(refused)).as(other).isEmpty();
            assertThat(refused.headers().allValues("vary")).containsExactly(VARY);
        }
        assertThat(allowOrigin(send("GET", "/dashboard"))).as("no Origin").isEmpty();
    }

    @Test
    void anyOriginIsAStarWithOrWithoutAnOrigin() throws Exception {
        HttpResponse<String> call = send("POST", "/call/7");
        assertThat(call.statusCode()).isEqualTo(200);
        assertThat(allowOrigin(call)).hasValue("*");
        assertThat(call.headers().allValues("vary")).containsExactly(VARY);
    }

    @Test
    void theAllowOriginReplacesTheRoutesAndTheVaryIsAddedToIt() throws Exception {
        HttpResponse<String> read = send("GET", "/dashboard/own-headers", "Origin", DASHBOARD);
        assertThat(read.headers().allValues("access-control-allow-origin")).containsExactly(DASHBOARD);
        assertThat(read.headers().allValues("vary")).containsExactly("accept-encoding", VARY);

        assertThat(send("GET", "/dashboard/own-headers", "Origin", "http://evil.example")
                        .headers()
                        .allValues("access-control-allow-origin"))
                .as("no allow-origin of the layer's: the route's stays, as tower-http leaves it")
                .containsExactly("http://x");
    }

    @Test
    void errorAnswersCarryTheHeadersToo() throws Exception {
        HttpResponse<String> missing = send("GET", "/dashboard/missing", "Origin", DASHBOARD);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("no such job");
        assertThat(allowOrigin(missing)).hasValue(DASHBOARD);
        assertThat(missing.headers().allValues("vary")).containsExactly(VARY);

        HttpResponse<String> wrongMethod = send("DELETE", "/dashboard", "Origin", DASHBOARD);
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(allowOrigin(wrongMethod)).hasValue(DASHBOARD);

        HttpResponse<String> noRoute = send("GET", "/no/such/route", "Origin", DASHBOARD);
        assertThat(noRoute.statusCode()).isEqualTo(404);
        assertThat(allowOrigin(noRoute))
                .as("a path no route matches: the unmatched paths' policy")
                .hasValue("*");
        HttpResponse<String> noRoutePreflight = send("OPTIONS", "/no/such/route", "Origin", DASHBOARD);
        assertThat(noRoutePreflight.statusCode()).isEqualTo(200);
        assertThat(noRoutePreflight.headers().firstValue("access-control-allow-headers"))
                .hasValue("content-type");
    }

    @Test
    void aPreflightIsAnsweredBeforeTheLimiterCountsIt() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(send("OPTIONS", "/call/7", "Origin", "http://anywhere.example")
                            .statusCode())
                    .isEqualTo(200);
        }
        HttpResponse<String> call = send("POST", "/call/7", "Origin", "http://anywhere.example");
        assertThat(call.statusCode())
                .as("the limit is 1: the preflights were not counted")
                .isEqualTo(200);
        assertThat(call.body()).isEqualTo("called");

        HttpResponse<String> limited = send("POST", "/call/7", "Origin", "http://anywhere.example");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(allowOrigin(limited)).hasValue("*");
        assertThat(limited.headers().allValues("vary")).containsExactly(VARY);
        assertThat(reached).hasValue(1);
    }

    @Test
    void aRouteWithoutAPolicyGetsNoHeadersAndItsOwnOptionsAnswer() throws Exception {
        HttpResponse<String> read = send("GET", "/own", "Origin", DASHBOARD);
        assertThat(read.body()).isEqualTo("own");
        assertThat(allowOrigin(read)).isEmpty();
        assertThat(read.headers().firstValue("vary")).isEmpty();

        HttpResponse<String> options = send("OPTIONS", "/own", "Origin", DASHBOARD);
        assertThat(options.statusCode())
                .as("the routes' 405: no preflight here")
                .isEqualTo(405);
        assertThat(allowOrigin(options)).isEmpty();
    }

    @Test
    void allowedOriginsAreReadAsOutLayerReadsCorsAllowedOrigins() {
        assertThat(Cors.allowedOrigins("http://localhost:3000", "--cors")).containsExactly("http://localhost:3000");
        assertThat(Cors.allowedOrigins(" http://a.example ,,http://b.example,  ", "--cors"))
                .containsExactly("http://a.example", "http://b.example");
        assertThat(Cors.allowedOrigins("", "--cors")).isEmpty();
        assertThat(Cors.allowedOrigins("http://a.example,http://bad\u0001.example", "--cors"))
                .as("not a header value: left out, as OutLayer's parse::<HeaderValue>() leaves it")
                .containsExactly("http://a.example");
        assertThatThrownBy(() -> Cors.allowedOrigins("http://a.example, *", "--cors"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--cors cannot hold *");
    }

    /** The answer's {@code access-control-allow-origin}, if it has one. */
    private static Optional<String> allowOrigin(HttpResponse<String> response) {
        return response.headers().firstValue("access-control-allow-origin");
    }

    private HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
