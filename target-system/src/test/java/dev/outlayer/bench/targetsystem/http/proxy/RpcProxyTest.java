package dev.outlayer.bench.targetsystem.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.TargetOptions;
import dev.outlayer.bench.targetsystem.TargetSystem;
import dev.outlayer.bench.targetsystem.http.HttpServer;
import dev.outlayer.bench.targetsystem.json.JsonRpcIdArbitraries;
import dev.outlayer.bench.targetsystem.throttle.ThrottleFixture;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RpcProxyTest {
    @TempDir
    Path dir;

    private TargetSystem system;

    @AfterEach
    void stop() {
        if (system != null) {
            system.close();
        }
    }

    private RpcClient start(String upstream, long upstreamTimeoutMillis) {
        ThrottleFixture fixture = new ThrottleFixture(dir);
        TargetOptions options = new TargetOptions();
        options.host = "127.0.0.1";
        options.coordinatorPort = 0;
        options.rpcPort = 0;
        options.components = upstream == null
                ? EnumSet.of(TargetOptions.Component.coordinator, TargetOptions.Component.rpc)
                : EnumSet.of(TargetOptions.Component.coordinator);
        options.upstreamRpc = upstream == null ? "" : upstream;
        options.upstreamTimeoutMillis = upstreamTimeoutMillis;
        options.tiersFile = fixture.tiers;
        options.apiKeysFile = fixture.keys;
        options.maxBodyBytes = 4096;
        options.shutdownGraceMillis = 5000;
        system = TargetSystem.start(options);
        return new RpcClient(system.coordinatorUrl());
    }

    @Test
    void proxiesToTheEmulatorWithRateLimitHeadersAndServerTiming() throws Exception {
        RpcClient client = start(null, 5000);
        HttpResponse<String> response = client.post(RpcClient.STATUS);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = RpcClient.json(response);
        assertThat(body.path("id").asText()).isEqualTo("t");
        assertThat(body.path("result")
                        .path("sync_info")
                        .path("latest_block_height")
                        .asLong())
                .isPositive();
        assertThat(response.headers().firstValue("RateLimit-Policy")).hasValue("\"anonymous\";q=10;w=2");
        assertThat(response.headers().firstValue("RateLimit"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("\"anonymous\";r=9;t="));
        assertThat(response.headers().firstValue("X-RateLimit-Limit")).hasValue("10");
        assertThat(response.headers().firstValue("X-RateLimit-Remaining")).hasValue("9");
        assertThat(response.headers().firstValue("Server-Timing"))
                .hasValueSatisfying(
                        v -> assertThat(v).matches(".*throttle;dur=\\d+\\.\\d{3}.*upstream;dur=\\d+\\.\\d{3}.*"));

        HttpResponse<String> numericId =
                client.post("{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":\"status\"}", "Authorization", "Bearer key-a");
        assertThat(RpcClient.json(numericId).path("id").asInt()).isEqualTo(42);
        assertThat(numericId.headers().firstValue("RateLimit-Policy")).hasValue("\"standard\";q=40;w=2");
    }

    @Test
    void rejectsOverTheBurstWith429RetryAfterAndAJsonRpcError() throws Exception {
        RpcClient client = start(null, 5000);
        // burst 10 at 1 rps: at least the burst passes; a slow machine may earn a refill or two.
        long started = System.nanoTime();
        int admitted = 0;
        HttpResponse<String> rejected = null;
        while (rejected == null && admitted < 30) {
            HttpResponse<String> response =
                    client.post("{\"jsonrpc\":\"2.0\",\"id\":\"r\",\"method\":\"status\"}", "X-API-Key", "key-steady");
            if (response.statusCode() == 200) {
                admitted++;
            } else {
                rejected = response;
            }
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        assertThat(admitted).isBetween(10, 10 + (int) Math.ceil(elapsed) + 1);
        assertThat(rejected).isNotNull();
        assertThat(rejected.statusCode()).isEqualTo(429);
        assertThat(rejected.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(rejected.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
        JsonNode error = RpcClient.json(rejected);
        assertThat(error.path("id").asText()).isEqualTo("r");
        assertThat(error.path("error").path("code").asInt()).isEqualTo(-32005);
        assertThat(error.path("error").path("data").path("tier").asText()).isEqualTo("steady");
        assertThat(error.path("error").path("data").path("reason").asText()).isEqualTo("rate");
        assertThat(error.path("error").path("data").path("retry_after_ms").asLong())
                .isBetween(1L, 1000L);
    }

    @Test
    void aBodyThatIsNotJsonIsAnsweredInSerdeJsonsWordsNotJacksons() throws Exception {
        RpcClient client = start(null, 5000);
        byte[] invalidUtf8 =
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1);
        List<Object[]> cases = List.of(
                new Object[] {"{".getBytes(StandardCharsets.UTF_8), "EOF while parsing an object at line 1 column 1"},
                new Object[] {"NaN".getBytes(StandardCharsets.UTF_8), "expected value at line 1 column 1"},
                new Object[] {"[1,".getBytes(StandardCharsets.UTF_8), "EOF while parsing a value at line 1 column 3"},
                new Object[] {invalidUtf8, "invalid unicode code point at line 1 column 36"});
        for (Object[] sent : cases) {
            HttpResponse<String> response = client.post((byte[]) sent[0], "X-API-Key", "key-wide");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            JsonNode error = RpcClient.json(response).path("error");
            assertThat(error.path("code").asInt()).isEqualTo(-32700);
            assertThat(error.path("message").asText()).isEqualTo("Parse error: " + sent[1]);
            assertThat(response.body()).doesNotContainPattern(JsonRpcIdArbitraries.JAVA_WORDS);
        }
    }

    /**
     * The proxy forwards what the node judges: a body nested past serde_json's recursion limit (the target
     * system's own parsing stops at 127 levels) reaches the upstream, whose refusal comes back in its words.
     */
    @Test
    void nestingPastSerdesLimitIsForwardedForTheUpstreamToJudge() throws Exception {
        RpcClient client = start(null, 5000);
        String head = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\",\"params\":";
        HttpResponse<String> response =
                client.post(head + "[".repeat(200) + "]".repeat(200) + "}", "X-API-Key", "key-wide");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(RpcClient.json(response).path("error").path("data").asText())
                .as("the emulator's (nearcore's) answer, not the proxy's own")
                .isEqualTo("recursion limit exceeded at line 1 column " + (head.length() + 127));
    }

    @Test
    void everyErrorStatusHasAClearJsonBody() throws Exception {
        RpcClient client = start(null, 5000);
        HttpResponse<String> unknown = client.post(RpcClient.STATUS, "Authorization", "Bearer nope");
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(RpcClient.json(unknown).path("error").path("message").asText())
                .contains("Unknown API key");
        HttpResponse<String> queryKey =
                new RpcClient(system.coordinatorUrl()).post(RpcClient.STATUS, "X-API-Key", "also-bad");
        assertThat(queryKey.statusCode()).isEqualTo(401);

        HttpResponse<String> garbage = client.post("{not json", "X-API-Key", "key-wide");
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(RpcClient.json(garbage).path("error").path("code").asInt()).isEqualTo(-32700);

        for (String invalid : List.of(
                "[1,2]",
                "\"text\"",
                "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"status\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":1}",
                "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"status\"}")) {
            HttpResponse<String> response = client.post(invalid, "X-API-Key", "key-wide");
            assertThat(response.statusCode()).as(invalid).isEqualTo(400);
            assertThat(RpcClient.json(response).path("error").path("code").asInt())
                    .as(invalid)
                    .isEqualTo(-32600);
        }

        HttpResponse<String> tooBig = client.post(
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\",\"params\":[\"" + "x".repeat(5000) + "\"]}",
                "X-API-Key",
                "key-wide");
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(RpcClient.json(tooBig).path("error").path("message").asText())
                .contains("4096");
        assertThat(RpcClient.json(tooBig).path("error").path("code").asInt()).isEqualTo(-32600);
        assertThat(RpcClient.json(tooBig).path("id").isNull()).isTrue();

        // After all that, the service still serves.
        assertThat(client.post(RpcClient.STATUS, "X-API-Key", "key-wide").statusCode())
                .isEqualTo(200);
    }

    @Test
    void aChunkedBodyOverTheLimitIs413AsAJsonRpcError() throws Exception {
        start(null, 5000);
        byte[] body = ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\",\"params\":[\"" + "x".repeat(5000) + "\"]}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        // No length known up front: the client sends the body chunked.
        HttpResponse<String> tooBig = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(system.coordinatorUrl() + "/near-rpc"))
                                .header("X-API-Key", "key-wide")
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                                        () -> new java.io.ByteArrayInputStream(body)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(tooBig.statusCode()).as(tooBig.body()).isEqualTo(413);
        JsonNode error = RpcClient.json(tooBig);
        assertThat(error.path("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(error.path("error").path("code").asInt()).isEqualTo(-32600);
        assertThat(error.path("error").path("message").asText()).isEqualTo("request body is larger than 4096 bytes");
    }

    @Test
    void forwardsTheBodyAndAnyAnswerButNotTheCallersCredentials() throws Exception {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        String pad = "x".repeat(100_000); // far past one pooled buffer (16 KiB)
        try (HttpServer upstream = HttpServer.start(
                "recording-upstream",
                "127.0.0.1",
                0,
                exchange -> exchange.getRequestReceiver().receiveFullString((ex, body) -> {
                    var headers = ex.getRequestHeaders();
                    seen.add(ex.getRequestPath() + " " + headers.getFirst("Host") + " key="
                            + headers.getFirst("X-API-Key") + " auth=" + headers.getFirst("Authorization")
                            + " type=" + headers.getFirst("Content-Type") + " " + body);
                    ex.getResponseHeaders().put(HttpString.tryFromString("X-Upstream"), "yes");
                    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
                    String answer = "{\"jsonrpc\":\"2.0\",\"id\":\"t\",\"result\":\"" + pad + "\"}";
                    if (body.contains("chunked")) {
                        // No Content-Length: Undertow frames a streamed answer in chunks.
                        ex.dispatch(() -> {
                            ex.startBlocking();
                            try (var out = ex.getOutputStream()) {
                                out.write(answer.getBytes(StandardCharsets.UTF_8));
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        });
                    } else {
                        ex.getResponseSender().send(answer);
                    }
                }),
                100)) {
            RpcClient client = start(upstream.url() + "/rpc", 5000);
            for (String method : List.of("fixed", "chunked", "fixed")) {
                String request = "{\"jsonrpc\":\"2.0\",\"id\":\"t\",\"method\":\"" + method + "\"}";
                HttpResponse<String> response =
                        client.post(request, "Authorization", "Bearer key-a", "Content-Type", "application/json");
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(RpcClient.json(response).path("result").asText()).isEqualTo(pad);
                assertThat(response.headers().firstValue("X-Upstream")).hasValue("yes");
                assertThat(response.headers().firstValue("RateLimit-Policy")).hasValue("\"standard\";q=40;w=2");
                assertThat(seen.get(seen.size() - 1))
                        .isEqualTo("/rpc " + upstream.url().substring("http://".length())
                                + " key=null auth=null type=application/json " + request);
            }
            assertThat(seen).hasSize(3);
        }
    }

    /**
     * The caller's connection keeps its reads armed while its call is upstream (UpstreamProxy):
     * a request pipelined behind it then, or the caller going away, must still be handled as
     * Undertow handles them.
     */
    @Test
    void aRequestPipelinedWhileTheFirstIsUpstreamIsAnsweredInOrder() throws Exception {
        try (HttpServer upstream = HttpServer.start(
                "slow-echo-upstream",
                "127.0.0.1",
                0,
                exchange -> exchange.getRequestReceiver()
                        .receiveFullString((ex, body) -> ex.dispatch(slow -> {
                            Thread.sleep(300);
                            slow.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
                            slow.getResponseSender().send(body);
                        })),
                100)) {
            RpcClient client = start(upstream.url(), 5000);
            URI coordinator = URI.create(system.coordinatorUrl());
            try (Socket socket = new Socket(coordinator.getHost(), coordinator.getPort())) {
                socket.setSoTimeout(5000);
                OutputStream out = socket.getOutputStream();
                out.write(rawPost(coordinator, "first"));
                out.flush();
                Thread.sleep(100); // the first is upstream now
                out.write(rawPost(coordinator, "second"));
                out.flush();
                InputStream in = socket.getInputStream();
                assertThat(readAnswer(in)).startsWith("HTTP/1.1 200").contains("\"id\":\"first\"");
                assertThat(readAnswer(in)).startsWith("HTTP/1.1 200").contains("\"id\":\"second\"");
                out.write(rawPost(coordinator, "third"));
                out.flush();
                assertThat(readAnswer(in)).startsWith("HTTP/1.1 200").contains("\"id\":\"third\"");
            }
            // A caller that leaves while its call is upstream: the coordinator goes on serving.
            try (Socket socket = new Socket(coordinator.getHost(), coordinator.getPort())) {
                socket.getOutputStream().write(rawPost(coordinator, "gone"));
                socket.getOutputStream().flush();
                Thread.sleep(50);
            }
            HttpResponse<String> after = client.post("{\"jsonrpc\":\"2.0\",\"id\":\"after\",\"method\":\"status\"}");
            assertThat(after.statusCode()).isEqualTo(200);
            assertThat(RpcClient.json(after).path("id").asText()).isEqualTo("after");
        }
    }

    private static byte[] rawPost(URI coordinator, String id) {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"method\":\"status\"}";
        return ("POST /near-rpc HTTP/1.1\r\nHost: " + coordinator.getAuthority()
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** One HTTP/1.1 answer framed by Content-Length: "status line | body". */
    private static String readAnswer(InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b)
                    .as("the connection ended before an answer's headers did")
                    .isNotNegative();
            head.append((char) b);
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)\r\nContent-Length: (\\d+)\r\n")
                .matcher(head);
        assertThat(length.find()).as("Content-Length in %s", head).isTrue();
        byte[] body = in.readNBytes(Integer.parseInt(length.group(1)));
        return head.substring(0, head.indexOf("\r\n")) + " | " + new String(body, StandardCharsets.UTF_8);
    }

    @Test
    void upstreamUnreachableIs502() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        RpcClient client = start("http://127.0.0.1:" + closedPort, 2000);
        HttpResponse<String> response = client.post(RpcClient.STATUS);
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(RpcClient.json(response).path("error").path("message").asText())
                .isEqualTo("Upstream unreachable");
        assertThat(RpcClient.json(response).path("id").asText()).isEqualTo("t");
        assertThat(RpcClient.json(response).path("error").path("code").asInt()).isEqualTo(-32000);
        assertThat(RpcClient.json(response)
                        .path("error")
                        .path("data")
                        .path("upstream")
                        .asText())
                .isEqualTo("http://127.0.0.1:" + closedPort);
    }

    @Test
    void upstreamTimeoutIs504AndFreesTheSlot() throws Exception {
        try (SlowUpstream upstream = new SlowUpstream()) {
            RpcClient client = start(upstream.url(), 300);
            HttpResponse<String> response = client.post(RpcClient.STATUS);
            assertThat(response.statusCode()).isEqualTo(504);
            assertThat(RpcClient.json(response).path("error").path("message").asText())
                    .isEqualTo("Upstream timed out");
            assertThat(system.coordinatorUrl()).isNotNull();
            assertThat(inFlight("anonymous")).isZero();
        }
    }

    @Test
    void capsRequestsInFlightWith429Concurrency() throws Exception {
        try (SlowUpstream upstream = new SlowUpstream()) {
            RpcClient client = start(upstream.url(), 10_000);
            List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                held.add(client.postAsync(RpcClient.STATUS));
            }
            upstream.awaitArrivals(4);
            HttpResponse<String> fifth = client.post(RpcClient.STATUS);
            assertThat(fifth.statusCode()).isEqualTo(429);
            assertThat(RpcClient.json(fifth)
                            .path("error")
                            .path("data")
                            .path("reason")
                            .asText())
                    .isEqualTo("concurrency");
            assertThat(fifth.headers().firstValue("Retry-After")).hasValue("1");
            upstream.releaseAll();
            for (CompletableFuture<HttpResponse<String>> f : held) {
                assertThat(f.get().statusCode()).isEqualTo(200);
            }
            assertThat(client.post(RpcClient.STATUS).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void gracefulShutdownLetsInFlightRequestsFinish() throws Exception {
        try (SlowUpstream upstream = new SlowUpstream()) {
            RpcClient client = start(upstream.url(), 10_000);
            CompletableFuture<HttpResponse<String>> inFlight = client.postAsync(RpcClient.STATUS);
            upstream.awaitArrivals(1);
            TargetSystem closing = system;
            system = null;
            Thread closer = new Thread(closing::close);
            closer.start();
            Thread.sleep(200); // let shutdown begin while the request is held upstream
            upstream.releaseAll();
            assertThat(inFlight.get().statusCode()).isEqualTo(200);
            assertThat(RpcClient.json(inFlight.get()).path("result").asText()).isEqualTo("slow");
            closer.join(10_000);
            assertThat(closer.isAlive()).isFalse();
        }
    }

    @Test
    void metricsAndHealthDescribeTheThrottle() throws Exception {
        RpcClient client = start(null, 5000);
        client.post(RpcClient.STATUS);
        for (int i = 0; i < 12; i++) {
            client.post(RpcClient.STATUS, "X-API-Key", "key-steady");
        }
        String metrics = get("/metrics");
        assertThat(metrics)
                .contains("outlayer_throttle_decisions_total{outcome=\"admitted\",tier=\"anonymous\"} 1.0")
                .contains("outlayer_throttle_decisions_total{outcome=\"admitted\",tier=\"steady\"} 10.0")
                .contains("outlayer_throttle_decisions_total{outcome=\"rejected_rate\",tier=\"steady\"} 2.0")
                .contains(
                        "outlayer_http_requests_seconds_bucket{component=\"coordinator\",route=\"/near-rpc\",status=\"429\"")
                .contains("jvm_memory_used_bytes");
        JsonNode tiers = dev.outlayer.bench.targetsystem.json.JsonCodec.MAPPER.readTree(get("/throttle/metrics"));
        assertThat(tiers.path("steady").path("admitted").asLong()).isEqualTo(10);
        assertThat(tiers.path("steady").path("rejected").asLong()).isEqualTo(2);
        assertThat(tiers.path("standard").path("in_flight_limit").asInt()).isEqualTo(8);
        JsonNode health = dev.outlayer.bench.targetsystem.json.JsonCodec.MAPPER.readTree(get("/health"));
        assertThat(health.path("status").asText()).isEqualTo("ok");
        assertThat(health.path("throttle").path("store").asText()).isEqualTo("local");
    }

    private String get(String path) throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        return http.send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(system.coordinatorUrl() + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private int inFlight(String tier) throws Exception {
        return dev.outlayer.bench.targetsystem.json.JsonCodec.MAPPER
                .readTree(get("/throttle/metrics"))
                .path(tier)
                .path("in_flight")
                .asInt();
    }
}
