package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.payments.PaymentKeys;
import dev.outlayer.bench.targetsystem.testing.ErrorBodies;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An HTTPS call worked by an external worker (no in-process workers) through OutLayer's worker
 * API: the task it polls carries OutLayer's HTTPS members, and its {@code POST
 * /https-calls/complete} finalizes the call once, billed at the contract's USD prices.
 */
class HttpsCallExternalWorkerTest {
    private static final String TOKEN = "https-external-worker-token-0123456789";
    private static final String KEY = "7c".repeat(32);
    private static final String OWNER = "external-payer.test.near";
    private static LifecycleClient client;
    private static String project;

    @BeforeAll
    static void start() throws Exception {
        TargetOptions options = LifecycleClient.fastBlocks(0);
        options.workerToken = TOKEN;
        client = new LifecycleClient(options);
        String echo = client.upload("echo_json");
        project = client.user.signerId() + "/ext";
        JsonNode created = HttpsCallEndToEndTest.createProject(client, 1, "ext", echo);
        assertThat(created.path("status").has("SuccessValue"))
                .as(created.toString())
                .isTrue();
        ok(call(
                "POST",
                "/payment-keys/init",
                "{\"owner\":\"" + OWNER + "\",\"nonce\":3,\"key_hash\":\"" + PaymentKeys.keyHash(KEY) + "\"}",
                TOKEN,
                null));
        ok(call(
                "POST",
                "/topup/complete",
                "{\"owner\":\"" + OWNER + "\",\"nonce\":3,\"new_initial_balance\":\"20000\","
                        + "\"amount\":\"20000\",\"key_hash\":\"" + PaymentKeys.keyHash(KEY) + "\"}",
                TOKEN,
                null));
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    private static HttpResponse<String> call(String method, String path, String body, String token, String key)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(client.system.coordinatorUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (key != null) {
            request.header("X-Payment-Key", key);
        }
        return LifecycleClient.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JsonCodec.MAPPER.readTree(response.body());
    }

    /** A payment key (nonce 1) of {@code owner} with 100,000 as the worker reports it; its X-Payment-Key. */
    private static String fundedKey(String owner, String secret) throws Exception {
        String hash = PaymentKeys.keyHash(secret);
        ok(call(
                "POST",
                "/payment-keys/init",
                "{\"owner\":\"" + owner + "\",\"nonce\":1,\"key_hash\":\"" + hash + "\"}",
                TOKEN,
                null));
        ok(call(
                "POST",
                "/topup/complete",
                "{\"owner\":\"" + owner + "\",\"nonce\":1,\"new_initial_balance\":\"100000\","
                        + "\"amount\":\"100000\",\"key_hash\":\"" + hash + "\"}",
                TOKEN,
                null));
        return owner + ":1:" + secret;
    }

    /**
     * The worker's payment-key reports are read as OutLayer's serde structs read them: a member of another
     * JSON type, or without its required {@code key_hash}, is refused naming it and stores nothing (axum's 422:
     * both OutLayer handlers take {@code Json}). Jackson alone stored nonce 1.9 as key 1 and the owner 1e400 as
     * "1e400".
     */
    @Test
    void aPaymentKeyReportWithAMemberOfAnotherJsonTypeIsRefusedAndStoresNothing() throws Exception {
        String owner = "strict-payer.test.near";
        String hash = PaymentKeys.keyHash("5d".repeat(32));
        String[][] cases = {
            {
                "/payment-keys/init",
                "{\"owner\":\"" + owner + "\",\"nonce\":1.9,\"key_hash\":\"" + hash + "\"}",
                "'nonce' must be an integer"
            },
            {
                "/payment-keys/init",
                "{\"owner\":\"" + owner + "\",\"nonce\":\"1\",\"key_hash\":\"" + hash + "\"}",
                "'nonce' must be an integer"
            },
            {
                "/topup/complete",
                "{\"owner\":\"" + OWNER + "\",\"nonce\":3.0,\"new_initial_balance\":\"90000\","
                        + "\"amount\":\"70000\",\"key_hash\":\"" + PaymentKeys.keyHash(KEY) + "\"}",
                "'nonce' must be an integer"
            },
            {"/payment-keys/init", "{\"owner\":\"" + owner + "\",\"nonce\":1}", "key_hash is required"},
            {
                "/topup/complete",
                "{\"owner\":\"" + OWNER + "\",\"nonce\":3,\"new_initial_balance\":\"90000\",\"amount\":\"70000\"}",
                "key_hash is required"
            },
            // #[serde(default)] project_ids: Vec<String> on both: left out is every project, null is refused
            {
                "/payment-keys/init",
                "{\"owner\":\"" + owner + "\",\"nonce\":1,\"key_hash\":\"" + hash + "\",\"project_ids\":null}",
                "'project_ids' must be an array, not null"
            },
            {
                "/topup/complete",
                "{\"owner\":\"" + OWNER + "\",\"nonce\":3,\"new_initial_balance\":\"90000\",\"amount\":\"70000\","
                        + "\"key_hash\":\"" + PaymentKeys.keyHash(KEY) + "\",\"project_ids\":null}",
                "'project_ids' must be an array, not null"
            },
        };
        String before = call("GET", "/public/payment-keys/" + OWNER + "/3/balance", null, null, null)
                .body();
        for (String[] c : cases) {
            HttpResponse<String> refused = call("POST", c[0], c[1], TOKEN, null);
            assertThat(refused.statusCode()).as(c[1]).isEqualTo(422);
            assertThat(ErrorBodies.message(refused.body()))
                    .as(c[1])
                    .isEqualTo("Failed to deserialize the JSON body into the target type: " + c[2]);
        }
        // a number past f64 does not parse at all: axum's 400, in serde_json's words
        HttpResponse<String> huge = call(
                "POST",
                "/payment-keys/init",
                "{\"owner\":1e400,\"nonce\":1,\"key_hash\":\"" + hash + "\"}",
                TOKEN,
                null);
        assertThat(huge.statusCode()).as(huge.body()).isEqualTo(400);
        assertThat(ErrorBodies.message(huge.body()))
                .isEqualTo("Failed to parse the request body as JSON: number out of range at line 1 column 14");
        assertThat(client.system.httpsCalls().keys().metadata(new PaymentKeys.Id(owner, 1)))
                .as("no key was stored")
                .isEmpty();
        assertThat(call("GET", "/public/payment-keys/" + OWNER + "/3/balance", null, null, null)
                        .body())
                .as("no top-up was applied")
                .isEqualTo(before);
    }

    @Test
    void anExternalWorkerCompletesTheCallOnceAndItIsBilled() throws Exception {
        String key = OWNER + ":3:" + KEY;
        JsonNode pending = ok(call("POST", "/" + project, "{\"input\":{\"x\":1},\"async\":true}", null, key));
        String callId = pending.path("call_id").asText();
        assertThat(ok(call("GET", "/public/payment-keys/" + OWNER + "/3/balance", null, null, null))
                        .path("reserved")
                        .asText())
                .as("the default compute limit, $0.01, is reserved")
                .isEqualTo("10000");

        HttpResponse<String> polled =
                call("GET", "/executions/poll?capabilities=compilation,execution&timeout=5", null, TOKEN, null);
        JsonNode task = ok(polled);
        assertThat(task.path("is_https_call").asBoolean()).isTrue();
        assertThat(task.path("call_id").asText()).isEqualTo(callId);
        assertThat(task.path("data_id").asText()).isEqualTo(callId);
        assertThat(task.path("project_id").asText()).isEqualTo(project);
        assertThat(task.path("project_uuid").asText()).matches("p[0-9a-f]{16}");
        assertThat(task.path("payment_key_owner").asText()).isEqualTo(OWNER);
        assertThat(task.path("payment_key_nonce").asLong()).isEqualTo(3);
        assertThat(task.path("response_format").asText()).isEqualTo("Json");
        assertThat(task.path("request_id").asLong()).isGreaterThanOrEqualTo(100_000_000_000L);

        String report = "{\"call_id\":\"" + callId + "\",\"success\":true,\"output\":{\"done\":true},"
                + "\"instructions\":2000000,\"time_ms\":1500,\"job_id\":1}";
        // OutLayer's #[serde(default)] u64s: a null is axum's 422 (Jackson alone billed it as 0), nothing finalized
        for (String field : new String[] {"instructions", "time_ms"}) {
            HttpResponse<String> refused = call(
                    "POST",
                    "/https-calls/complete",
                    report.replaceFirst("(\"" + field + "\":)[0-9]+", "$1null"),
                    TOKEN,
                    null);
            assertThat(refused.statusCode()).as(field).isEqualTo(422);
            assertThat(ErrorBodies.message(refused.body()))
                    .isEqualTo("Failed to deserialize the JSON body into the target type: '" + field
                            + "' must be an integer, not null");
        }
        assertThat(call("POST", "/https-calls/complete", report, null, null).statusCode())
                .as("the worker token is required")
                .isEqualTo(401);
        assertThat(ok(call("POST", "/https-calls/complete", report, TOKEN, null))
                        .path("finalized")
                        .asBoolean())
                .isTrue();
        assertThat(ok(call("POST", "/https-calls/complete", report, TOKEN, null))
                        .path("finalized")
                        .asBoolean())
                .isFalse();
        assertThat(call(
                                "POST",
                                "/https-calls/complete",
                                "{\"call_id\":\"00000000-0000-0000-0000-000000000000\",\"success\":true}",
                                TOKEN,
                                null)
                        .statusCode())
                .isEqualTo(404);
        assertThat(call("POST", "/https-calls/complete", "{\"success\":true}", TOKEN, null)
                        .statusCode())
                .as("no call_id: axum's JsonDataError")
                .isEqualTo(422);

        JsonNode done = ok(call("GET", "/calls/" + callId, null, null, key));
        assertThat(done.path("status").asText()).isEqualTo("completed");
        assertThat(done.path("output").path("done").asBoolean()).isTrue();
        assertThat(done.path("compute_cost").asText()).isEqualTo("1003"); // 1000 + 2 M instructions + 1 s
        JsonNode balance = ok(call("GET", "/public/payment-keys/" + OWNER + "/3/balance", null, null, null));
        assertThat(balance.path("spent").asText()).isEqualTo("1003");
        assertThat(balance.path("reserved").asText()).isEqualTo("0");
        assertThat(balance.path("available").asText()).isEqualTo("18997");
    }

    /**
     * What a worker reports as {@code output} is answered as OutLayer's coordinator keeps it ({@code
     * complete_https_call}: {@code Option<serde_json::Value>}, {@code to_string} into {@code output_data} whether
     * the run succeeded or not; {@code get_call_result} reads it back and answers it): members sorted by key,
     * serde_json's numbers and escapes; a JSON {@code null} is serde's {@code None}, no output at all.
     */
    @Test
    void theReportedOutputIsAnsweredAsSerdeJsonWritesIt() throws Exception {
        String key = fundedKey("output-payer.test.near", "4f".repeat(32));
        String[][] cases = {
            // success, output reported, what GET /calls/{id} answers after "status"
            {
                "true",
                "{\"b\":[2e3,1e-7,-0.0,18446744073709551616],\"a\":\"\\u001F\\/\"}",
                ",\"output\":{\"a\":\"\\u001f/\",\"b\":[2000.0,1e-7,-0.0,1.8446744073709552e19]},\"compute_cost\":"
            },
            {"true", "null", ",\"compute_cost\":"},
            {
                "false",
                "{\"partial\":1,\"done\":false}",
                ",\"output\":{\"done\":false,\"partial\":1},\"error\":\"trap\",\"compute_cost\":"
            },
        };
        for (String[] c : cases) {
            String callId = ok(call("POST", "/call/" + project, "{\"input\":1,\"async\":true}", null, key))
                    .path("call_id")
                    .asText();
            JsonNode task =
                    ok(call("GET", "/executions/poll?capabilities=compilation,execution&timeout=5", null, TOKEN, null));
            assertThat(task.path("call_id").asText()).isEqualTo(callId);
            ok(call(
                    "POST",
                    "/https-calls/complete",
                    "{\"call_id\":\"" + callId + "\",\"success\":" + c[0] + ",\"output\":" + c[1]
                            + (c[0].equals("true") ? "" : ",\"error\":\"trap\"") + ",\"job_id\":1}",
                    TOKEN,
                    null));
            HttpResponse<String> polled = call("GET", "/calls/" + callId, null, null, key);
            assertThat(polled.statusCode()).isEqualTo(200);
            assertThat(polled.body())
                    .as(c[1])
                    .startsWith("{\"call_id\":\"" + callId + "\",\"status\":\""
                            + (c[0].equals("true") ? "completed" : "failed") + "\"" + c[2]);
        }
    }

    /**
     * What the program reads, as OutLayer's {@code HttpsCallRequest.input} (a {@code serde_json::Value}, no serde
     * default) becomes the task's {@code input_data} ({@code serde_json::to_string}): JSON null is the text
     * {@code null}, a string its JSON text, an object its members sorted by key with serde_json's numbers; a body
     * without {@code input} is serde's 422 and reserves nothing.
     */
    @Test
    void theInputReachesTheProgramAsSerdeJsonWritesTheValue() throws Exception {
        String owner = "input-payer.test.near";
        String key = fundedKey(owner, "3e".repeat(32));
        String balance = "/public/payment-keys/" + owner + "/1/balance";

        HttpResponse<String> missing = call("POST", "/call/" + project, "{\"async\":true}", null, key);
        assertThat(missing.statusCode()).as(missing.body()).isEqualTo(422);
        assertThat(ErrorBodies.message(missing.body()))
                .isEqualTo("Failed to deserialize the JSON body into the target type: missing field `input`");
        assertThat(ok(call("GET", balance, null, null, null)).path("reserved").asText())
                .as("nothing reserved for the refused call")
                .isEqualTo("0");

        String[][] cases = {
            {"null", "null"},
            {"\"abc\"", "\"abc\""},
            {"\"tab\\there\\u001F\"", "\"tab\\there\\u001f\""},
            {"{\"b\":1,\"a\":{\"y\":2e3,\"x\":[1.0,1e-7]}}", "{\"a\":{\"x\":[1.0,1e-7],\"y\":2000.0},\"b\":1}"},
            {"[3,\"c\",{\"z\":true,\"m\":null}]", "[3,\"c\",{\"m\":null,\"z\":true}]"},
        };
        for (String[] c : cases) {
            JsonNode pending =
                    ok(call("POST", "/call/" + project, "{\"input\":" + c[0] + ",\"async\":true}", null, key));
            String callId = pending.path("call_id").asText();
            JsonNode task =
                    ok(call("GET", "/executions/poll?capabilities=compilation,execution&timeout=5", null, TOKEN, null));
            assertThat(task.path("call_id").asText()).as(c[0]).isEqualTo(callId);
            assertThat(task.path("input_data").asText()).as(c[0]).isEqualTo(c[1]);
            ok(call(
                    "POST",
                    "/https-calls/complete",
                    "{\"call_id\":\"" + callId + "\",\"success\":true,\"output\":{},\"job_id\":1}",
                    TOKEN,
                    null));
        }
        assertThat(ok(call("GET", balance, null, null, null)).path("reserved").asText())
                .as("every call finalized")
                .isEqualTo("0");
    }
}
