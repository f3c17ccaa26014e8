package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.contracts.Action;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.linux.TestPrograms;
import dev.outlayer.bench.targetsystem.rpc.Base58;
import dev.outlayer.bench.targetsystem.transactions.AccountsFeeder;
import dev.outlayer.bench.targetsystem.transactions.TransactionSigner;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OutLayer's execution lifecycle end to end in the embedded stand-in: a user signs
 * request_execution and sends it with send_tx; the coordinator's event monitor sees the event,
 * a worker claims, compiles (or takes the cache), runs the bundled echo_json WASI program and
 * resolves with the operator's signed transaction; the contract's callback returns the output
 * to the user's transaction. Every phase is on the phase API and in /metrics.
 */
class ExecutionLifecycleTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final BigInteger NEAR = new BigInteger("1000000000000000000000000");
    private static final BigInteger DEPOSIT = new BigInteger("10000000000000000000000"); // 0.01 NEAR
    private static final long GAS = 300_000_000_000_000L;
    private static final TransactionSigner USER = TransactionSigner.fromSeed("lifecycle-user.test.near", seed(7));
    private static final AtomicLong NONCE = new AtomicLong();
    private static TargetSystem system;
    private static String echoSha256;

    private static byte[] seed(int value) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) value);
        return seed;
    }

    @BeforeAll
    static void start() throws Exception {
        TargetOptions options = new TargetOptions();
        options.host = "127.0.0.1";
        options.coordinatorPort = 0;
        options.rpcPort = 0;
        options.components = EnumSet.of(TargetOptions.Component.coordinator, TargetOptions.Component.rpc);
        options.tiersFile = TestPrograms.root().resolve("feeders/tiers.csv");
        options.apiKeysFile = TestPrograms.root().resolve("feeders/api-keys.csv");
        options.contractsDir = TestPrograms.root().resolve("resources/contracts");
        options.linuxWorkers = 4;
        options.outlayerWorkers = 2;
        options.shutdownGraceMillis = 1000;
        system = TargetSystem.start(options);
        AccountsFeeder.seed(
                List.of(new AccountsFeeder.Seed(USER.signerId(), USER.publicKey(), NEAR.multiply(BigInteger.TEN))),
                new SimulatorTransactionChain(system.contracts()));
        HttpResponse<String> put = HTTP.send(
                HttpRequest.newBuilder(URI.create(system.coordinatorUrl() + "/programs/echo_json"))
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(TestPrograms.wasm("echo_json")))
                        .header("Content-Type", "application/wasm")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        echoSha256 = JsonCodec.MAPPER.readTree(put.body()).path("sha256").asText();
    }

    @AfterAll
    static void stop() {
        system.close();
    }

    static JsonNode rpc(String method, String params) throws Exception {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}";
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(system.rpcUrl()))
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode answer = JsonCodec.MAPPER.readTree(response.body());
        assertThat(answer.has("error")).as(response.body()).isFalse();
        return answer.path("result");
    }

    static JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(system.coordinatorUrl() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return JsonCodec.MAPPER.readTree(response.statusCode() + "").isInt() && response.statusCode() == 200
                ? JsonCodec.MAPPER.readTree(response.body())
                : JsonCodec.object().put("http_status", response.statusCode());
    }

    /** Signs and sends request_execution; returns the transaction's hash once it is included. */
    static String requestExecution(String input) throws Exception {
        byte[] blockHash = Base58.decode(rpc("block", "{\"finality\":\"final\"}")
                .path("header")
                .path("hash")
                .asText());
        String args = "{\"source\":{\"WasmUrl\":{\"url\":\"https://example.org/echo_json.wasm\",\"hash\":\""
                + echoSha256
                + "\",\"build_target\":\"wasm32-wasip1\"}},"
                + "\"resource_limits\":{\"max_instructions\":1000000000,\"max_memory_mb\":64,\"max_execution_seconds\":10},"
                + "\"input_data\":" + JsonCodec.MAPPER.writeValueAsString(input) + ",\"response_format\":\"Json\"}";
        byte[] signed = USER.sign(
                "outlayer.test.near",
                NONCE.incrementAndGet(),
                blockHash,
                List.of(new Action.FunctionCall(
                        "request_execution", args.getBytes(StandardCharsets.UTF_8), GAS, DEPOSIT)));
        JsonNode sent = rpc(
                "send_tx",
                "{\"signed_tx_base64\":\"" + Base64.getEncoder().encodeToString(signed)
                        + "\",\"wait_until\":\"INCLUDED\"}");
        assertThat(sent.path("final_execution_status").asText()).isNotEmpty();
        return dev.outlayer.bench.targetsystem.transactions.SignedTransaction.decode(signed)
                .hashText();
    }

    /** Waits (tx, wait_until FINAL) for the request's whole tree: the callback's result is the transaction's. */
    static JsonNode finalOutcome(String txHash) throws Exception {
        for (int attempt = 0; attempt < 20; attempt++) {
            JsonNode outcome = rpc(
                    "tx",
                    "{\"tx_hash\":\"" + txHash + "\",\"sender_account_id\":\"" + USER.signerId()
                            + "\",\"wait_until\":\"FINAL\"}");
            if (outcome.path("status").has("SuccessValue")
                    || outcome.path("status").has("Failure")) {
                return outcome;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the request's transaction did not finish");
    }

    static long requestIdOf(JsonNode outcome) throws Exception {
        for (JsonNode receipt : outcome.path("receipts_outcome")) {
            for (JsonNode log : receipt.path("outcome").path("logs")) {
                String text = log.asText();
                if (text.startsWith("EVENT_JSON:") && text.contains("execution_requested")) {
                    JsonNode event = JsonCodec.MAPPER.readTree(text.substring("EVENT_JSON:".length()));
                    return JsonCodec.MAPPER
                            .readTree(event.path("data")
                                    .get(0)
                                    .path("request_data")
                                    .asText())
                            .path("request_id")
                            .asLong();
                }
            }
        }
        throw new AssertionError("no execution_requested event in " + outcome);
    }

    /** The phase API's view once the callback is seen there (the monitor follows the chain asynchronously). */
    static JsonNode resolvedView(long requestId) throws Exception {
        JsonNode view = null;
        for (int attempt = 0; attempt < 100; attempt++) {
            view = get("/executions/" + requestId);
            if ("resolved".equals(view.path("status").asText())
                    || "failed".equals(view.path("status").asText())) {
                return view;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("request " + requestId + " never finished on the phase API: " + view);
    }

    @Test
    void aSignedRequestIsExecutedByAWorkerAndItsOutputReturnedToTheUser() throws Exception {
        String tx = requestExecution("{\"answer\":42}");
        JsonNode outcome = finalOutcome(tx);

        String value = new String(
                Base64.getDecoder()
                        .decode(outcome.path("status").path("SuccessValue").asText()),
                StandardCharsets.UTF_8);
        JsonNode output = JsonCodec.MAPPER.readTree(value);
        assertThat(output.path("program").asText()).isEqualTo("echo_json");
        assertThat(output.path("input").path("answer").asInt()).isEqualTo(42);
        assertThat(output.path("sender").asText()).isEqualTo(USER.signerId());

        long requestId = requestIdOf(outcome);
        JsonNode view = resolvedView(requestId);
        assertThat(view.path("status").asText()).isEqualTo("resolved");
        assertThat(view.path("request_id").asLong()).isEqualTo(requestId);
        assertThat(view.path("worker_id").asText()).startsWith("coordinator-worker-");
        assertThat(view.path("compile_cache").asText()).isIn("hit", "miss");
        List<String> phases =
                List.of("event_seen", "job_created", "claimed", "compile", "execute", "resolve_tx", "callback_done");
        for (String phase : phases) {
            assertThat(view.path("phases_ms").has(phase))
                    .as("phase %s in %s", phase, view)
                    .isTrue();
            assertThat(view.path("phases_ms").path(phase).asDouble()).isGreaterThanOrEqualTo(0);
        }
        List<String> moments = List.of(
                "tx_included",
                "event_seen",
                "job_created",
                "claimed",
                "compile_done",
                "execute_done",
                "resolve_tx_included",
                "callback_done");
        long previous = 0;
        for (String moment : moments) {
            long at = view.path("timestamps_us").path(moment).asLong();
            assertThat(at).as("%s in %s", moment, view).isGreaterThanOrEqualTo(previous);
            previous = at;
        }
        assertThat(system.executions().store().resolutions(requestId)).isEqualTo(1);
        System.out.printf("lifecycle phases of request %d (ms): %s%n", requestId, view.path("phases_ms"));
    }

    @Test
    void theSecondRequestForTheSameWasmTakesTheCompileCache() throws Exception {
        long first = requestIdOf(finalOutcome(requestExecution("{\"n\":1}")));
        long second = requestIdOf(finalOutcome(requestExecution("{\"n\":2}")));
        resolvedView(first);
        JsonNode view = resolvedView(second);
        assertThat(view.path("compile_cache").asText()).isEqualTo("hit");
        assertThat(system.executions().store().jobs(second))
                .extracting(job -> job.jobType().wire())
                .containsExactly("execute");
    }

    @Test
    void metricsCarryThePhasesAndNoDoubleExecution() throws Exception {
        resolvedView(requestIdOf(finalOutcome(requestExecution("{\"m\":1}"))));
        HttpResponse<String> metrics = HTTP.send(
                HttpRequest.newBuilder(URI.create(system.coordinatorUrl() + "/metrics"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body())
                .contains("outlayer_execution_phase_seconds_count{phase=\"execute\"}")
                .contains("outlayer_execution_phase_seconds{phase=\"callback_done\",quantile=\"0.95\"}")
                .contains("outlayer_execution_requests_resolved_total")
                .contains("outlayer_execution_executed_twice_total 0.0");
    }

    @Test
    void anUnknownRequestIs404AndABadIdIs400() throws Exception {
        assertThat(get("/executions/987654321").path("http_status").asInt()).isEqualTo(404);
        assertThat(get("/executions/not-a-number").path("http_status").asInt()).isEqualTo(400);
    }
}
