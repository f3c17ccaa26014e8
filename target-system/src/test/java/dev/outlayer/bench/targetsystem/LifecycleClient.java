package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.contracts.Action;
import dev.outlayer.bench.targetsystem.contracts.CallRequest;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.contracts.ExecutionStatus;
import dev.outlayer.bench.targetsystem.contracts.HostBinding;
import dev.outlayer.bench.targetsystem.contracts.WaitMode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.linux.TestPrograms;
import dev.outlayer.bench.targetsystem.rpc.Base58;
import dev.outlayer.bench.targetsystem.testing.HangReport;
import dev.outlayer.bench.targetsystem.transactions.AccountsFeeder;
import dev.outlayer.bench.targetsystem.transactions.SignedTransaction;
import dev.outlayer.bench.targetsystem.transactions.TransactionSigner;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A user of the execution lifecycle against an embedded target system: uploads programs, signs
 * request_execution transactions and follows them through JSON-RPC and the phase API.
 */
final class LifecycleClient implements AutoCloseable {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final BigInteger NEAR = new BigInteger("1000000000000000000000000");
    static final BigInteger DEPOSIT = new BigInteger("10000000000000000000000"); // 0.01 NEAR
    static final long GAS = 300_000_000_000_000L;
    static final long FAST_BLOCK_MILLIS = 200;

    final TargetSystem system;
    final TransactionSigner user = TransactionSigner.fromSeed("lifecycle-user.test.near", seed(7));
    private final AtomicLong nonce = new AtomicLong();
    /** Whether {@link #outcomeOf} answers a call once its tree has run: {@link #outcomesOnceExecuted}. */
    private volatile boolean executedIsEnough;

