package dev.outlayer.bench.targetsystem.http.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.http.BodyReader;
import dev.outlayer.bench.targetsystem.http.HttpServer;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import dev.outlayer.bench.targetsystem.rpc.EmptyChain;
import dev.outlayer.bench.targetsystem.rpc.NearRpcEmulator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The emulator's listener: JSON-RPC over POST, the GET endpoints, CORS, the configured body limit. */
class NearRpcHandlerTest {
    /** A small limit, as {@code --max-body-bytes} would set it. */
    private static final int LIMIT = 4096;

    private static final long HEAD = BlockClock.GENESIS_HEIGHT + 10;
    private static final String HEALTH = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"health\"}";

    private final BlockClock clock = new BlockClock(1_700_000_000_000L, 1_000, () -> 1_700_000_000_000L + 10_500);
    private final HttpServer server = HttpServer.start(
            "near-rpc-test",
            "127.0.0.1",
            0,
            new NearRpcHandler(new NearRpcEmulator(clock, "outlayer-test", EmptyChain.INSTANCE), new BodyReader(LIMIT))
                    .handler(),
            1_000);
    private final HttpClient client = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void jsonRpcOverPostOnAnyPathWithTheNodesOwnAddressAndServerTiming() throws Exception {
        HttpResponse<String> status =
                post("/", "{\"jsonrpc\":\"2.0\",\"id\":\"s\",\"method\":\"status\",\"params\":[]}");

        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(status.headers().firstValue("Server-Timing"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("rpc;dur="));
        JsonNode body = json(status);
        assertThat(body.get("id").asText()).isEqualTo("s");
        assertThat(body.at("/result/rpc_addr").asText()).isEqualTo("127.0.0.1:" + server.port());
        assertThat(body.at("/result/sync_info/latest_block_height").asLong()).isEqualTo(HEAD);

        assertThat(post("/any/path", HEALTH).body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":null,\"id\":1}");
    }

    @Test
    void jsonRpcErrorsKeepNearcoresStatusesAndTheServerKeepsServing() throws Exception {
        HttpResponse<String> garbage = post("/", "{this is not json");
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(json(garbage).at("/error/cause/name").asText()).isEqualTo("PARSE_ERROR");
        assertThat(json(garbage).get("id").isNull()).isTrue();

        HttpResponse<String> empty = post("/", "");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(json(empty).at("/error/code").asInt()).isEqualTo(-32700);

        HttpResponse<String> unknownBlock =
                post("/", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"block\",\"params\":[1]}");
        assertThat(unknownBlock.statusCode()).isEqualTo(422);
        assertThat(json(unknownBlock).at("/error/cause/name").asText()).isEqualTo("UNKNOWN_BLOCK");

        assertThat(post("/", HEALTH).statusCode()).isEqualTo(200);
    }

    /**
     * A finality or sync checkpoint is an enum's name: a number or true/false is serde's "invalid type"
     * (read as its text, 5 was "5" and 1e400 "Infinity", refused only as unknown variants).
     */
    @Test
    void aFinalityThatIsNoStringIsAnInvalidType() throws Exception {
        String[][] cases = {
            {"{\"finality\":5}", "invalid type: integer `5`, expected string or map"},
            {"{\"finality\":1.5}", "invalid type: floating point `1.5`, expected string or map"},
            {"{\"finality\":true}", "invalid type: boolean `true`, expected string or map"},
            {"{\"sync_checkpoint\":0}", "invalid type: integer `0`, expected string or map"},
        };
        for (String[] c : cases) {
            HttpResponse<String> refused =
                    post("/", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"block\",\"params\":" + c[0] + "}");
            assertThat(refused.statusCode()).as(c[0]).isEqualTo(400);
            assertThat(json(refused).at("/error/cause/name").asText()).as(c[0]).isEqualTo("PARSE_ERROR");
            assertThat(json(refused).at("/error/data").asText()).isEqualTo("Failed parsing args: " + c[1]);
        }
        HttpResponse<String> named =
                post("/", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"block\",\"params\":{\"finality\":\"final\"}}");
        assertThat(json(named).at("/result/header/height").isIntegralNumber())
                .as(named.body())
                .isTrue();
    }

    @Test
    void getEndpointsServeBareResultsAsNearcoreDoes() throws Exception {
        HttpResponse<String> health = get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("null");

        HttpResponse<String> status = get("/status");
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(json(status).at("/sync_info/latest_block_height").asLong()).isEqualTo(HEAD);
        assertThat(json(status).get("chain_id").asText()).isEqualTo("outlayer-test");

        assertThat(json(get("/network_info")).get("num_active_peers").asInt()).isZero();
    }

    @Test
    void wrongPathsAndMethodsGetJsonErrors() throws Exception {
        HttpResponse<String> noSuchPath = get("/nope");
        assertThat(noSuchPath.statusCode()).isEqualTo(404);
        assertThat(json(noSuchPath).get("error").asText()).contains("POST");
        assertThat(json(noSuchPath).get("status").asInt()).isEqualTo(404);

        HttpResponse<String> put = client.send(
                HttpRequest.newBuilder(URI.create(server.url() + "/"))
                        .PUT(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(json(put).get("error").asText()).contains("POST");
    }

    @Test
    void aBodyOverTheConfiguredLimitIs413WithAJsonBody() throws Exception {
        String tooBig =
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\",\"params\":[\"" + "x".repeat(LIMIT) + "\"]}";

        HttpResponse<String> declared = post("/", tooBig);
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(json(declared).get("error").asText()).isEqualTo("request body is larger than " + LIMIT + " bytes");
        assertThat(json(declared).get("status").asInt()).isEqualTo(413);

        // No Content-Length: the client sends the body chunked, and the limit cuts it off as it arrives.
        byte[] bytes = tooBig.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> chunked = client.send(
                HttpRequest.newBuilder(URI.create(server.url() + "/"))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(json(chunked).get("error").asText()).isEqualTo("request body is larger than " + LIMIT + " bytes");

        // A body just under the limit is read.
        String padded = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"health\",\"params\":[\"";
        String fits = padded + "x".repeat(LIMIT - padded.length() - 3) + "\"]}";
        assertThat(fits.length()).isEqualTo(LIMIT);
        assertThat(post("/", fits).statusCode()).isEqualTo(200);
    }

    @Test
    void browsersGetNearcoresPermissiveCors() throws Exception {
        HttpResponse<String> preflight = client.send(
                HttpRequest.newBuilder(URI.create(server.url() + "/"))
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .header("Origin", "https://app.example")
                        .header("Access-Control-Request-Method", "POST")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
                .hasValue("https://app.example");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods"))
                .hasValue("GET, POST");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers"))
                .hasValueSatisfying(headers -> assertThat(headers).contains("content-type"));

        HttpResponse<String> post = client.send(
                HttpRequest.newBuilder(URI.create(server.url() + "/"))
                        .header("Origin", "https://app.example")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(HEALTH))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(post.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example");
        assertThat(get("/status").headers().firstValue("Access-Control-Allow-Origin"))
                .isEmpty();
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return client.send(
                HttpRequest.newBuilder(URI.create(server.url() + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(
                HttpRequest.newBuilder(URI.create(server.url() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JsonCodec.MAPPER.readTree(response.body());
    }
}
