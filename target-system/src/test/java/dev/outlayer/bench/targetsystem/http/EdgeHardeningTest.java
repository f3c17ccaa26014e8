package dev.outlayer.bench.targetsystem.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.TargetOptions;
import dev.outlayer.bench.targetsystem.TargetSystem;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.testing.HangGuard;
import dev.outlayer.bench.targetsystem.throttle.ThrottleFixture;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP edge as a hostile client meets it, on a real target system on free ports and raw
 * sockets: chunked bodies over the limit on every route, unfinished bodies, unknown routes and
 * methods, and the 503 while shutting down; every answer is JSON and the server keeps serving.
 */
class EdgeHardeningTest {
    private static final int LIMIT = 64 * 1024;
    private static final int READ_TIMEOUT_MILLIS = 700;

    @TempDir
    static Path dir;

    private static TargetSystem system;
    private static int coordinator;
    private static int rpc;

    @BeforeAll
    static void start() {
        TargetOptions options = new TargetOptions();
        options.host = "127.0.0.1";
        options.coordinatorPort = 0;
        options.rpcPort = 0;
        options.components = EnumSet.of(TargetOptions.Component.coordinator, TargetOptions.Component.rpc);
        ThrottleFixture throttle = new ThrottleFixture(dir);
        options.tiersFile = throttle.tiers;
        options.apiKeysFile = throttle.keys;
        options.maxBodyBytes = LIMIT;
        options.readTimeoutMillis = READ_TIMEOUT_MILLIS;
        options.shutdownGraceMillis = 2000;
        options.contractsDir = dir.resolve("no-bundled-contracts");
        system = TargetSystem.start(options);
        coordinator = system.coordinatorPort();
        rpc = system.rpcPort();
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    /** Sends a chunked body of {@code total} bytes in 8 KiB chunks and returns the answer (empty if cut off). */
    private static String chunked(int port, String method, String path, int total) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Transfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[8192];
            java.util.Arrays.fill(chunk, (byte) ' ');
            try {
                for (int sent = 0; sent < total; sent += chunk.length) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (SocketException closedWhileSending) {
                // The server answered and closed before the upload ended: the answer is still to be read.
            }
            return readAnswer(socket.getInputStream());
        }
    }