    private static byte[] seed(int value) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) value);
        return seed;
    }

    /** The embedded coordinator and RPC emulator on free ports with {@code workers} in-process workers. */
    static TargetOptions options(int workers) {
        TargetOptions options = new TargetOptions();
        options.host = "127.0.0.1";
        options.coordinatorPort = 0;
        options.rpcPort = 0;
        options.components = EnumSet.of(TargetOptions.Component.coordinator, TargetOptions.Component.rpc);
        options.tiersFile = TestPrograms.root().resolve("feeders/tiers.csv");
        options.apiKeysFile = TestPrograms.root().resolve("feeders/api-keys.csv");
        options.contractsDir = TestPrograms.root().resolve("resources/contracts");
        options.linuxWorkers = 4;
        options.outlayerWorkers = workers;
        options.shutdownGraceMillis = 1000;
        // no test reaches GitHub: a SHA commit's branch is asked of nothing that listens (a test that
        // needs an answer starts testing.FakeGitHub)
        options.githubApiUrl = "http://127.0.0.1:9";
        return options;
    }

    /**
     * {@link #options} on blocks of {@value #FAST_BLOCK_MILLIS} ms instead of a chain's 1 s: a transaction
     * is final in a fifth of the time (most of these tests' wall time is spent waiting on blocks), and a
     * yield still has its 200 blocks (40 s) to be resolved, far more than any run here takes.
     */
    static TargetOptions fastBlocks(int workers) {
        TargetOptions options = options(workers);
        options.blockTimeMillis = FAST_BLOCK_MILLIS;
        return options;
    }

    /** {@code options} with the keystore on a free port beside the coordinator and the RPC emulator, its data in {@code dataDir}. */
    static TargetOptions withKeystore(TargetOptions options, Path dataDir) {
        options.components = EnumSet.of(
                TargetOptions.Component.coordinator, TargetOptions.Component.rpc, TargetOptions.Component.keystore);
        options.keystorePort = 0;
        options.keystoreDataDir = dataDir.toString();
        return options;
    }

    LifecycleClient(TargetOptions options) {
        this(options, Clock.systemUTC());
    }

    /** With the workers' locks and the system logs' times on {@code wallClock} (a test moves it). */
    LifecycleClient(TargetOptions options, Clock wallClock) {
        system = TargetSystem.start(options, wallClock);
        AccountsFeeder.seed(
                List.of(new AccountsFeeder.Seed(user.signerId(), user.publicKey(), NEAR.multiply(BigInteger.TEN))),
                new SimulatorTransactionChain(system.contracts()));
    }

    /** Uploads a bundled program through PUT /programs; returns its sha256. */
    String upload(String name) throws Exception {
        return upload(name, TestPrograms.wasm(name));
    }

    /** Uploads {@code wasm} as program {@code name} through PUT /programs; returns its sha256. */
    String upload(String name, byte[] wasm) throws Exception {
        HttpResponse<String> put = HTTP.send(
                HttpRequest.newBuilder(URI.create(system.coordinatorUrl() + "/programs/" + name))
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(wasm))
                        .header("Content-Type", "application/wasm")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        return JsonCodec.MAPPER.readTree(put.body()).path("sha256").asText();
    }

    /** OutLayer's worker's upload (api_client.rs upload_wasm): a reqwest multipart form to {@code POST /wasm/upload}. */
    HttpResponse<String> uploadWasm(java.util.Map<String, String> fields, byte[] wasm, String token) throws Exception {
        String boundary = "----outlayer-" + System.nanoTime();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        for (var field : fields.entrySet()) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey()
                            + "\"\r\n\r\n" + field.getValue() + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        if (wasm != null) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"wasm_file\";"
                            + " filename=\"x.wasm\"\r\nContent-Type: application/wasm\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.writeBytes(wasm);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(system.coordinatorUrl() + "/wasm/upload"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request to the coordinator, {@code headers} as name, value, name, value... */
    HttpResponse<String> send(String method, String path, String body, List<String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(system.coordinatorUrl() + path))
                .timeout(Duration.ofSeconds(60))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.size(); i += 2) {
            request.header(headers.get(i), headers.get(i + 1));
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            HangReport.print(method + " " + path + " got no answer within 60 s");
            throw e;
        }
    }

    /** {@link #send}, answered with {@code status}: its JSON body. */
    JsonNode send(String method, String path, String body, List<String> headers, int status) throws Exception {
        HttpResponse<String> response = send(method, path, body, headers);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JsonCodec.MAPPER.readTree(response.body());
    }

    /**
     * {@link #signed} and HttpsCallEndToEndTest.callOutlayer answer a call other than request_execution once its
     * tree has run (EXECUTED_OPTIMISTIC), not two blocks later when it is final (TransactionEngine.FINALITY_LAG):
     * for a test that reads only the outcome and the current state (optimistic views, the keystore's and the
     * workers' reads of the contract), on which those blocks change nothing. A request still waits for FINAL:
     * what its worker records after the callback is read by some tests as soon as they have its outcome.
     */
    LifecycleClient outcomesOnceExecuted() {
        executedIsEnough = true;
        return this;
    }

    @Override
    public void close() {
        system.close();
    }

    JsonNode rpc(String method, String params) throws Exception {
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

    JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(system.coordinatorUrl() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return JsonCodec.MAPPER.readTree(response.statusCode() + "").isInt() && response.statusCode() == 200
                ? JsonCodec.MAPPER.readTree(response.body())
                : JsonCodec.object().put("http_status", response.statusCode());
    }

    /** Signs and sends request_execution of the wasm {@code sha256} (Json output); returns the transaction's hash once it is included. */
    String requestExecution(String sha256, String input, int maxSeconds) throws Exception {
        return requestExecution(user, nonce.incrementAndGet(), sha256, input, maxSeconds);
    }

    /** The same for another user (its keys and nonces its own). */
    String requestExecution(TransactionSigner user, long nonce, String sha256, String input, int maxSeconds)
            throws Exception {
        byte[] blockHash = Base58.decode(rpc("block", "{\"finality\":\"final\"}")
                .path("header")
                .path("hash")
                .asText());
        String args = "{\"source\":{\"WasmUrl\":{\"url\":\"https://example.org/program.wasm\",\"hash\":\""
                + sha256 + "\",\"build_target\":\"wasm32-wasip1\"}},"
                + "\"resource_limits\":{\"max_instructions\":100000000000,\"max_memory_mb\":64,\"max_execution_seconds\":"
                + maxSeconds + "},\"input_data\":" + JsonCodec.MAPPER.writeValueAsString(input)
                + ",\"response_format\":\"Json\"}";
        byte[] signed = user.sign(
                "outlayer.test.near",
                nonce,
                blockHash,
                List.of(new Action.FunctionCall(
                        "request_execution", args.getBytes(StandardCharsets.UTF_8), GAS, DEPOSIT)));
        JsonNode sent = rpc(
                "send_tx",
                "{\"signed_tx_base64\":\"" + Base64.getEncoder().encodeToString(signed)
                        + "\",\"wait_until\":\"INCLUDED\"}");
        assertThat(sent.path("final_execution_status").asText()).isNotEmpty();
        return SignedTransaction.decode(signed).hashText();
    }

    /** Signs and sends request_execution with these arguments (a JSON object); returns the transaction's hash once it is included. */
    String requestExecutionWith(String argsJson) throws Exception {
        byte[] blockHash = Base58.decode(rpc("block", "{\"finality\":\"final\"}")
                .path("header")
                .path("hash")
                .asText());
        byte[] signed = user.sign(
                "outlayer.test.near",
                nonce.incrementAndGet(),
                blockHash,
                List.of(new Action.FunctionCall(
                        "request_execution", argsJson.getBytes(StandardCharsets.UTF_8), GAS, DEPOSIT)));
        rpc(
                "send_tx",
                "{\"signed_tx_base64\":\"" + Base64.getEncoder().encodeToString(signed)
                        + "\",\"wait_until\":\"INCLUDED\"}");
        return SignedTransaction.decode(signed).hashText();
    }

    /** Signs one function call by {@code signer}, sends it and waits for its final outcome. */
    JsonNode signed(
            TransactionSigner signer, long nonce, String receiver, String method, String args, BigInteger deposit)
            throws Exception {
        byte[] blockHash = Base58.decode(rpc("block", "{\"finality\":\"final\"}")
                .path("header")
                .path("hash")
                .asText());
        byte[] signed = signer.sign(
                receiver,
                nonce,
                blockHash,
                List.of(new Action.FunctionCall(method, args.getBytes(StandardCharsets.UTF_8), GAS, deposit)));
        rpc(
                "send_tx",
                "{\"signed_tx_base64\":\"" + Base64.getEncoder().encodeToString(signed)
                        + "\",\"wait_until\":\"INCLUDED\"}");
        return outcomeOf(SignedTransaction.decode(signed).hashText(), signer.signerId(), method);
    }

    /** Gives {@code account} units of the stablecoin stand-in, whose supply it holds itself. */
    void fundWithStablecoin(String account, long amount) {
        String token = ContractSimulator.PAYMENT_TOKEN;
        ExecutionStatus status = system.contracts()
                .call(
                        CallRequest.call(
                                        token,
                                        "ft_transfer",
                                        ("{\"receiver_id\":\"" + account + "\",\"amount\":\"" + amount + "\"}")
                                                .getBytes(StandardCharsets.UTF_8))
                                .withCaller(token, token)
                                .withDeposit(BigInteger.ONE),
                        WaitMode.ALL_RECEIPTS,
                        HostBinding.DIRECT)
                .finalStatus();
        assertThat(status).isInstanceOf(ExecutionStatus.SuccessValue.class);
    }

    /** A view call through the RPC emulator's query call_function; its result as JSON. */
    JsonNode view(String account, String method, String args) throws Exception {
        JsonNode result = rpc(
                "query",
                "{\"request_type\":\"call_function\",\"finality\":\"optimistic\",\"account_id\":\"" + account
                        + "\",\"method_name\":\"" + method + "\",\"args_base64\":\""
                        + Base64.getEncoder().encodeToString(args.getBytes(StandardCharsets.UTF_8)) + "\"}");
        byte[] bytes = new byte[result.path("result").size()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) result.path("result").get(i).asInt();
        }
        return JsonCodec.MAPPER.readTree(bytes);
    }

    /** The execution_completed event of a finished request's outcome (its data object). */
    static JsonNode completedEvent(JsonNode outcome) throws Exception {
        for (JsonNode receipt : outcome.path("receipts_outcome")) {
            for (JsonNode log : receipt.path("outcome").path("logs")) {
                String text = log.asText();
                if (text.startsWith("EVENT_JSON:") && text.contains("\"execution_completed\"")) {
                    return JsonCodec.MAPPER
                            .readTree(text.substring("EVENT_JSON:".length()))
                            .path("data")
                            .get(0);
                }
            }
        }
        throw new AssertionError("no execution_completed event in " + outcome);
    }

    /** Waits (tx, wait_until FINAL) for the request's whole tree: the callback's result is the transaction's. */
    JsonNode finalOutcome(String txHash) throws Exception {
        return finalOutcome(txHash, user.signerId());
    }

    /** The same for a transaction of another user. */
    JsonNode finalOutcome(String txHash, String senderId) throws Exception {
        return outcome(txHash, senderId, "FINAL");
    }

    /** The outcome of a call of {@code method}: once executed after {@link #outcomesOnceExecuted}, else final. */
    JsonNode outcomeOf(String txHash, String senderId, String method) throws Exception {
        boolean executed = executedIsEnough && !method.equals("request_execution");
        return outcome(txHash, senderId, executed ? "EXECUTED_OPTIMISTIC" : "FINAL");
    }

    private JsonNode outcome(String txHash, String senderId, String waitUntil) throws Exception {
        for (int attempt = 0; attempt < 20; attempt++) {
            JsonNode outcome = rpc(
                    "tx",
                    "{\"tx_hash\":\"" + txHash + "\",\"sender_account_id\":\"" + senderId + "\",\"wait_until\":\""
                            + waitUntil + "\"}");
            if (outcome.path("status").has("SuccessValue")
                    || outcome.path("status").has("Failure")) {
                return outcome;
            }
            // a yield waiting to be resumed is INCLUDED_FINAL, past EXECUTED_OPTIMISTIC: a FINAL wait holds
            // until its callback has run
            waitUntil = "FINAL";
            Thread.sleep(100);
        }
        throw new AssertionError("the request's transaction did not finish");
    }

    long requestIdOf(JsonNode outcome) throws Exception {
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
    JsonNode resolvedView(long requestId) throws Exception {
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
}
