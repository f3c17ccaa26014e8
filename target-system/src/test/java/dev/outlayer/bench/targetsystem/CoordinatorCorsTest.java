package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * OutLayer's three CORS layers on a running coordinator (its main.rs): the HTTPS API and the public
 * storage reads for any origin with their own headers, every other route of OutLayer's for the origins
 * of {@code --cors-allowed-origins} only, a path no route has under the public storage layer, and the
 * stand-in's own routes under none.
 */
class CoordinatorCorsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String DASHBOARD = "http://dashboard.test";
    private static final String STRANGER = "http://stranger.example";
    private static final String HTTPS_API_HEADERS = "content-type,x-payment-key,x-compute-limit,x-attached-deposit";
    private static final String RESTRICTED_HEADERS =
            "content-type,authorization,x-payment-key,x-compute-limit,x-attached-deposit";
    /** Each request names an address of its own unless it says which, so the per-address limits stay apart. */
    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    private static TargetSystem system;

    @BeforeAll
    static void start() {
        TargetOptions options = LifecycleClient.options(0);
        options.corsAllowedOrigins = " " + DASHBOARD + " ,http://localhost:3000,";
        options.httpsRatePerMinute = 3;
        system = TargetSystem.start(options);
    }

    @AfterAll
    static void stop() {
        system.close();
    }

    @Test
    void theHttpsApiAnswersAPreflightFromAnyOriginForItsHeaders() throws Exception {
        for (String path : List.of(
                "/call/alice.test.near/agent", "/alice.test.near/agent", "/calls/c-1", "/payment-keys/balance")) {
            HttpResponse<String> preflight = send(
                    "OPTIONS",
                    path,
                    "Origin",
                    STRANGER,
                    "Access-Control-Request-Method",
                    "POST",
                    "Access-Control-Request-Headers",
                    "content-type,x-payment-key,x-wallet-id");
            assertThat(preflight.statusCode()).as(path).isEqualTo(200);
            assertThat(preflight.body()).isEmpty();
            assertThat(allowOrigin(preflight)).as(path).hasValue("*");
            assertThat(preflight.headers().firstValue("access-control-allow-methods"))
                    .hasValue("GET,POST,OPTIONS");
            assertThat(preflight.headers().firstValue("access-control-allow-headers"))
                    .as("OutLayer's four, without the x-wallet-id asked for")
                    .hasValue(HTTPS_API_HEADERS);
            assertThat(preflight.headers().firstValue("access-control-max-age")).isEmpty();
            assertThat(preflight.headers().firstValue("access-control-expose-headers"))
                    .isEmpty();
        }
        HttpResponse<String> refused = send("POST", "/call/alice.test.near/agent", "Origin", STRANGER);
        assertThat(refused.statusCode())
                .as("no Content-Type: axum's Json refusal")
                .isEqualTo(415);
        assertThat(allowOrigin(refused))
                .as("an error answer carries the layer's headers")
                .hasValue("*");
    }

    @Test
    void thePublicStorageReadsAnswerAnyOriginForContentTypeOnly() throws Exception {
        HttpResponse<String> preflight =
                send("OPTIONS", "/public/storage/batch", "Origin", STRANGER, "Access-Control-Request-Method", "POST");
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(allowOrigin(preflight)).hasValue("*");
        assertThat(preflight.headers().firstValue("access-control-allow-headers"))
                .hasValue("content-type");

        HttpResponse<String> read = send("GET", "/public/storage/get", "Origin", STRANGER);
        assertThat(read.statusCode()).as("no project named").isEqualTo(400);
        assertThat(allowOrigin(read)).hasValue("*");
    }

    @Test
    void otherOutLayerRoutesAnswerOnlyTheListedOrigins() throws Exception {
        HttpResponse<String> stranger =
                send("OPTIONS", "/public/jobs", "Origin", STRANGER, "Access-Control-Request-Method", "GET");
        assertThat(stranger.statusCode()).isEqualTo(200);
        assertThat(allowOrigin(stranger)).as("an origin not in the list").isEmpty();
        assertThat(stranger.headers().firstValue("access-control-allow-methods"))
                .hasValue("GET,POST,DELETE,OPTIONS");
        assertThat(stranger.headers().firstValue("access-control-allow-headers"))
                .hasValue(RESTRICTED_HEADERS);

        for (String listed : List.of(DASHBOARD, "http://localhost:3000")) {
            HttpResponse<String> preflight =
                    send("OPTIONS", "/public/jobs", "Origin", listed, "Access-Control-Request-Method", "GET");
            assertThat(allowOrigin(preflight)).hasValue(listed);
        }
        HttpResponse<String> jobs = send("GET", "/public/jobs", "Origin", DASHBOARD);
        assertThat(jobs.statusCode()).isEqualTo(200);
        assertThat(allowOrigin(jobs)).hasValue(DASHBOARD);
        assertThat(allowOrigin(send("GET", "/public/jobs", "Origin", STRANGER))).isEmpty();

        // the workers' routes: the preflight is answered before the token is looked at; the 401 carries the headers
        HttpResponse<String> claimPreflight =
                send("OPTIONS", "/jobs/claim", "Origin", DASHBOARD, "Access-Control-Request-Headers", "authorization");
        assertThat(claimPreflight.statusCode()).isEqualTo(200);
        assertThat(allowOrigin(claimPreflight)).hasValue(DASHBOARD);
        HttpResponse<String> claim = send("POST", "/jobs/claim", "Origin", DASHBOARD);
        assertThat(claim.statusCode()).isEqualTo(401);
        assertThat(allowOrigin(claim)).hasValue(DASHBOARD);
        assertThat(allowOrigin(send("GET", "/health", "Origin", DASHBOARD))).hasValue(DASHBOARD);
    }

    @Test
    void aPathNoRouteHasGetsThePublicStorageLayerAsOutLayersFallbackDoes() throws Exception {
        HttpResponse<String> missing = send("GET", "/no/such/route", "Origin", STRANGER);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(allowOrigin(missing)).hasValue("*");
        HttpResponse<String> preflight = send("OPTIONS", "/no/such/route", "Origin", STRANGER);
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("access-control-allow-headers"))
                .hasValue("content-type");
    }

    @Test
    void theStandInsOwnRoutesHaveNoCorsLayer() throws Exception {
        for (String path : List.of("/near-rpc", "/metrics", "/contracts/alice.test.near", "/programs/echo")) {
            HttpResponse<String> options = send("OPTIONS", path, "Origin", DASHBOARD);
            assertThat(options.statusCode())
                    .as(path + ": the routes' 405, no preflight")
                    .isEqualTo(405);
            assertThat(allowOrigin(options)).as(path).isEmpty();
        }
        HttpResponse<String> metrics = send("GET", "/metrics", "Origin", DASHBOARD);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(allowOrigin(metrics)).isEmpty();
        assertThat(metrics.headers().firstValue("vary")).isEmpty();
    }

    @Test
    void preflightsAreNotCountedByTheHttpsApisPerAddressLimit() throws Exception {
        String address = "203.0.113.77";
        for (int i = 0; i < 5; i++) {
            assertThat(send("OPTIONS", "/calls/c-1", "Origin", STRANGER, "X-Forwarded-For", address)
                            .statusCode())
                    .isEqualTo(200);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(send("GET", "/calls/c-1", "Origin", STRANGER, "X-Forwarded-For", address)
                            .statusCode())
                    .as("request %d of the limit of 3: five preflights were not counted", i + 1)
                    .isEqualTo(401);
        }
        HttpResponse<String> limited = send("GET", "/calls/c-1", "Origin", STRANGER, "X-Forwarded-For", address);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(allowOrigin(limited)).hasValue("*");
    }

    @Test
    void theFlagDefaultsToOutLayersOriginAndRefusesTheWildcard() {
        TargetOptions options = new TargetOptions();
        new CommandLine(options).parseArgs();
        assertThat(options.corsAllowedOrigins).isEqualTo("http://localhost:3000");

        TargetOptions wildcard = LifecycleClient.options(0);
        wildcard.corsAllowedOrigins = "http://localhost:3000,*";
        assertThatThrownBy(() -> TargetSystem.start(wildcard).close())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--cors-allowed-origins cannot hold *");
    }

    /** The answer's {@code access-control-allow-origin}, if it has one. */
    private static Optional<String> allowOrigin(HttpResponse<String> response) {
        return response.headers().firstValue("access-control-allow-origin");
    }

    private static HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(system.coordinatorUrl() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        boolean addressed = false;
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
            addressed |= headers[i].equals("X-Forwarded-For");
        }
        if (!addressed) {
            request.header("X-Forwarded-For", "198.51.100." + ADDRESSES.incrementAndGet() % 250);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