    private static String readAnswer(InputStream in) throws IOException {
        StringBuilder answer = new StringBuilder();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                answer.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                if (answer.indexOf("\r\n\r\n") > 0 && complete(answer.toString())) {
                    break;
                }
            }
        } catch (SocketException reset) {
            // What was read before a reset is the answer.
        }
        return answer.toString();
    }

    private static boolean complete(String answer) {
        int headersEnd = answer.indexOf("\r\n\r\n");
        String headers = answer.substring(0, headersEnd).toLowerCase();
        int at = headers.indexOf("content-length: ");
        if (at < 0) {
            return false;
        }
        int length = Integer.parseInt(headers.substring(at + 16, headers.indexOf('\r', at)));
        return answer.length() - headersEnd - 4 >= length;
    }

    private static JsonNode body(String answer) throws IOException {
        return JsonCodec.MAPPER.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
    }

    private static double tooLargeCount() throws Exception {
        String metrics = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + coordinator + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        return metrics.lines()
                .filter(line -> line.startsWith("outlayer_http_bodies_too_large_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no outlayer_http_bodies_too_large_total in /metrics"));
    }

    @Test
    void chunkedBodiesOverTheLimitGetA413InJsonOnEveryRouteThatReadsOne() throws Exception {
        double before = tooLargeCount();
        String[][] routes = {
            {"POST", "/near-rpc"}, {"POST", "/programs/p/run"}, {"POST", "/contracts/counter.test.near/call"}
        };
        for (String[] route : routes) {
            String answer = chunked(coordinator, route[0], route[1], 4 * LIMIT);
            assertThat(answer).as(route[1]).startsWith("HTTP/1.1 413 ").contains("Connection: close");
            assertThat(body(answer).toString()).as(route[1]).contains("request body is larger than " + LIMIT);
        }
        String emulator = chunked(rpc, "POST", "/", 4 * LIMIT);
        assertThat(emulator).startsWith("HTTP/1.1 413 ");
        assertThat(body(emulator).get("status").asInt()).isEqualTo(413);

        assertThat(tooLargeCount()).isGreaterThanOrEqualTo(before + routes.length);
        // Within the limit, chunked is fine.
        String small = chunked(coordinator, "POST", "/near-rpc", 8192);
        assertThat(small).startsWith("HTTP/1.1 400 ");
        assertThat(body(small).at("/error/code").asInt()).isEqualTo(-32700);
    }

    @Test
    void aBodyNobodyReadsIsNotDrainedAndTheAnswerIsJson() throws Exception {
        String unknown = chunked(coordinator, "POST", "/no/such/route", 16 * LIMIT);
        assertThat(unknown).startsWith("HTTP/1.1 404 ").contains("Connection: close");
        assertThat(body(unknown).get("error").asText()).isEqualTo("no route for POST /no/such/route");

        String wrongMethod = chunked(coordinator, "DELETE", "/near-rpc", 16 * LIMIT);
        assertThat(wrongMethod).startsWith("HTTP/1.1 405 ");
        assertThat(body(wrongMethod).get("status").asInt()).isEqualTo(405);

        String health = chunked(coordinator, "GET", "/health", 16 * LIMIT);
        assertThat(health).startsWith("HTTP/1.1 200 ");
        assertThat(body(health).get("status").asText()).isEqualTo("ok");
    }

    @Test
    void requestsUndertowCannotParseGetA400WithAJsonBody() throws Exception {
        String[] unparseable = {
            "GET /health HTTP/1.1\r\nHost: x\r\nBad Header Name: y\r\n\r\n",
            "GET /he\u0001alth HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        };
        for (int port : new int[] {coordinator, rpc}) {
            for (String request : unparseable) {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.setSoTimeout(10_000);
                    socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                    String answer = readAnswer(socket.getInputStream());
                    assertThat(answer).as(request).startsWith("HTTP/1.1 400 ").contains("Connection: close");
                    assertThat(answer).as(request).contains("Content-Type: application/json");
                    assertThat(body(answer).get("status").asInt()).as(request).isEqualTo(400);
                    assertThat(body(answer).get("error").asText()).contains("could not be parsed");
                }
            }
        }
        // And the server still serves, on a connection of its own.
        assertThat(chunked(coordinator, "GET", "/health", 0)).startsWith("HTTP/1.1 200 ");
    }

    @Test
    void aHostHeaderUndertowRefusesGetsA400WithAJsonBodySayingWhy() throws Exception {
        // Undertow's HostHeaderHandler, which it puts in front of every root handler, refuses these with a
        // bodiless 400 whose reason phrase says why.
        String[][] refused = {
            {"GET /health HTTP/1.1\r\nHost: bad host\r\n\r\n", "Host Header Bad Characters"},
            {"GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "Only One Host Header Allowed"},
            {"GET /health HTTP/1.1\r\nHost: x:9z\r\n\r\n", "Host Header Malformed Port"},
            {"GET /health HTTP/1.1\r\n\r\n", "No Host Header"},
            {"GET http://a.example/health HTTP/1.1\r\nHost: b.example\r\n\r\n", "URI Host Header NO MATCH"},
        };
        for (int port : new int[] {coordinator, rpc}) {
            for (String[] request : refused) {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.setSoTimeout(10_000);
                    socket.getOutputStream().write(request[0].getBytes(StandardCharsets.ISO_8859_1));
                    String answer = readAnswer(socket.getInputStream());
                    assertThat(answer)
                            .as(request[0])
                            .startsWith("HTTP/1.1 400 ")
                            .contains("Connection: close");
                    assertThat(answer).as(request[0]).contains("Content-Type: application/json");
                    assertThat(body(answer).get("status").asInt())
                            .as(request[0])
                            .isEqualTo(400);
                    assertThat(body(answer).get("error").asText())
                            .as(request[0])
                            .isEqualTo("the Host header was refused: " + request[1]);
                }
            }
        }
        assertThat(chunked(coordinator, "GET", "/health", 0)).startsWith("HTTP/1.1 200 ");
    }

    @Test
    void anUnfinishedChunkedBodyIsNotHeldForever() throws Exception {
        for (int port : new int[] {coordinator, rpc}) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                // The hang guard: held forever, the read below fails with a SocketTimeoutException.
                socket.setSoTimeout((int) HangGuard.BOUND.toMillis());
                long start = System.nanoTime();
                socket.getOutputStream()
                        .write(("POST /near-rpc HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":")
                                .getBytes(StandardCharsets.US_ASCII));
                String answer = readAnswer(socket.getInputStream());
                long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                // A 408 (not XNIO's backstop closing the socket without a word, at twice the read
                // timeout), and no sooner than the read timeout: the server waited for the bytes.
                assertThat(answer).startsWith("HTTP/1.1 408 ").contains("Connection: close");
                assertThat(waitedMillis).isGreaterThanOrEqualTo(READ_TIMEOUT_MILLIS);
                assertThat(body(answer).toString()).contains("did not arrive within the read timeout");
            }
        }
        // And the server still serves.
        assertThat(chunked(coordinator, "GET", "/health", 0)).startsWith("HTTP/1.1 200 ");
    }

    @Test
    void everyResponseCarriesServerTimingAndOneWithoutFinerPhasesReportsItsTotal() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        String total = "total;dur=\\d+\\.\\d{3}";
        for (String route : new String[] {"/health", "/metrics", "/no-such-route"}) {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + coordinator + route))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.headers().firstValue("Server-Timing"))
                    .as("coordinator %s (%d)", route, response.statusCode())
                    .hasValueSatisfying(value -> assertThat(value).matches(total));
        }
        HttpResponse<String> wrongMethod = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + coordinator + "/health"))
                        .DELETE()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Server-Timing"))
                .hasValueSatisfying(v -> assertThat(v).matches(total));
        HttpResponse<String> nodeStatus = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rpc + "/status"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(nodeStatus.statusCode()).isEqualTo(200);
        assertThat(nodeStatus.headers().firstValue("Server-Timing")).isPresent();
        // A route that times its own phases reports those, and no total beside them (clients add the phases up).
        HttpResponse<String> proxied = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + coordinator + "/near-rpc"))
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\",\"params\":[]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(proxied.statusCode()).isEqualTo(200);
        assertThat(proxied.headers().firstValue("Server-Timing"))
                .hasValueSatisfying(
                        value -> assertThat(value).contains("throttle;dur=").doesNotContain("total"));
    }

    @Test
    void theShutdown503HasAJsonBody() throws Exception {
        CountDownLatch inFlight = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HttpServer server = HttpServer.start(
                "shutdown-test",
                "127.0.0.1",
                0,
                exchange -> exchange.dispatch(() -> {
                    inFlight.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    exchange.getResponseSender().send(ByteBuffer.wrap("{}".getBytes(StandardCharsets.UTF_8)));
                }),
                5000);
        HttpClient client = HttpClient.newHttpClient();
        URI uri = URI.create(server.url() + "/");
        CompletableFuture<HttpResponse<String>> held =
                client.sendAsync(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(inFlight.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
        try {
            HttpResponse<String> refused = null;
            for (int i = 0; i < 100 && refused == null; i++) {
                HttpResponse<String> response = HttpClient.newHttpClient()
                        .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 503) {
                    refused = response;
                } else {
                    Thread.sleep(20);
                }
            }
            assertThat(refused).as("a 503 while shutting down").isNotNull();
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/json");
            JsonNode error = JsonCodec.MAPPER.readTree(refused.body());
            assertThat(error.get("status").asInt()).isEqualTo(503);
            assertThat(error.get("error").asText()).contains("shutting down");
        } finally {
            release.countDown();
        }
        assertThat(held.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        closing.get(10, TimeUnit.SECONDS);
    }
}
