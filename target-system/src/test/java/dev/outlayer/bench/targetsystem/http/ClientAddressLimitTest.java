package dev.outlayer.bench.targetsystem.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OutLayer's per-address limiter as the coordinator's route groups use it, on a real server and a clock
 * the test moves: a fixed window from an address's first request, OutLayer's addresses and its 429.
 */
class ClientAddressLimitTest {
    private static final int LIMIT = 3;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final AtomicInteger reached = new AtomicInteger();
    private HttpServer server;

    @BeforeEach
    void start() {
        ClientAddressLimit limit = ClientAddressLimit.perMinute(LIMIT, "--test-rate", clock::get);
        server = HttpServer.start(
                "limit-test",
                "127.0.0.1",
                0,
                limit.guard(exchange -> {
                    reached.incrementAndGet();
                    Responses.text(exchange, 200, "ok");
                }),
                1000);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void anAddressGetsItsLimitAMinuteFromItsFirstRequestThenOutLayers429() throws Exception {
        for (int i = 0; i < LIMIT; i++) {
            assertThat(get("X-Forwarded-For", "203.0.113.1").statusCode()).isEqualTo(200);
        }
        HttpResponse<String> limited = get("X-Forwarded-For", "203.0.113.1");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.body()).isEqualTo("Rate limit exceeded: 3 requests/minute allowed. Try again later.");
        assertThat(limited.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(limited.headers().firstValue("Retry-After")).isEmpty();
        assertThat(reached).as("the refused request did not reach the route").hasValue(LIMIT);

        clock.addAndGet(TimeUnit.SECONDS.toNanos(59));
        assertThat(get("X-Forwarded-For", "203.0.113.1").statusCode())
                .as("59 s after the first request: the same window")
                .isEqualTo(429);
        clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertThat(get("X-Forwarded-For", "203.0.113.1").statusCode())
                .as("60 s after: a new window")
                .isEqualTo(200);
    }

    @Test
    void theAddressIsTheFirstForwardedEntryElseXRealIpElseUnknown() throws Exception {
        for (int i = 0; i < LIMIT; i++) {
            assertThat(get("X-Forwarded-For", "198.51.100.7, 10.0.0.1").statusCode())
                    .isEqualTo(200);
        }
        // the proxy's entry (10.0.0.1) is not what is counted: the first entry is
        assertThat(get("X-Forwarded-For", "198.51.100.7").statusCode()).isEqualTo(429);
        assertThat(get("X-Forwarded-For", "10.0.0.1").statusCode()).isEqualTo(200);
        // X-Forwarded-For wins over X-Real-IP; X-Real-IP alone names the address
        assertThat(get("X-Real-IP", "198.51.100.7").statusCode()).isEqualTo(429);
        assertThat(get("X-Real-IP", " 198.51.100.8 ").statusCode()).isEqualTo(200);
        // neither: OutLayer's server has no connection address, so every such client is "unknown"
        for (int i = 0; i < LIMIT; i++) {
            assertThat(get().statusCode()).isEqualTo(200);
        }
        assertThat(get().statusCode()).isEqualTo(429);
        assertThat(get("X-Real-IP", "unknown").statusCode())
                .as("the one window of every request that names no address")
                .isEqualTo(429);
        assertThat(get("X-Real-IP", "127.0.0.1").statusCode())
                .as("the connection's address is not the key")
                .isEqualTo(200);
    }

    @Test
    void aHeaderThatIsNotVisibleAsciiIsPassedOverAsOutLayersToStrPassesItOver() throws Exception {
        for (int i = 0; i < LIMIT; i++) {
            assertThat(get("X-Real-IP", "198.51.100.9").statusCode()).isEqualTo(200);
        }
        // a byte past ASCII in X-Forwarded-For (é in UTF-8; Java's client would send '?'): OutLayer's to_str() fails,
        // and X-Real-IP names the address
        assertThat(rawGet("X-Forwarded-For: 203.0.113.\u00c3\u00a9\r\nX-Real-IP: 198.51.100.9\r\n"))
                .isEqualTo(429);
        assertThat(rawGet("X-Forwarded-For: 203.0.113.\u00c3\u00a9\r\n"))
                .as("and without X-Real-IP: unknown, a window of its own here")
                .isEqualTo(200);
        assertThat(reached).hasValue(LIMIT + 1);
        // a tab is visible enough for to_str(), and trimmed
        for (int i = 0; i < LIMIT - 1; i++) {
            assertThat(get("X-Forwarded-For", "\t198.51.100.10\t, 10.0.0.1").statusCode())
                    .isEqualTo(200);
        }
        assertThat(get("X-Forwarded-For", "198.51.100.10").statusCode()).isEqualTo(200);
        assertThat(get("X-Forwarded-For", "198.51.100.10").statusCode()).isEqualTo(429);
    }

    @Test
    void anotherAddressKeepsItsOwnWindowWhileOneIsRefused() throws Exception {
        for (int i = 0; i < LIMIT; i++) {
            assertThat(get("X-Forwarded-For", "203.0.113.5").statusCode()).isEqualTo(200);
        }
        assertThat(get("X-Forwarded-For", "203.0.113.5").statusCode()).isEqualTo(429);
        for (int i = 0; i < LIMIT; i++) {
            assertThat(get("X-Forwarded-For", "203.0.113.6").statusCode()).isEqualTo(200);
        }
        assertThat(reached).hasValue(2 * LIMIT);
    }

    @Test
    void aClientNamingANewAddressEachTimeIsNeverLimitedAsInOutLayer() throws Exception {
        for (int i = 0; i < 4 * LIMIT; i++) {
            assertThat(get("X-Forwarded-For", "192.0.2." + i).statusCode()).isEqualTo(200);
        }
        assertThat(reached).hasValue(4 * LIMIT);
    }

    @Test
    void zeroMeansNoLimitAndANegativeLimitIsRefused() throws Exception {
        ClientAddressLimit none = ClientAddressLimit.perMinute(0, "--test-rate", clock::get);
        var route = (io.undertow.server.HttpHandler) exchange -> {};
        assertThat(none.guard(route)).isSameAs(route);
        assertThatThrownBy(() -> ClientAddressLimit.perMinute(-1, "--test-rate"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--test-rate must be 0 (no limit) or more, got -1");
    }

    /** The status of a GET whose header lines ({@code headerLines}, CRLF-ended) are sent byte for byte as ISO-8859-1. */
    private int rawGet(String headerLines) throws Exception {
        URI uri = URI.create(server.url());
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.getOutputStream()
                    .write(("GET /anything HTTP/1.1\r\nHost: limit-test\r\n" + headerLines
                                    + "Connection: close\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            return Integer.parseInt(answer.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3));
        }
    }

    private HttpResponse<String> get(String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + "/anything"));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
