package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.contracts.Action;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.payments.PaymentKeys;
import dev.outlayer.bench.targetsystem.rpc.Base58;
import dev.outlayer.bench.targetsystem.testing.ErrorBodies;
import dev.outlayer.bench.targetsystem.transactions.SignedTransaction;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OutLayer's HTTPS API end to end on the embedded system: a project created on the contract
 * (create_project, signed and sent through the RPC emulator), a payment key made known to the
 * coordinator as OutLayer's worker reports it (/payment-keys/init, /topup/complete), then calls of
 * POST /{owner}/{project} that the in-process workers run (the same queues, jobs and phases as
 * on-chain requests) and complete with the coordinator: sync and async answers, GET /calls/{id},
 * billing, and OutLayer's error statuses with nothing changed.
 */
class HttpsCallEndToEndTest {
    private static final String TOKEN = "https-call-worker-token-0123456789";
    private static final String KEY = "5a".repeat(32);
    private static final String OWNER = "payer.test.near";
    private static LifecycleClient client;
    private static String project;
    private static final AtomicLong nonce = new AtomicLong(100);

    @BeforeAll
    static void start() throws Exception {
        TargetOptions options = LifecycleClient.fastBlocks(2);
        options.workerToken = TOKEN;
        client = new LifecycleClient(options).outcomesOnceExecuted();
        String echo = client.upload("echo_json");
        project = client.user.signerId() + "/echo";
        JsonNode created = createProject(client, nonce.incrementAndGet(), "echo", echo);
        assertThat(created.path("status").has("SuccessValue"))
                .as(created.toString())
                .isTrue();
        JsonNode init = post(
                "/payment-keys/init",
                "{\"owner\":\"" + OWNER + "\",\"nonce\":1,\"key_hash\":\"" + PaymentKeys.keyHash(KEY) + "\"}",
                List.of("Authorization", "Bearer " + TOKEN),
                200);
        assertThat(init.path("created").asBoolean()).isTrue();
        post(
                "/topup/complete",
                "{\"owner\":\"" + OWNER + "\",\"nonce\":1,\"new_initial_balance\":\"50000\",\"amount\":\"50000\","
                        + "\"key_hash\":\"" + PaymentKeys.keyHash(KEY) + "\",\"project_ids\":[]}",
                List.of("Authorization", "Bearer " + TOKEN),
                200);
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    /** Signs create_project {name, source: WasmUrl of the program} and waits for its final outcome. */
    static JsonNode createProject(LifecycleClient client, long nonce, String name, String sha256) throws Exception {
        String args = "{\"name\":\"" + name + "\",\"source\":{\"WasmUrl\":{\"url\":\"https://example.org/" + name
                + ".wasm\",\"hash\":\"" + sha256 + "\"}}}";
        return callOutlayer(client, nonce, "create_project", args);
    }

    /** Signs a call of the OutLayer contract by the client's user (0.01 NEAR attached); its outcome (LifecycleClient.outcomeOf). */
    static JsonNode callOutlayer(LifecycleClient client, long nonce, String method, String args) throws Exception {
        byte[] blockHash = Base58.decode(client.rpc("block", "{\"finality\":\"final\"}")
                .path("header")
                .path("hash")
                .asText());
        byte[] signed = client.user.sign(
                "outlayer.test.near",
                nonce,
                blockHash,
                List.of(new Action.FunctionCall(
                        method, args.getBytes(StandardCharsets.UTF_8), LifecycleClient.GAS, LifecycleClient.DEPOSIT)));
        client.rpc(
                "send_tx",
                "{\"signed_tx_base64\":\"" + Base64.getEncoder().encodeToString(signed)
                        + "\",\"wait_until\":\"INCLUDED\"}");
        return client.outcomeOf(SignedTransaction.decode(signed).hashText(), client.user.signerId(), method);
    }

    private static HttpResponse<String> send(String method, String path, String body, List<String> headers)
            throws Exception {
        return client.send(method, path, body, headers);
    }

    private static JsonNode post(String path, String body, List<String> headers, int status) throws Exception {
        return client.send("POST", path, body, headers, status);
    }

    private static JsonNode balance() throws Exception {
        HttpResponse<String> response = send("GET", "/public/payment-keys/" + OWNER + "/1/balance", null, List.of());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JsonCodec.MAPPER.readTree(response.body());
    }

    private static List<String> key() {
        return List.of("X-Payment-Key", OWNER + ":1:" + KEY);
    }

    @Test
    void aSyncCallRunsTheProjectsActiveVersionAndIsBilled() throws Exception {
        JsonNode before = balance();
        // OutLayer's path (its router's /call/...); the other tests use the bare form this stand-in also serves
        JsonNode answer = post("/call/" + project, "{\"input\":{\"answer\":42}}", key(), 200);

        assertThat(answer.path("status").asText()).as(answer.toString()).isEqualTo("completed");
        assertThat(answer.path("output").path("program").asText()).isEqualTo("echo_json");
        assertThat(answer.path("output").path("input").path("answer").asInt()).isEqualTo(42);
        assertThat(answer.path("output").path("sender").asText())
                .as("the key's owner runs it")
                .isEqualTo(OWNER);
        long instructions = answer.path("instructions").asLong();
        long timeMs = answer.path("time_ms").asLong();
        assertThat(instructions).isPositive();
        long cost = 1000 + instructions / 1_000_000 + timeMs / 1000;
        assertThat(answer.path("compute_cost").asText()).isEqualTo(Long.toString(cost));
        assertThat(answer.has("poll_url")).isFalse();

        JsonNode after = balance();
        assertThat(after.path("spent").asLong() - before.path("spent").asLong()).isEqualTo(cost);
        assertThat(after.path("reserved").asLong()).isZero();
        assertThat(after.path("initial_balance").asText()).isEqualTo("50000");

        // the same workers and phases as on-chain requests
        HttpResponse<String> poll =
                send("GET", "/calls/" + answer.path("call_id").asText(), null, key());
        assertThat(poll.statusCode()).isEqualTo(200);
        assertThat(JsonCodec.MAPPER.readTree(poll.body()).path("status").asText())
                .isEqualTo("completed");
    }

    /**
     * The program's output is answered as OutLayer's coordinator keeps it: the worker's serde_json::Value,
     * {@code to_string} into {@code output_data}, read back and answered by serde_json without preserve_order
     * (members sorted by key, ryu's numbers, serde's escapes), the same in the sync answer, a poll and an async
     * call's poll: not the program's text (echo_json writes program, input_bytes, sender, input).
     */
    @Test
    void theOutputIsAnsweredAsSerdeJsonWritesIt() throws Exception {
        String body = "{\"input\":{\"z\":[1e-7,2e3,1.50],\"m\":{\"y\":100000000000000000000,\"x\":\"\\u00e9\\u001F\"}}";
        // the program reads the input sorted, its numbers and escapes serde_json's: 53 bytes (the e-acute two)
        String output = "{\"input\":{\"m\":{\"x\":\"\u00e9\\u001f\",\"y\":1e20},\"z\":[1e-7,2000.0,1.5]},"
                + "\"input_bytes\":53,\"program\":\"echo_json\",\"sender\":\"" + OWNER + "\"}";
        HttpResponse<String> sync = send("POST", "/" + project, body + "}", key());
        assertThat(sync.statusCode()).as(sync.body()).isEqualTo(200);
        assertThat(sync.body()).contains(",\"output\":" + output + ",\"compute_cost\":");
        String callId = JsonCodec.MAPPER.readTree(sync.body()).path("call_id").asText();
        HttpResponse<String> polled = send("GET", "/calls/" + callId, null, key());
        assertThat(polled.body()).contains(",\"output\":" + output + ",\"compute_cost\":");

        String pollUrl = JsonCodec.MAPPER
                .readTree(send("POST", "/" + project, body + ",\"async\":true}", key())
                        .body())
                .path("poll_url")
                .asText();
        HttpResponse<String> async = null;
        for (int i = 0; i < 60; i++) {
            async = send("GET", pollUrl, null, key());
            if (!async.body().contains("\"status\":\"pending\"")) {
                break;
            }
            Thread.sleep(Math.min(50L << i, 400));
        }
        assertThat(async.body()).contains(",\"output\":" + output + ",\"compute_cost\":");
    }

    @Test
    void aWorkerResolvesTheProjectsUuidAsOutLayersProjectRoutesAnswer() throws Exception {
        JsonNode onChain = client.view("outlayer.test.near", "get_project", "{\"project_id\":\"" + project + "\"}");
        List<String> worker = List.of("Authorization", "Bearer " + TOKEN);
        String path = "/projects/uuid?project_id=" + project;
        JsonNode first = client.send("GET", path, null, worker, 200);
        assertThat(first.path("project_id").asText()).isEqualTo(project);
        assertThat(first.path("uuid").asText())
                .isNotEmpty()
                .isEqualTo(onChain.path("uuid").asText());
        assertThat(first.path("active_version").asText())
                .isEqualTo(onChain.path("active_version").asText());
        assertThat(first.path("cached").asBoolean()).isFalse();
        assertThat(client.send("GET", path, null, worker, 200).path("cached").asBoolean())
                .as("a uuid never changes: kept after the first answer")
                .isTrue();
        HttpResponse<String> invalidated = send("DELETE", "/projects/cache?project_id=" + project, null, worker);
        assertThat(invalidated.statusCode()).isEqualTo(204);
        assertThat(client.send("GET", path, null, worker, 200).path("cached").asBoolean())
                .isFalse();

        HttpResponse<String> unknown = send("GET", "/projects/uuid?project_id=nobody.test.near/none", null, worker);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(ErrorBodies.message(unknown.body())).isEqualTo("Project not found: nobody.test.near/none");
        HttpResponse<String> noId = send("GET", "/projects/uuid", null, worker);
        assertThat(noId.statusCode()).isEqualTo(400);
        assertThat(ErrorBodies.message(noId.body()))
                .isEqualTo("Failed to deserialize query string: missing field `project_id`");
        assertThat(send("GET", path, null, List.of()).statusCode()).isEqualTo(401);
        assertThat(send("DELETE", "/projects/cache?project_id=" + project, null, List.of())
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void anAsyncCallAnswersPendingAndIsPolledToItsResult() throws Exception {
        JsonNode pending = post("/" + project, "{\"input\":[1,2,3],\"async\":true}", key(), 200);
        assertThat(pending.path("status").asText()).isEqualTo("pending");
        String pollUrl = pending.path("poll_url").asText();
        assertThat(pollUrl).isEqualTo("/calls/" + pending.path("call_id").asText());
        JsonNode result = null;
        // polls back off to 400 ms, so that they stay well under the API's 100 requests a minute per address
        for (int i = 0; i < 60; i++) {
            HttpResponse<String> poll = send("GET", pollUrl, null, key());
            assertThat(poll.statusCode()).as(poll.body()).isEqualTo(200);
            result = JsonCodec.MAPPER.readTree(poll.body());
            if (!result.path("status").asText().equals("pending")) {
                break;
            }
            Thread.sleep(Math.min(50L << i, 400));
        }
        assertThat(result.path("status").asText()).as(String.valueOf(result)).isEqualTo("completed");
        assertThat(result.path("output").path("input")).hasSize(3);
        assertThat(result.path("compute_cost").asLong()).isGreaterThanOrEqualTo(1000);
    }

    @Test
    void refusedCallsAnswerOutLayersErrorsAndChangeNothing() throws Exception {
        JsonNode before = balance();
        HttpResponse<String> missing = send("POST", "/" + project, "{\"input\":1}", List.of());
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(JsonCodec.MAPPER.readTree(missing.body()).path("error").asText())
                .isEqualTo("Missing X-Payment-Key header");
        assertThat(send("POST", "/" + project, "{\"input\":1}", List.of("X-Payment-Key", "nope"))
                        .statusCode())
                .isEqualTo(400);
        assertThat(send(
                                "POST",
                                "/" + project,
                                "{\"input\":1}",
                                List.of("X-Payment-Key", OWNER + ":1:" + "0".repeat(64)))
                        .statusCode())
                .isEqualTo(401);
        HttpResponse<String> poor = send(
                "POST",
                "/" + project,
                "{\"input\":1}",
                List.of("X-Payment-Key", OWNER + ":1:" + KEY, "X-Compute-Limit", "999999"));
        assertThat(poor.statusCode()).isEqualTo(402);
        assertThat(JsonCodec.MAPPER.readTree(poor.body()).path("error").asText())
                .startsWith("Insufficient balance: available=");
        HttpResponse<String> unknown = send("POST", "/" + client.user.signerId() + "/nothing", "{\"input\":1}", key());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JsonCodec.MAPPER.readTree(unknown.body()).path("error").asText())
                .isEqualTo("Project not found");
        // names longer than the contract's storage keys can be (the view panics: KeyLengthExceeded) name nothing
        HttpResponse<String> tooLong =
                send("POST", "/" + client.user.signerId() + "/" + "p".repeat(3000), "{\"input\":1}", key());
        assertThat(tooLong.statusCode()).as(tooLong.body()).isEqualTo(404);
        assertThat(JsonCodec.MAPPER.readTree(tooLong.body()).path("error").asText())
                .isEqualTo("Project not found");
        HttpResponse<String> longVersion =
                send("POST", "/" + project, "{\"input\":1,\"version_key\":\"" + "v".repeat(3000) + "\"}", key());
        assertThat(longVersion.statusCode()).as(longVersion.body()).isEqualTo(404);
        assertThat(JsonCodec.MAPPER.readTree(longVersion.body()).path("error").asText())
                .startsWith("Project version not found: ");
        HttpResponse<String> noInput = send("POST", "/" + project, "{\"async\":true}", key());
        assertThat(noInput.statusCode()).as(noInput.body()).isEqualTo(422);
        assertThat(ErrorBodies.message(noInput.body()))
                .isEqualTo("Failed to deserialize the JSON body into the target type: missing field `input`");
        assertThat(send("POST", "/" + project, "not json", key()).statusCode()).isEqualTo(400);
        assertThat(send("GET", "/calls/not-a-uuid", null, key()).statusCode()).isEqualTo(400);
        assertThat(send(
                                "POST",
                                "/payment-keys/init",
                                "{\"owner\":\"x.near\",\"nonce\":1,\"key_hash\":\"ab\"}",
                                List.of())
                        .statusCode())
                .as("worker routes need the worker token")
                .isEqualTo(401);
        for (String owner : List.of("a\\u0000b.near", "a..b.near", "Alice.near")) {
            HttpResponse<String> notAnAccount = send(
                    "POST",
                    "/payment-keys/init",
                    "{\"owner\":\"" + owner + "\",\"nonce\":1,\"key_hash\":\"" + "ab".repeat(32) + "\"}",
                    List.of("Authorization", "Bearer " + TOKEN));
            assertThat(notAnAccount.statusCode()).as(notAnAccount.body()).isEqualTo(422);
            assertThat(ErrorBodies.message(notAnAccount.body()))
                    .startsWith(
                            "Failed to deserialize the JSON body into the target type: owner must be a NEAR account id: ");
        }
        JsonNode after = balance();
        assertThat(after.path("spent")).isEqualTo(before.path("spent"));
        assertThat(after.path("reserved").asLong()).isZero();
    }

    /**
     * OutLayer's call.rs reads {@code X-Wallet-Id} (for its custody wallets) and refuses one that is not
     * {@code ed25519:...} or {@code secp256k1:...} before anything else about the call; its words, a 400
     * here (OutLayer: 500), nothing changed. A well-formed one is taken and the call runs.
     */
    @Test
    void aWalletIdIsCheckedForItsFormBeforeAnythingIsCounted() throws Exception {
        JsonNode before = balance();
        for (String bad : List.of("nope", "ed25519", "rsa:00ff", "ED25519:00ff")) {
            HttpResponse<String> refused = send(
                    "POST",
                    "/" + project,
                    "{\"input\":1}",
                    List.of("X-Payment-Key", OWNER + ":1:" + KEY, "X-Wallet-Id", bad));
            assertThat(refused.statusCode()).as(bad + " " + refused.body()).isEqualTo(400);
            assertThat(ErrorBodies.message(refused.body()))
                    .isEqualTo("Invalid X-Wallet-Id format. Expected 'ed25519:<hex>' or 'secp256k1:<hex>'");
        }
        assertThat(balance()).as("refused: nothing reserved or spent").isEqualTo(before);
        for (String good : List.of("ed25519:" + "ab".repeat(32), "secp256k1:" + "cd".repeat(33))) {
            JsonNode answer = post(
                    "/" + project,
                    "{\"input\":7}",
                    List.of("X-Payment-Key", OWNER + ":1:" + KEY, "X-Wallet-Id", good),
                    200);
            assertThat(answer.path("status").asText()).as(answer.toString()).isEqualTo("completed");
        }
    }

    /**
     * OutLayer's HTTPS API router takes bodies up to 10 MB ({@code DefaultBodyLimit::max(10 * 1024 *
     * 1024)}), whatever {@code --max-body-bytes} says of the stand-in's other client routes: a 2 MiB
     * input is taken and run, one past 10 MiB is 413 with nothing reserved.
     */
    @Test
    void theHttpsApiTakesOutLayersTenMegabyteBodies() throws Exception {
        // taken and run: the echo's 2 MiB answer is then the worker's to refuse (its 1 MiB stdout limit)
        JsonNode answer = post("/" + project, "{\"input\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}", key(), 200);
        assertThat(answer.path("status").asText()).as("%s", answer).isEqualTo("failed");
        assertThat(answer.path("error").asText()).isEqualTo("Execution failed: stdout exceeded 1048576 bytes");

        JsonNode before = balance();
        HttpResponse<String> tooLarge =
                send("POST", "/" + project, "{\"input\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}", key());
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(balance()).isEqualTo(before);
    }

    @Test
    void aVersionWhoseWasmDoesNotCompileFailsTheCallWhichIsChargedItsBaseFee() throws Exception {
        JsonNode created = createProject(client, nonce.incrementAndGet(), "broken", "ee".repeat(32));
        assertThat(created.path("status").has("SuccessValue"))
                .as(created.toString())
                .isTrue();
        JsonNode before = balance();
        JsonNode answer = post("/" + client.user.signerId() + "/broken", "{\"input\":{}}", key(), 200);

        assertThat(answer.path("status").asText()).as(answer.toString()).isEqualTo("failed");
        assertThat(answer.path("error").asText()).startsWith("Compilation failed");
        assertThat(answer.has("output")).isFalse();
        assertThat(answer.path("compute_cost").asText()).isEqualTo("1000");
        JsonNode after = balance();
        assertThat(after.path("spent").asLong() - before.path("spent").asLong()).isEqualTo(1000);
        assertThat(after.path("reserved").asLong()).isZero();
    }

    @Test
    void anOnChainRequestWithTheProjectAsItsSourceRunsTheSameCode() throws Exception {
        JsonNode outcome = callOutlayer(
                client,
                nonce.incrementAndGet(),
                "request_execution",
                "{\"source\":{\"Project\":{\"project_id\":\"" + project + "\"}},"
                        + "\"resource_limits\":{\"max_instructions\":100000000000,\"max_execution_seconds\":10},"
                        + "\"input_data\":\"{\\\"via\\\":\\\"chain\\\"}\",\"response_format\":\"Json\"}");
        String value = new String(
                Base64.getDecoder()
                        .decode(outcome.path("status").path("SuccessValue").asText()),
                StandardCharsets.UTF_8);
        JsonNode output = JsonCodec.MAPPER.readTree(value);
        assertThat(output.path("program").asText()).as(outcome.toString()).isEqualTo("echo_json");
        assertThat(output.path("input").path("via").asText()).isEqualTo("chain");
    }

    /**
     * The worker's environment per job (its merge_env_vars): an on-chain request sees its own block,
     * receipt, transaction, deposit and project; an HTTPS call runs for the key's owner with its call
     * id and X-Attached-Deposit, the chain's variables empty.
     */
    @Test
    void eachJobRunsWithTheVariablesOfItsOwnRequest() throws Exception {
        String envJson = client.upload("env_json");
        JsonNode created = createProject(client, nonce.incrementAndGet(), "env", envJson);
        assertThat(created.path("status").has("SuccessValue"))
                .as(created.toString())
                .isTrue();
        String envProject = client.user.signerId() + "/env";

        JsonNode outcome = callOutlayer(
                client,
                nonce.incrementAndGet(),
                "request_execution",
                "{\"source\":{\"Project\":{\"project_id\":\"" + envProject + "\"}},"
                        + "\"resource_limits\":{\"max_instructions\":100000000000,\"max_execution_seconds\":10},"
                        + "\"input_data\":\"{}\",\"response_format\":\"Json\"}");
        JsonNode onChain = JsonCodec.MAPPER.readTree(Base64.getDecoder()
                .decode(outcome.path("status").path("SuccessValue").asText()));
        assertThat(onChain.path("OUTLAYER_EXECUTION_TYPE").asText())
                .as(outcome.toString())
                .isEqualTo("NEAR");
        assertThat(onChain.path("NEAR_SENDER_ID").asText()).isEqualTo(client.user.signerId());
        assertThat(onChain.path("NEAR_PREDECESSOR_ID").asText()).isEqualTo(client.user.signerId());
        assertThat(onChain.path("NEAR_CONTRACT_ID").asText()).isEqualTo("outlayer.test.near");
        assertThat(onChain.path("NEAR_TRANSACTION_HASH").asText())
                .isEqualTo(outcome.path("transaction").path("hash").asText());
        assertThat(onChain.path("NEAR_PAYMENT_YOCTO").asText()).isEqualTo(LifecycleClient.DEPOSIT.toString());
        assertThat(onChain.path("ATTACHED_USD").asText()).isEqualTo("0");
        assertThat(onChain.path("USD_PAYMENT").asText()).isEqualTo("0");
        assertThat(onChain.path("OUTLAYER_PROJECT_ID").asText()).isEqualTo(envProject);
        assertThat(onChain.path("OUTLAYER_PROJECT_OWNER").asText()).isEqualTo(client.user.signerId());
        assertThat(onChain.path("OUTLAYER_PROJECT_NAME").asText()).isEqualTo("env");
        assertThat(onChain.path("OUTLAYER_PROJECT_UUID").asText()).matches("p[0-9a-f]{16}");
        // the block and receipt of the request itself, not the latest block when the worker ran it
        JsonNode requestReceipt = null;
        for (JsonNode receipt : outcome.path("receipts_outcome")) {
            if (receipt.path("id")
                    .asText()
                    .equals(onChain.path("NEAR_RECEIPT_ID").asText())) {
                requestReceipt = receipt;
            }
        }
        assertThat(requestReceipt)
                .as("NEAR_RECEIPT_ID is one of the transaction's receipts")
                .isNotNull();
        JsonNode block = client.rpc(
                "block", "{\"block_id\":\"" + requestReceipt.path("block_hash").asText() + "\"}");
        assertThat(onChain.path("NEAR_BLOCK_HEIGHT").asText())
                .isEqualTo(block.path("header").path("height").asText());
        assertThat(onChain.path("NEAR_BLOCK_TIMESTAMP").asText()).matches("[1-9][0-9]{18}");

        JsonNode https = post(
                "/" + envProject,
                "{\"input\":{}}",
                List.of("X-Payment-Key", OWNER + ":1:" + KEY, "X-Attached-Deposit", "25"),
                200);
        assertThat(https.path("status").asText()).as(https.toString()).isEqualTo("completed");
        JsonNode env = https.path("output");
        assertThat(env.path("OUTLAYER_EXECUTION_TYPE").asText()).isEqualTo("HTTPS");
        assertThat(env.path("NEAR_SENDER_ID").asText()).isEqualTo(OWNER);
        assertThat(env.path("NEAR_USER_ACCOUNT_ID").asText()).isEqualTo(OWNER);
        assertThat(env.path("OUTLAYER_CALL_ID").asText())
                .isEqualTo(https.path("call_id").asText());
        assertThat(env.path("USD_PAYMENT").asText()).isEqualTo("25");
        assertThat(env.path("ATTACHED_USD").asText()).isEqualTo("0");
        assertThat(env.path("NEAR_PAYMENT_YOCTO").asText()).isEqualTo("0");
        for (String empty : List.of("NEAR_BLOCK_HEIGHT", "NEAR_CONTRACT_ID", "NEAR_RECEIPT_ID", "NEAR_REQUEST_ID")) {
            assertThat(env.path(empty).isTextual()).as(empty).isTrue();
            assertThat(env.path(empty).asText()).as(empty).isEmpty();
        }
        assertThat(env.path("OUTLAYER_PROJECT_ID").asText()).isEqualTo(envProject);
    }

    @Test
    void aDepositIsServedInTheKeysUsageAndTheOwnersHistoryAndWithdrawnByTheOperator() throws Exception {
        String projectOwner = client.user.signerId();
        List<String> paid = List.of("X-Payment-Key", OWNER + ":1:" + KEY, "X-Attached-Deposit", "300");
        JsonNode answer = post("/" + project, "{\"input\":{\"pay\":true}}", paid, 200);
        assertThat(answer.path("status").asText()).as(answer.toString()).isEqualTo("completed");
        String callId = answer.path("call_id").asText();

        JsonNode usage =
                client.send("GET", "/public/payment-keys/" + OWNER + "/1/usage?limit=100", null, List.of(), 200);
        assertThat(usage.path("limit").asLong()).isEqualTo(100);
        assertThat(usage.path("offset").asLong()).isZero();
        assertThat(usage.path("total").asLong()).isGreaterThanOrEqualTo(1);
        JsonNode row = find(usage.path("usage"), callId);
        assertThat(row.path("project_id").asText()).isEqualTo(project);
        assertThat(row.path("attached_deposit").asText()).isEqualTo("300");
        assertThat(row.path("compute_cost").asText())
                .isEqualTo(answer.path("compute_cost").asText());
        assertThat(row.path("status").asText()).isEqualTo("completed");
        assertThat(row.path("id").isTextual()).as("OutLayer's id is a string").isTrue();
        assertThat(java.time.Instant.parse(row.path("created_at").asText())).isNotNull();

        JsonNode history = client.send(
                "GET", "/public/project-earnings/" + projectOwner + "/history?source=https", null, List.of(), 200);
        assertThat(history.path("project_owner").asText()).isEqualTo(projectOwner);
        JsonNode earning = find(history.path("earnings"), callId);
        assertThat(earning.path("amount").asText()).isEqualTo("300");
        assertThat(earning.path("attached_usd").asText()).isEqualTo("300");
        assertThat(earning.path("refund_usd").asText()).isEqualTo("0");
        assertThat(earning.path("source").asText()).isEqualTo("https");
        assertThat(earning.path("payment_key_owner").asText()).isEqualTo(OWNER);
        assertThat(earning.path("payment_key_nonce").asLong()).isEqualTo(1);
        assertThat(earning.has("tx_hash")).as("a blockchain member, absent").isFalse();
        assertThat(client.send(
                                "GET",
                                "/public/project-earnings/" + projectOwner + "/history?limit=x",
                                null,
                                List.of(),
                                400)
                        .path("error")
                        .asText())
                .isEqualTo("limit must be an integer");

        long balance = earnings(projectOwner);
        String operator = "Bearer " + TOKEN;
        client.send(
                "POST",
                "/project-earnings/withdraw",
                "{\"project_owner\":\"" + projectOwner + "\",\"amount\":\"100\"}",
                List.of(),
                401);
        JsonNode over = client.send(
                "POST",
                "/project-earnings/withdraw",
                "{\"project_owner\":\"" + projectOwner + "\",\"amount\":\"" + (balance + 1) + "\"}",
                List.of("Authorization", operator),
                402);
        assertThat(over.path("error").asText())
                .isEqualTo("Insufficient balance: available=" + balance + ", required=" + (balance + 1));
        JsonNode withdrawal = client.send(
                "POST",
                "/project-earnings/withdraw",
                "{\"project_owner\":\"" + projectOwner + "\",\"amount\":\"100\"}",
                List.of("Authorization", operator),
                200);
        assertThat(withdrawal.path("status").asText()).isEqualTo("pending");
        assertThat(withdrawal.path("amount").asText()).isEqualTo("100");
        assertThat(earnings(projectOwner)).isEqualTo(balance - 100);
        long id = withdrawal.path("id").asLong();
        String completion = "{\"withdrawal_id\":" + id + ",\"success\":true,\"tx_hash\":\"Payout1\"}";
        JsonNode done = client.send(
                "POST", "/project-earnings/withdrawals/complete", completion, List.of("Authorization", operator), 200);
        assertThat(done.path("finalized").asBoolean()).isTrue();
        assertThat(done.path("withdrawal").path("status").asText()).isEqualTo("completed");
        assertThat(done.path("withdrawal").path("tx_hash").asText()).isEqualTo("Payout1");
        assertThat(client.send(
                                "POST",
                                "/project-earnings/withdrawals/complete",
                                completion,
                                List.of("Authorization", operator),
                                200)
                        .path("finalized")
                        .asBoolean())
                .isFalse();
        client.send(
                "POST",
                "/project-earnings/withdrawals/complete",
                "{\"withdrawal_id\":987654,\"success\":false}",
                List.of("Authorization", operator),
                404);
        JsonNode listed =
                client.send("GET", "/public/project-earnings/" + projectOwner + "/withdrawals", null, List.of(), 200);
        assertThat(listed.path("total_count").asLong()).isEqualTo(1);
        assertThat(listed.path("withdrawals").get(0).path("id").asLong()).isEqualTo(id);
        assertThat(earnings(projectOwner)).isEqualTo(balance - 100);
    }

    private static long earnings(String projectOwner) throws Exception {
        return client.send("GET", "/public/project-earnings/" + projectOwner, null, List.of(), 200)
                .path("balance")
                .asLong();
    }

    /** The row of a listing whose call_id is {@code callId}. */
    private static JsonNode find(JsonNode rows, String callId) {
        for (JsonNode row : rows) {
            if (row.path("call_id").asText().equals(callId)) {
                return row;
            }
        }
        throw new AssertionError("no row of call " + callId + " in " + rows);
    }

    /**
     * OutLayer's {@code input} is a {@code serde_json::Value}: {@code "input": null} is taken and the program reads
     * {@code null} (4 bytes), a string is its JSON text; a body without {@code input} is refused (above).
     */
    @Test
    void aNullInputIsRunAndTheProgramReadsNull() throws Exception {
        JsonNode nothing = post("/" + project, "{\"input\":null}", key(), 200);
        assertThat(nothing.path("status").asText()).as(nothing.toString()).isEqualTo("completed");
        assertThat(nothing.path("output").path("input_bytes").asInt()).isEqualTo(4);
        assertThat(nothing.path("output").has("input")).isTrue();
        assertThat(nothing.path("output").path("input").isNull()).isTrue();

        JsonNode text = post("/" + project, "{\"input\":\"abc\"}", key(), 200);
        assertThat(text.path("output").path("input_bytes").asInt())
                .as("the string's JSON text, quotes included")
                .isEqualTo(5);
        assertThat(text.path("output").path("input").asText()).isEqualTo("abc");
    }

    @Test
    void theKeysOwnBalanceSaysWhetherItIsAGrant() throws Exception {
        HttpResponse<String> response = send("GET", "/payment-keys/balance", null, key());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode balance = JsonCodec.MAPPER.readTree(response.body());
        assertThat(balance.path("is_grant").asBoolean()).isFalse();
        assertThat(balance.path("owner").asText()).isEqualTo(OWNER);
        assertThat(send("GET", "/payment-keys/balance", null, List.of("X-Payment-Key", OWNER + ":1:" + "0".repeat(64)))
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void theApisClientRoutesShareOutLayersLimitOf100RequestsAMinutePerAddress() throws Exception {
        List<String> address = List.of("X-Forwarded-For", "203.0.113.40, 10.0.0.1");
        List<String> keyFromAddress = List.of(key().get(0), key().get(1), address.get(0), address.get(1));
        JsonNode before = balance();
        // refused requests count too: OutLayer's limiter runs before the payment key is read (here: none, 401)
        for (int i = 0; i < 100; i++) {
            assertThat(send("GET", "/calls/not-a-uuid", null, address).statusCode())
                    .as("request " + (i + 1))
                    .isEqualTo(401);
        }
        for (String[] route : new String[][] {
            {"GET", "/calls/not-a-uuid", null},
            {"GET", "/payment-keys/balance", null},
            {"POST", "/call/" + project, "{\"input\":1}"},
            {"POST", "/" + project, "{\"input\":1}"}
        }) {
            HttpResponse<String> limited = send(route[0], route[1], route[2], keyFromAddress);
            assertThat(limited.statusCode()).as(route[1]).isEqualTo(429);
            assertThat(limited.body()).isEqualTo("Rate limit exceeded: 100 requests/minute allowed. Try again later.");
        }
        assertThat(balance())
                .as("the refused calls reserved and charged nothing")
                .isEqualTo(before);
        // the public balance is outside the group, and another address has a window of its own
        HttpResponse<String> publicBalance = send("GET", "/public/payment-keys/" + OWNER + "/1/balance", null, address);
        assertThat(publicBalance.statusCode()).as(publicBalance.body()).isEqualTo(200);
        HttpResponse<String> other = send(
                "GET", "/payment-keys/balance", null, List.of(key().get(0), key().get(1), "X-Real-IP", "203.0.113.41"));
        assertThat(other.statusCode()).as(other.body()).isEqualTo(200);
    }
}
