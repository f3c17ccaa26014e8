package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.contracts.PublicKey;
import dev.outlayer.bench.targetsystem.executions.ManualClock;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.tee.TeeTestKeys;
import dev.outlayer.bench.targetsystem.testing.ErrorBodies;
import dev.outlayer.bench.targetsystem.transactions.AccountsFeeder;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * OutLayer's TEE routes on a running coordinator (handlers/attestations.rs, handlers/workers.rs), as its worker
 * calls them: an attestation stored with the worker token and read back by anyone in {@code AttestationResponse}'s
 * shape, each refusal before anything is stored; the session handshake against a key on the register-contract's
 * account of the simulated chain, its refusals in OutLayer's words.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TeeApiTest {
    private static final String TOKEN = "tee-api-worker-token-0123456789ab";
    private static final String REGISTER = "register.tee.test.near";
    private static final String DATA = "Failed to deserialize the JSON body into the target type: ";
    private static final String H64 = "e".repeat(64);

    private final AtomicLong jobs = new AtomicLong(7_000);
    private final Ed25519PrivateKeyParameters teeKey = TeeTestKeys.newKey();
    private final String nearKey = TeeTestKeys.nearKey(teeKey);
    protected ManualClock clock;
    protected LifecycleClient client;

    /** The options of the system under test: in memory here, a subclass's store otherwise. */
    protected TargetOptions options() {
        TargetOptions options = LifecycleClient.options(0);
        options.workerToken = TOKEN;
        options.teeRegisterAccount = REGISTER;
        return options;
    }

    @BeforeAll
    void start() {
        clock = new ManualClock(Instant.parse("2026-03-01T12:00:00.750Z"));
        client = new LifecycleClient(options(), clock);
        // what OutLayer's register-contract does after verifying the worker's TDX quote: the key joins the account
        AccountsFeeder.seed(
                List.of(new AccountsFeeder.Seed(
                        REGISTER, PublicKey.ed25519(TeeTestKeys.publicKey(teeKey)), BigInteger.TEN)),
                new SimulatorTransactionChain(client.system.contracts()));
    }

    @AfterAll
    void stop() {
        client.close();
    }

    private static List<String> worker() {
        return List.of("Authorization", "Bearer " + TOKEN);
    }

    private HttpResponse<String> post(String path, String body, List<String> headers) throws Exception {
        return client.send("POST", path, body, headers);
    }

    /** A quote of 600 bytes counting up: RTMR3 is bytes 520 to 567. */
    private static byte[] quote() {
        byte[] quote = new byte[600];
        for (int i = 0; i < quote.length; i++) {
            quote[i] = (byte) i;
        }
        return quote;
    }

    private static String rtmr3() {
        StringBuilder hex = new StringBuilder();
        for (int i = 520; i < 568; i++) {
            hex.append(String.format("%02x", i & 0xFF));
        }
        return hex.toString();
    }

    private static String executeBody(long job, String extra) {
        return "{\"task_id\":" + job + ",\"task_type\":\"execute\",\"tdx_quote\":\""
                + Base64.getEncoder().encodeToString(quote()) + "\",\"input_hash\":\"" + H64 + "\",\"output_hash\":\""
                + H64 + "\"" + extra + "}";
    }

    private void assertNone(long job) throws Exception {
        HttpResponse<String> none = client.send("GET", "/attestations/" + job, null, List.of());
        assertThat(none.statusCode()).as(none.body()).isEqualTo(404);
    }

    @Test
    void anAttestationIsStoredAndReadInOutLayersShape() throws Exception {
        long job = jobs.incrementAndGet();
        String body = "{\"task_id\":" + job + ",\"task_type\":\"execute\",\"tdx_quote\":\""
                + Base64.getEncoder().encodeToString(quote())
                + "\",\"request_id\":42,\"caller_account_id\":\"alice.test.near\",\"transaction_hash\":\"9xTx\","
                + "\"block_height\":1234,\"call_id\":\"0B8E7A52-2C1D-4C0E-9D6B-3F1E2A4B5C6D\","
                + "\"payment_key_owner\":\"alice.test.near\",\"payment_key_nonce\":3,"
                + "\"repo_url\":\"https://github.com/alice/app\",\"commit_hash\":\"main\","
                + "\"build_target\":\"wasm32-wasip1\",\"wasm_hash\":\"" + "a".repeat(64) + "\",\"input_hash\":\""
                + "b".repeat(64) + "\",\"output_hash\":\"" + "c".repeat(64)
                + "\",\"project_id\":\"alice.test.near/app\","
                + "\"secrets_ref\":\"alice.test.near/default\",\"attached_usd\":\"2500\",\"timestamp\":1767225600,"
                + "\"unknown_member\":true}";
        HttpResponse<String> stored = post("/attestations", body, worker());
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
        assertThat(stored.body()).as("axum's StatusCode::CREATED has no body").isEmpty();

        HttpResponse<String> read = client.send("GET", "/attestations/" + job, null, List.of());
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        JsonNode attestation = JsonCodec.MAPPER.readTree(read.body());
        long id = attestation.path("id").asLong();
        assertThat(read.body())
                .isEqualTo("{\"id\":" + id + ",\"task_id\":" + job + ",\"task_type\":\"execute\",\"tdx_quote\":\""
                        + Base64.getEncoder().encodeToString(quote()) + "\",\"worker_measurement\":\"" + rtmr3()
                        + "\",\"request_id\":42,\"caller_account_id\":\"alice.test.near\",\"transaction_hash\":\"9xTx\","
                        + "\"block_height\":1234,\"call_id\":\"0b8e7a52-2c1d-4c0e-9d6b-3f1e2a4b5c6d\","
                        + "\"payment_key_owner\":\"alice.test.near\",\"payment_key_nonce\":3,"
                        + "\"repo_url\":\"https://github.com/alice/app\",\"commit_hash\":\"main\","
                        + "\"build_target\":\"wasm32-wasip1\",\"wasm_hash\":\"" + "a".repeat(64)
                        + "\",\"input_hash\":\""
                        + "b".repeat(64) + "\",\"output_hash\":\"" + "c".repeat(64)
                        + "\",\"project_id\":\"alice.test.near/app\",\"secrets_ref\":\"alice.test.near/default\","
                        + "\"attached_usd\":\"2500\",\"timestamp\":1767225600}");
    }

    @Test
    void withoutATimestampTheAttestationIsTheCoordinatorsTimeAndATasksFirstIsAnswered() throws Exception {
        long job = jobs.incrementAndGet();
        assertThat(post("/attestations", executeBody(job, ",\"call_id\":\"call-17\""), worker())
                        .statusCode())
                .isEqualTo(201);
        assertThat(post("/attestations", executeBody(job, ",\"timestamp\":5"), worker())
                        .statusCode())
                .as("a retry: a second row for the task")
                .isEqualTo(201);
        JsonNode first = client.send("GET", "/attestations/" + job, null, List.of(), 200);
        assertThat(first.path("timestamp").asLong())
                .as("the coordinator's clock, in whole seconds")
                .isEqualTo(clock.instant().getEpochSecond());
        assertThat(first.has("call_id"))
                .as("a call_id that is no UUID is dropped")
                .isFalse();
        assertThat(first.has("request_id")).as("absent members are left out").isFalse();
        assertThat(first.path("worker_measurement").asText()).isEqualTo(rtmr3());
    }

    @Test
    void aStartupAttestationHasANegativeTaskId() throws Exception {
        String startup = "{\"task_id\":-1,\"task_type\":\"execute\",\"tdx_quote\":\""
                + Base64.getEncoder().encodeToString(quote())
                + "\",\"commit_hash\":\"startup\",\"output_hash\":\"worker_startup\"}";
        assertThat(post("/attestations", startup, worker()).statusCode()).isEqualTo(201);
        assertThat(client.send("GET", "/attestations/-1", null, List.of(), 200)
                        .path("output_hash")
                        .asText())
                .isEqualTo("worker_startup");
    }

    @Test
    void anUnknownJobIs404AndAJobIdThatIsNoI64Is400() throws Exception {
        assertNone(999_999_999L);
        HttpResponse<String> text = client.send("GET", "/attestations/abc", null, List.of());
        assertThat(text.statusCode()).isEqualTo(400);
        assertThat(ErrorBodies.message(text.body())).isEqualTo("Invalid URL: Cannot parse `abc` to a `i64`");
    }

    @Test
    void refusedAttestationsStoreNothing() throws Exception {
        long job = jobs.incrementAndGet();
        String good = executeBody(job, "");
        assertThat(post("/attestations", good, List.of()).statusCode()).isEqualTo(401);
        assertThat(post("/attestations", good, List.of("Authorization", "Bearer not-a-worker"))
                        .statusCode())
                .isEqualTo(401);

        HttpResponse<String> noTask = post("/attestations", good.replace("\"task_id\":" + job + ",", ""), worker());
        assertThat(noTask.statusCode()).isEqualTo(422);
        assertThat(ErrorBodies.message(noTask.body())).startsWith(DATA).contains("task_id");
        HttpResponse<String> textId =
                post("/attestations", good.replace("\"task_id\":" + job, "\"task_id\":\"" + job + "\""), worker());
        assertThat(textId.statusCode()).as(textId.body()).isEqualTo(422);
        HttpResponse<String> badType = post("/attestations", good.replace("\"execute\"", "\"startup\""), worker());
        assertThat(badType.statusCode()).isEqualTo(422);
        assertThat(ErrorBodies.message(badType.body()))
                .contains("unknown variant `startup`, expected `compile` or `execute`");
        HttpResponse<String> negativeHeight = post("/attestations", executeBody(job, ",\"block_height\":-5"), worker());
        assertThat(negativeHeight.statusCode()).isEqualTo(422);

        HttpResponse<String> noInput =
                post("/attestations", good.replace("\"input_hash\":\"" + H64 + "\",", ""), worker());
        assertThat(noInput.statusCode()).isEqualTo(400);
        assertThat(ErrorBodies.message(noInput.body()))
                .isEqualTo("Execute tasks must have input_hash (except startup tasks)");
        HttpResponse<String> devQuote = post(
                "/attestations",
                good.replace(
                        Base64.getEncoder().encodeToString(quote()),
                        Base64.getEncoder().encodeToString("no-attestation-dev-mode".getBytes())),
                worker());
        assertThat(devQuote.statusCode())
                .as("OutLayer's worker without a TEE sends this stub; its coordinator refuses it")
                .isEqualTo(400);
        assertThat(ErrorBodies.message(devQuote.body())).isEqualTo("TDX quote too short: 23 bytes (need at least 568)");
        HttpResponse<String> notBase64 =
                post("/attestations", good.replace(Base64.getEncoder().encodeToString(quote()), "%%%%"), worker());
        assertThat(notBase64.statusCode()).isEqualTo(400);
        assertThat(ErrorBodies.message(notBase64.body())).startsWith("Invalid base64 in tdx_quote: ");
        assertThat(post("/attestations", executeBody(job, ",\"request_id\":-1"), worker())
                        .statusCode())
                .isEqualTo(400);
        assertNone(job);
    }

    private String challenge(List<String> token) throws Exception {
        JsonNode answer = client.send("POST", "/workers/tee-challenge", null, token, 200);
        assertThat(answer.size()).isEqualTo(1);
        return answer.path("challenge").asText();
    }

    private static String sign(Ed25519PrivateKeyParameters key, String challenge) {
        return TeeTestKeys.sign(key, challenge);
    }

    private static String registration(String publicKey, String challenge, String signature) {
        return "{\"public_key\":\"" + publicKey + "\",\"challenge\":\"" + challenge + "\",\"signature\":\"" + signature
                + "\"}";
    }

    /** OutLayer's line of text, as the message of the stand-in's JSON error body. */
    private static void assertText(HttpResponse<String> answer, int status, String text) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(ErrorBodies.message(answer.body())).isEqualTo(text);
    }

    @Test
    void aSignedChallengeOfAKeyOnTheRegisterAccountOpensASession() throws Exception {
        String challenge = challenge(worker());
        assertThat(challenge).matches("[0-9a-f]{64}");
        HttpResponse<String> registered =
                post("/workers/register-tee", registration(nearKey, challenge, sign(teeKey, challenge)), worker());
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
        assertThat(JsonCodec.MAPPER
                        .readTree(registered.body())
                        .path("session_id")
                        .asText())
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertText(
                post("/workers/register-tee", registration(nearKey, challenge, sign(teeKey, challenge)), worker()),
                400,
                "Invalid or expired challenge");
    }

    @Test
    void theHandshakesRefusalsAreInOutLayersWords() throws Exception {
        assertThat(client.send("POST", "/workers/tee-challenge", null, List.of())
                        .statusCode())
                .isEqualTo(401);
        String challenge = challenge(worker());
        assertThat(post("/workers/register-tee", registration(nearKey, challenge, sign(teeKey, challenge)), List.of())
                        .statusCode())
                .as("no token: the challenge is not touched")
                .isEqualTo(401);
        HttpResponse<String> missing = post("/workers/register-tee", "{\"public_key\":\"" + nearKey + "\"}", worker());
        assertThat(missing.statusCode()).isEqualTo(422);
        assertThat(ErrorBodies.message(missing.body())).startsWith(DATA).contains("missing field `challenge`");

        assertText(
                post("/workers/register-tee", registration(nearKey, challenge, "00".repeat(64)), worker()),
                403,
                "Signature verification failed: signature verification failed");
        assertText(
                post("/workers/register-tee", registration(nearKey, challenge, sign(teeKey, challenge)), worker()),
                400,
                "Invalid or expired challenge");

        Ed25519PrivateKeyParameters stranger = TeeTestKeys.newKey();
        String next = challenge(worker());
        assertText(
                post(
                        "/workers/register-tee",
                        registration(TeeTestKeys.nearKey(stranger), next, sign(stranger, next)),
                        worker()),
                403,
                "Public key not registered on contract");

        String late = challenge(worker());
        clock.advance(Duration.ofSeconds(61));
        assertText(
                post("/workers/register-tee", registration(nearKey, late, sign(teeKey, late)), worker()),
                400,
                "Challenge expired");
    }
}
