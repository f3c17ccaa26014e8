package dev.outlayer.bench.targetsystem.http.programs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.TargetOptions;
import dev.outlayer.bench.targetsystem.TargetSystem;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.linux.TestPrograms;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The programs and pipelines API over HTTP, on a real coordinator listening on a free port. */
class ProgramRoutesTest {
    private static TargetSystem system;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        TargetOptions options = new TargetOptions();
        options.host = "127.0.0.1";
        options.coordinatorPort = 0;
        options.rpcPort = 0;
        options.components = EnumSet.of(TargetOptions.Component.coordinator, TargetOptions.Component.rpc);
        options.tiersFile = TestPrograms.root().resolve("feeders/tiers.csv");
        options.apiKeysFile = TestPrograms.root().resolve("feeders/api-keys.csv");
        options.linuxWorkers = 4;
        options.contractsDir = TestPrograms.root().resolve("resources/contracts");
        options.shutdownGraceMillis = 2000;
        system = TargetSystem.start(options);
        for (String name : new String[] {"echo_json", "tools", "misbehave", "fsenv"}) {
            HttpResponse<String> put = send("PUT", "/programs/" + name, TestPrograms.wasm(name), "application/wasm");
            assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
            assertThat(JsonCodec.MAPPER.readTree(put.body()).path("sha256").asText())
                    .hasSize(64);
        }
    }

    @AfterAll
    static void stop() {
        system.close();
    }

    static HttpResponse<String> send(String method, String path, byte[] body, String type) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(system.coordinatorUrl() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", type)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String json) throws Exception {
        return send("POST", path, json.getBytes(), "application/json");
    }

    @Test
    void runReturnsTheSpecShapeWithServerTiming() throws Exception {
        HttpResponse<String> response = post(
                "/programs/echo_json/run", "{\"stdin\":{\"x\":1},\"context\":{\"sender_id\":\"alice.test.near\"}}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = JsonCodec.MAPPER.readTree(response.body());
        assertThat(body.path("exit_code").asInt()).isZero();
        JsonNode stdout = JsonCodec.MAPPER.readTree(body.path("stdout").asText());
        assertThat(stdout.path("input").path("x").asInt()).isEqualTo(1);
        assertThat(stdout.path("sender").asText()).isEqualTo("alice.test.near");
        assertThat(body.path("stderr").asText()).isEmpty();
        assertThat(body.path("instructions").asLong())
                .isEqualTo(body.path("wasm_instructions").asLong()
                        + body.path("kernel_instructions").asLong());
        assertThat(body.path("syscalls").path("fd_write").asInt()).isPositive();
        assertThat(body.path("wall_time_us").asLong()).isPositive();
        assertThat(response.headers().firstValue("Server-Timing"))
                .hasValueSatisfying(v -> assertThat(v)
                        .matches(".*parse;dur=\\d+\\.\\d{3}.*queue;dur=\\d+\\.\\d{3}.*exec;dur=\\d+\\.\\d{3}.*"));
    }

    @Test
    void limitHitIs422NamingTheLimitAndTheWorkerServesOn() throws Exception {
        HttpResponse<String> killed =
                post("/programs/misbehave/run", "{\"argv\":[\"loop\"],\"limits\":{\"max_instructions\":2000000}}");
        assertThat(killed.statusCode()).isEqualTo(422);
        JsonNode body = JsonCodec.MAPPER.readTree(killed.body());
        assertThat(body.path("error").path("limit").asText()).isEqualTo("max_instructions");
        assertThat(body.path("error").path("message").asText()).contains("max_instructions");
        assertThat(body.path("exit_code").asInt()).isEqualTo(137);

        HttpResponse<String> memory =
                post("/programs/misbehave/run", "{\"argv\":[\"hog\"],\"limits\":{\"max_memory_mb\":8}}");
        assertThat(memory.statusCode()).isEqualTo(422);
        assertThat(JsonCodec.MAPPER
                        .readTree(memory.body())
                        .path("error")
                        .path("limit")
                        .asText())
                .isEqualTo("max_memory_mb");

        HttpResponse<String> time =
                post("/programs/misbehave/run", "{\"argv\":[\"sleep\"],\"limits\":{\"max_seconds\":0.2}}");
        assertThat(time.statusCode()).isEqualTo(422);
        assertThat(JsonCodec.MAPPER
                        .readTree(time.body())
                        .path("error")
                        .path("limit")
                        .asText())
                .isEqualTo("max_seconds");

        for (int i = 0; i < 6; i++) {
            assertThat(post("/programs/echo_json/run", "{\"stdin\":\"{}\"}").statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void contractCallInLinuxModeMatchesDirectModeAndReportsBothCounts() throws Exception {
        String call = "{\"method\":\"increment\",\"args\":{},\"mode\":\"%s\"}";
        // The first increment creates the state key (more gas); compare two calls that both update it.
        post("/contracts/counter.test.near/call", call.formatted("direct"));
        HttpResponse<String> direct = post("/contracts/counter.test.near/call", call.formatted("direct"));
        HttpResponse<String> linux = post("/contracts/counter.test.near/call", call.formatted("linux"));
        assertThat(linux.statusCode()).as(linux.body()).isEqualTo(200);
        JsonNode d = JsonCodec.MAPPER.readTree(direct.body());
        JsonNode l = JsonCodec.MAPPER.readTree(linux.body());
        assertThat(l.path("mode").asText()).isEqualTo("linux");
        assertThat(l.path("gas_burnt").asLong()).isEqualTo(d.path("gas_burnt").asLong());
        assertThat(l.path("wasm_instructions").asLong())
                .isEqualTo(d.path("instructions").asLong());
        assertThat(l.path("instructions").asLong())
                .isEqualTo(l.path("wasm_instructions").asLong()
                        + l.path("translation_instructions").asLong());
        assertThat(l.path("translation_instructions").asLong()).isPositive();
        assertThat(l.path("syscalls").path("storage_write").asInt()).isEqualTo(1);
        int before = Integer.parseInt(d.path("logs").get(0).asText().replaceAll("\\D+", ""));
        assertThat(l.path("logs").get(0).asText()).isEqualTo("Increased number to " + (before + 1));
        assertThat(l.path("state_changes")).hasSize(d.path("state_changes").size());
        assertThat(linux.headers().firstValue("Server-Timing"))
                .hasValueSatisfying(v -> assertThat(v).contains("worker;dur="));

        HttpResponse<String> cold = post(
                "/contracts/counter.test.near/call", "{\"method\":\"get_num\",\"mode\":\"linux\",\"cold_start\":true}");
        assertThat(JsonCodec.MAPPER.readTree(cold.body()).path("cold_start").asBoolean())
                .isTrue();
        assertThat(cold.headers().firstValue("Server-Timing"))
                .hasValueSatisfying(v -> assertThat(v).contains("boot;dur="));

        HttpResponse<String> failed = post(
                "/contracts/counter.test.near/call",
                "{\"method\":\"increment\",\"args\":{\"number\":\"x\"},\"mode\":\"linux\"}");
        assertThat(failed.statusCode()).isEqualTo(422);
        JsonNode f = JsonCodec.MAPPER.readTree(failed.body());
        assertThat(f.path("error").path("kind").asText()).isEqualTo("GuestPanic");
        assertThat(f.path("mode").asText()).isEqualTo("linux");
    }

    @Test
    void badInputGetsClearJsonErrors() throws Exception {
        HttpResponse<String> missing = post("/programs/nope/run", "{}");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(JsonCodec.MAPPER.readTree(missing.body()).path("error").asText())
                .contains("nope");
        HttpResponse<String> badJson = post("/programs/echo_json/run", "{not json");
        assertThat(badJson.statusCode()).isEqualTo(400);
        HttpResponse<String> reserved = post("/programs/echo_json/run", "{\"env\":{\"NEAR_SENDER_ID\":\"x\"}}");
        assertThat(reserved.statusCode()).isEqualTo(400);
        assertThat(JsonCodec.MAPPER.readTree(reserved.body()).path("error").asText())
                .contains("reserved");
        HttpResponse<String> badLimits = post("/programs/echo_json/run", "{\"limits\":{\"max_instructions\":-5}}");
        assertThat(badLimits.statusCode()).isEqualTo(400);
        HttpResponse<String> junk = send("PUT", "/programs/junk", new byte[] {0, 97, 115, 109, 9}, "application/wasm");
        assertThat(junk.statusCode()).isEqualTo(400);
        assertThat(JsonCodec.MAPPER.readTree(junk.body()).path("error").asText())
                .contains("wasm");
        HttpResponse<String> secrets = post(
                "/programs/echo_json/run",
                "{\"secrets\":{\"owner\":\"alice.test.near\",\"profile\":\"default\",\"repo\":\"r\"}}");
        // Without an API key no account is proven, whatever the body says: nothing to check access for.
        assertThat(secrets.statusCode()).isEqualTo(401);
        assertThat(JsonCodec.MAPPER.readTree(secrets.body()).path("error").asText())
                .contains("authenticated caller");
    }

    @Test
    void pipelinePassesDataThroughConcurrentStages() throws Exception {
        // 100,000 lines (~1.1 MB) through two 64 KiB pipes: only works if the stages run at once.
        HttpResponse<String> response = post(
                "/pipelines/run",
                "{\"stages\":["
                        + "{\"program\":\"tools\",\"argv\":[\"yes\",\"100000\"],\"limits\":{\"max_instructions\":10000000000}},"
                        + "{\"program\":\"tools\",\"argv\":[\"upper\"]},"
                        + "{\"program\":\"tools\",\"argv\":[\"wc\"]}]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = JsonCodec.MAPPER.readTree(response.body());
        long bytes = 0;
        for (int i = 1; i <= 100_000; i++) {
            bytes += ("line " + i + "\n").length();
        }
        assertThat(body.path("stdout").asText()).isEqualTo("100000 " + bytes + "\n");
        assertThat(body.path("exit_code").asInt()).isZero();
        assertThat(body.path("stages")).hasSize(3);
        assertThat(body.path("stages").get(1).path("syscalls").path("fd_read").asInt())
                .isGreaterThan(10);
    }

    @Test
    void pipelinePropagatesExitCodes() throws Exception {
        HttpResponse<String> response = post(
                "/pipelines/run",
                "{\"stdin\":\"hello\\nworld\\n\",\"stages\":["
                        + "{\"program\":\"tools\",\"argv\":[\"exit\",\"3\"]},"
                        + "{\"program\":\"tools\",\"argv\":[\"cat\"]}]}");
        JsonNode body = JsonCodec.MAPPER.readTree(response.body());
        assertThat(body.path("exit_code").asInt()).isZero();
        assertThat(body.path("pipefail_exit_code").asInt()).isEqualTo(3);
        assertThat(body.path("stages").get(0).path("exit_code").asInt()).isEqualTo(3);

        HttpResponse<String> last = post(
                "/pipelines/run",
                "{\"stdin\":\"a\\nb\\nc\\n\",\"stages\":["
                        + "{\"program\":\"tools\",\"argv\":[\"upper\"]},"
                        + "{\"program\":\"tools\",\"argv\":[\"exit\",\"7\"]}]}");
        assertThat(JsonCodec.MAPPER.readTree(last.body()).path("exit_code").asInt())
                .isEqualTo(7);

        // head exits early; the producer's writes then fail (EPIPE) instead of blocking forever.
        HttpResponse<String> head = post(
                "/pipelines/run",
                "{\"stages\":["
                        + "{\"program\":\"tools\",\"argv\":[\"yes\",\"100000\"]},"
                        + "{\"program\":\"tools\",\"argv\":[\"head\",\"2\"]}]}");
        JsonNode headBody = JsonCodec.MAPPER.readTree(head.body());
        assertThat(headBody.path("stdout").asText()).isEqualTo("line 1\nline 2\n");
        assertThat(headBody.path("stages").get(0).path("exit_code").asInt()).isEqualTo(1);
    }

    @Test
    void pipelineLimitHitNamesTheStage() throws Exception {
        HttpResponse<String> response = post(
                "/pipelines/run",
                "{\"stages\":["
                        + "{\"program\":\"tools\",\"argv\":[\"yes\",\"10\"]},"
                        + "{\"program\":\"misbehave\",\"argv\":[\"loop\"],\"limits\":{\"max_instructions\":1000000}}]}");
        assertThat(response.statusCode()).isEqualTo(422);
        JsonNode error = JsonCodec.MAPPER.readTree(response.body()).path("error");
        assertThat(error.path("stage").asInt()).isEqualTo(1);
        assertThat(error.path("limit").asText()).isEqualTo("max_instructions");
    }
}
