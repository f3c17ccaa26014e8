package dev.outlayer.bench.targetsystem.http.programs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.http.Callers;
import dev.outlayer.bench.targetsystem.http.HttpServer;
import dev.outlayer.bench.targetsystem.http.RawRequests;
import dev.outlayer.bench.targetsystem.http.Routes;
import dev.outlayer.bench.targetsystem.identity.ApiKeyCallers;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.linux.LinuxEmulator;
import dev.outlayer.bench.targetsystem.linux.TestPrograms;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How the programs API fails: a body cut short, too large or malformed is a 4xx naming the
 * problem; an unexpected failure is a 500 that names nothing internal; the server keeps serving.
 */
class ProgramErrorsTest {
    private static final long MAX_BODY = 4096;
    private static final long MAX_WASM = 64 * 1024;
    private static final String INTERNAL_DETAIL = "resolver blew up at /srv/internal/path";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Every request comes from bob.near's key: the account secrets would be fetched for. */
    private static final String BOB_KEY = "bob-key";

    private static LinuxEmulator emulator;
    private static HttpServer server;

    @BeforeAll
    static void start() {
        emulator = TestPrograms.emulator(2);
        // A bug in the secrets integration: it must surface as "internal error", never as its text.
        emulator.useSecrets((reference, user, build) -> {
            throw new IllegalStateException(INTERNAL_DETAIL);
        });
        Routes routes = new Routes("coordinator", new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        ProgramRoutes.register(
                routes,
                emulator,
                MAX_WASM,
                MAX_BODY,
                new Callers(new ApiKeyCallers(key -> key.equals(BOB_KEY) ? "bob.near" : null)));
        server = HttpServer.start("programs-test", "127.0.0.1", 0, routes.handler(), 1000);
    }

    @AfterAll
    static void stop() {
        server.close();
        emulator.close();
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .header("X-API-Key", BOB_KEY)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String error(HttpResponse<String> response) throws Exception {
        JsonNode body = JsonCodec.MAPPER.readTree(response.body());
        assertThat(body.path("status").asInt()).isEqualTo(response.statusCode());
        return body.path("error").asText();
    }

    @Test
    void anUnexpectedFailureIsAnInternalErrorThatNamesNothing() throws Exception {
        HttpResponse<String> response = post(
                "/programs/echo_json/run",
                "{\"context\":{\"sender_id\":\"bob.near\"},"
                        + "\"secrets\":{\"owner\":\"alice.near\",\"profile\":\"default\",\"repo\":\"r\"}}");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(error(response)).isEqualTo("internal error");
        assertThat(response.body())
                .doesNotContain("IllegalStateException")
                .doesNotContain(INTERNAL_DETAIL)
                .doesNotContain("java.");
        assertThat(post("/programs/echo_json/run", "{\"stdin\":\"{}\"}").statusCode())
                .isEqualTo(200);
    }

    /**
     * A value of another JSON type is refused as serde_json refuses it, never converted: Jackson alone ran
     * with max_memory_mb 1.99 as 1, cold_start 5 as true, an empty or control-character max_instructions
     * as the default limit, max_seconds 1e400 as Infinity and an argv number as its text.
     */
    @Test
    void aValueOfAnotherJsonTypeIsA400NamingTheField() throws Exception {
        String[][] cases = {
            {"{\"limits\":{\"max_memory_mb\":1.99}}", "'limits.max_memory_mb' must be an integer"},
            {"{\"limits\":{\"max_instructions\":1.5}}", "'limits.max_instructions' must be an integer"},
            {"{\"limits\":{\"max_instructions\":\"\"}}", "'limits.max_instructions' must be an integer"},
            {"{\"limits\":{\"max_instructions\":\"\\u0001\\u001f\"}}", "'limits.max_instructions' must be an integer"},
            {"{\"limits\":{\"max_instructions\":\"1000\"}}", "'limits.max_instructions' must be an integer"},
            {"{\"limits\":{\"max_seconds\":1e400}}", "'limits.max_seconds' must be a number"},
            {"{\"limits\":{\"max_seconds\":\"\"}}", "'limits.max_seconds' must be a number"},
            {"{\"cold_start\":5}", "'cold_start' must be true or false"},
            {"{\"cold_start\":\"true\"}", "'cold_start' must be true or false"},
            {"{\"argv\":[\"a\",1e400]}", "'argv[1]' must be a string"},
            {"{\"env\":{\"A\":true}}", "'env.A' must be a string"},
        };
        for (String[] c : cases) {
            HttpResponse<String> response = post("/programs/echo_json/run", c[0]);
            assertThat(response.statusCode()).as(c[0]).isEqualTo(400);
            assertThat(error(response)).as(c[0]).isEqualTo(c[1]);
        }
        // The same members in their own types run; an integer is a valid max_seconds, as for serde's f64.
        assertThat(post(
                                "/programs/echo_json/run",
                                "{\"limits\":{\"max_memory_mb\":64,\"max_instructions\":100000000,\"max_seconds\":5},"
                                        + "\"cold_start\":false,\"argv\":[\"a\"],\"env\":{\"A\":\"1\"}}")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void aBodyCutShortIsA400NotA413() throws Exception {
        String answer = RawRequests.truncated(server.port(), "POST", "/programs/echo_json/run", "{\"argv\":[", 200);
        assertThat(answer)
                .startsWith("HTTP/1.1 400")
                .contains("the request body could not be read")
                .doesNotContain("Exception")
                .doesNotContain("UT0");
        assertThat(post("/programs/echo_json/run", "{}").statusCode()).isEqualTo(200);
    }

    @Test
    void aBodyOverTheLimitIsA413NamingTheLimit() throws Exception {
        HttpResponse<String> response =
                post("/programs/echo_json/run", "{\"stdin\":\"" + "x".repeat((int) MAX_BODY) + "\"}");
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(error(response)).contains("larger than " + MAX_BODY + " bytes");
        HttpResponse<String> upload = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/programs/big"))
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[(int) MAX_WASM + 1]))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).isEqualTo(413);
        assertThat(error(upload)).contains("larger than " + MAX_WASM + " bytes");
    }

    /**
     * stdin is free-form JSON, parsed as OutLayer's worker (serde_json) parses a body: a number beyond f64 and the
     * 128th nested level are refused in its words (Jackson alone ran with Infinity and read 256 levels); 127
     * levels run. cold_start is ours and optional: null is false, as it always was.
     */
    @Test
    void stdinIsRefusedWhereSerdeJsonRefusesItAndAnOptionalNullIsNotGiven() throws Exception {
        HttpResponse<String> outOfRange = post("/programs/echo_json/run", "{\"stdin\":{\"n\":[1,-1e400]}}");
        assertThat(outOfRange.statusCode()).isEqualTo(400);
        assertThat(error(outOfRange))
                .isEqualTo("the request body is not valid JSON: number out of range at line 1 column 23");
        String stdin = "{\"stdin\":";
        assertThat(post("/programs/echo_json/run", stdin + "[".repeat(126) + "]".repeat(126) + "}")
                        .statusCode())
                .as("the deepest serde_json reads: the body's object and 126 arrays")
                .isEqualTo(200);
        HttpResponse<String> deeper = post("/programs/echo_json/run", stdin + "[".repeat(127) + "]".repeat(127) + "}");
        assertThat(deeper.statusCode()).isEqualTo(400);
        assertThat(error(deeper))
                .isEqualTo("the request body is not valid JSON: recursion limit exceeded at line 1 column "
                        + (stdin.length() + 127));
        assertThat(post("/programs/echo_json/run", "{\"cold_start\":null,\"stdin\":{\"n\":1.5e308}}")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void malformedRunsAndPipelinesNameTheField() throws Exception {
        assertThat(error(post("/programs/echo_json/run", "{\"argv\":[{}]}"))).contains("argv");
        assertThat(error(post("/programs/echo_json/run", "{\"env\":{\"A\":[1]}}")))
                .contains("env");
        assertThat(error(post("/programs/echo_json/run", "{\"stdin\":\"a\",\"stdin_base64\":\"YQ==\"}")))
                .contains("stdin or stdin_base64");
        assertThat(error(post("/programs/echo_json/run", "{\"stdin_base64\":\"%%%\"}")))
                .contains("stdin_base64");
        assertThat(error(post("/programs/echo_json/run", "{\"limits\":{\"max_seconds\":-1}}")))
                .contains("limits.max_seconds");
        assertThat(error(post("/programs/echo_json/run", "{\"limits\":{\"max_memory_mb\":\"lots\"}}")))
                .contains("max_memory_mb");
        assertThat(error(post("/programs/echo_json/run", "{\"secrets\":{\"owner\":\"a.near\"}}")))
                .contains("secrets.profile");
        assertThat(error(post("/programs/echo_json/run", "{\"cold_start\":{}}")))
                .contains("cold_start");
        assertThat(error(post("/programs/echo_json/run", "[1]"))).contains("object");
        // the context's ids become NEAR_* variables: a NUL would cut them, and only account ids are meant
        assertThat(error(post("/programs/echo_json/run", "{\"context\":{\"sender_id\":\"bob\\u0000.near\"}}")))
                .startsWith("context.sender_id must be a NEAR account id: ");
        assertThat(error(post(
                        "/pipelines/run",
                        "{\"stages\":[{\"program\":\"tools\"}],\"context\":{\"predecessor_id\":\"Bob\"}}")))
                .startsWith("context.predecessor_id must be a NEAR account id: ");
        assertThat(error(post("/programs/bad%20name/run", "{}"))).contains("no program named");
        assertThat(error(post("/pipelines/run", "{}"))).contains("stages must be a non-empty array");
        assertThat(error(post("/pipelines/run", "{\"stages\":[{\"argv\":[\"x\"]}]}")))
                .contains("program name");
        assertThat(error(post(
                        "/pipelines/run",
                        "{\"stages\":[{\"program\":\"tools\",\"argv\":[\"cat\"]}," + "{\"program\":\"nope\"}]}")))
                .contains("no program named 'nope'");
        assertThat(error(post(
                        "/pipelines/run",
                        "{\"stages\":[{\"program\":\"tools\",\"limits\":{\"max_instructions\":0}}]}")))
                .contains("limits.max_instructions");
    }

    @Test
    void anEmptyRunBodyRunsWithTheDefaults() throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/programs/compute/run"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = JsonCodec.MAPPER.readTree(response.body());
        assertThat(body.has("status")).isFalse();
        assertThat(body.path("stdout").asText()).startsWith("{\"rounds\":");
    }
}
