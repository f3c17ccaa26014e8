package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.testing.ErrorBodies;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's routes that mirror an OutLayer handler taking axum's {@code Json<T>} answer as that
 * extractor does (axum 0.7, OutLayer's pin): 415 without a JSON {@code Content-Type}, 400 for a body that
 * is not JSON, 422 for JSON that does not fit, each in axum's words (in the target system's JSON error body), and nothing changed.
 * Credentials are checked first (OutLayer's auth middleware runs before the extractor); the stand-in's
 * own routes keep their answers.
 */
class OutlayerJsonBodiesTest {
    private static final String TOKEN = "json-bodies-worker-token-0123456";
    private static final String NOT_JSON = "Expected request with `Content-Type: application/json`";
    private static final String SYNTAX = "Failed to parse the request body as JSON: ";
    private static final String DATA = "Failed to deserialize the JSON body into the target type: ";

    /** Every coordinator route whose OutLayer handler takes {@code Json<...>}. */
    private static final List<String> OUTLAYER_JSON_ROUTES = Stream.concat(
                    Stream.of(
                            "/jobs/claim",
                            "/jobs/complete",
                            "/workers/heartbeat",
                            "/workers/task-completion",
                            "/executions/create",
                            "/https-calls/complete",
                            "/topup/create",
                            "/topup/complete",
                            "/payment-keys/init",
                            "/payment-keys/delete",
                            "/payment-keys/delete-task/create",
                            "/projects/cleanup-task/create",
                            "/attestations",
                            "/workers/register-tee",
                            "/public/storage/batch",
                            "/locks/acquire",
                            "/internal/system-logs",
                            "/alice.near/agent"),
                    ProjectStorageApiTest.WORKER_JSON_ROUTES.stream())
            .toList();

    private static LifecycleClient client;

    @BeforeAll
    static void start() {
        TargetOptions options = LifecycleClient.options(0);
        options.workerToken = TOKEN;
        client = new LifecycleClient(options);
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    private static HttpResponse<String> post(String path, String contentType, String body, String token)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(client.system.coordinatorUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return LifecycleClient.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertAxumRejection(HttpResponse<String> response, int status, String body) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(ErrorBodies.message(response.body())).isEqualTo(body);
    }

    private static JsonNode worker(String workerId) throws Exception {
        HttpResponse<String> workers = LifecycleClient.HTTP.send(
                HttpRequest.newBuilder(URI.create(client.system.coordinatorUrl() + "/public/workers"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(workers.statusCode()).isEqualTo(200);
        for (JsonNode worker : JsonCodec.MAPPER.readTree(workers.body())) {
            if (worker.path("worker_id").asText().equals(workerId)) {
                return worker;
            }
        }
        return null;
    }

    @Test
    void everyOutLayerJsonRouteAnswers415WithoutAJsonContentType() throws Exception {
        for (String route : OUTLAYER_JSON_ROUTES) {
            assertAxumRejection(post(route, null, "{}", TOKEN), 415, NOT_JSON);
            assertAxumRejection(post(route, "text/plain", "{}", TOKEN), 415, NOT_JSON);
            assertAxumRejection(post(route, "text/json", "{}", TOKEN), 415, NOT_JSON);
            assertAxumRejection(post(route, "application/json ; charset=utf-8", "{}", TOKEN), 415, NOT_JSON);
        }
    }

    @Test
    void aRefusedContentTypeChangesNothing() throws Exception {
        String beat = "{\"worker_id\":\"plain-text\",\"worker_name\":\"w\",\"status\":\"online\"}";
        assertAxumRejection(post("/workers/heartbeat", "text/plain", beat, TOKEN), 415, NOT_JSON);
        assertThat(worker("plain-text"))
                .as("a refused heartbeat records no worker")
                .isNull();

        HttpResponse<String> accepted = post("/workers/heartbeat", "application/json", beat, TOKEN);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        assertThat(worker("plain-text")).isNotNull();
    }

    @Test
    void jsonWithParametersOrAJsonSuffixIsTakenAsAxumTakesIt() throws Exception {
        for (String contentType : List.of(
                "application/json; charset=utf-8",
                "application/json;charset=UTF-8",
                "Application/JSON",
                "application/vnd.outlayer.worker+json")) {
            String beat = "{\"worker_id\":\"typed\",\"worker_name\":\"w\",\"status\":\"online\"}";
            HttpResponse<String> answer = post("/workers/heartbeat", contentType, beat, TOKEN);
            assertThat(answer.statusCode())
                    .as(contentType + ": " + answer.body())
                    .isEqualTo(200);
        }
    }

    @Test
    void credentialsAreCheckedBeforeTheContentType() throws Exception {
        for (String route : List.of("/jobs/claim", "/topup/complete", "/workers/heartbeat")) {
            HttpResponse<String> noToken = post(route, null, "not json", null);
            assertThat(noToken.statusCode()).as(route).isEqualTo(401);
            assertThat(noToken.headers().firstValue("Content-Type")).hasValue("application/json");
        }
    }

    @Test
    void aBodyThatIsNotJsonIsA400InSerdesWords() throws Exception {
        assertAxumRejection(
                post("/jobs/complete", "application/json", "{", TOKEN),
                400,
                SYNTAX + "EOF while parsing an object at line 1 column 1");
        assertAxumRejection(
                post("/topup/complete", "application/json", "", TOKEN),
                400,
                SYNTAX + "EOF while parsing a value at line 1 column 0");
        assertAxumRejection(
                post("/workers/heartbeat", "application/json", "NaN", TOKEN),
                400,
                SYNTAX + "expected value at line 1 column 1");
    }

    @Test
    void jsonThatDoesNotFitTheRequestIsA422() throws Exception {
        // a member of another type, a required member absent, a member given twice
        HttpResponse<String> wrongType = post(
                "/workers/task-completion", "application/json", "{\"worker_id\":\"w\",\"success\":\"yes\"}", TOKEN);
        assertThat(wrongType.statusCode()).as(wrongType.body()).isEqualTo(422);
        assertThat(wrongType.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(ErrorBodies.message(wrongType.body())).startsWith(DATA).contains("success");

        assertAxumRejection(
                post("/jobs/complete", "application/json", "{\"job_id\":1,\"worker_id\":\"w\",\"time_ms\":1}", TOKEN),
                422,
                DATA + "success is required (true or false)");
        HttpResponse<String> twice = post(
                "/workers/task-completion",
                "application/json",
                "{\"worker_id\":\"w\",\"worker_id\":\"v\",\"success\":true}",
                TOKEN);
        assertThat(twice.statusCode()).as(twice.body()).isEqualTo(422);
        assertThat(ErrorBodies.message(twice.body()))
                .startsWith(DATA + "duplicate field `worker_id` at line 1 column ");
        assertThat(worker("w"))
                .as("nothing was recorded for the refused bodies")
                .isNull();
    }

    @Test
    void anHttpsCallsBodyIsReadBeforeItsPaymentKey() throws Exception {
        // OutLayer's https_call extracts Json<HttpsCallRequest> before its handler reads X-Payment-Key
        assertAxumRejection(post("/alice.near/agent", null, "{\"input\":1}", null), 415, NOT_JSON);
        assertAxumRejection(
                post("/alice.near/agent", "application/json", "{\"input\":", null),
                400,
                SYNTAX + "EOF while parsing a value at line 1 column 9");
        HttpResponse<String> noKey = post("/alice.near/agent", "application/json", "{\"input\":1}", null);
        assertThat(noKey.statusCode()).as(noKey.body()).isEqualTo(401);
    }

    @Test
    void theStandInsOwnRoutesKeepTheirAnswers() throws Exception {
        // /jobs/fail and /jobs/heartbeat are ours (OutLayer has neither route), as are the withdrawals
        HttpResponse<String> fail = post("/jobs/fail", null, "{\"job_id\":\"x\"}", TOKEN);
        assertThat(fail.statusCode()).as(fail.body()).isEqualTo(400);
        assertThat(JsonCodec.MAPPER.readTree(fail.body()).path("status").asInt())
                .isEqualTo(400);
        HttpResponse<String> withdraw = post("/project-earnings/withdraw", "text/plain", "{", TOKEN);
        assertThat(withdraw.statusCode()).as(withdraw.body()).isEqualTo(400);
        assertThat(withdraw.headers().firstValue("Content-Type")).hasValue("application/json");
        // the stand-in's contract API reads any Content-Type
        HttpResponse<String> view = post("/contracts/counter.test.near/view", null, "{\"method\":\"get_num\"}", null);
        assertThat(view.statusCode()).as(view.body()).isEqualTo(200);
    }
}
