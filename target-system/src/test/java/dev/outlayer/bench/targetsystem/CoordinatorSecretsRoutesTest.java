package dev.outlayer.bench.targetsystem;

import static dev.outlayer.bench.targetsystem.KeystoreUserSecretsUpdateTest.ALICE;
import static dev.outlayer.bench.targetsystem.KeystoreUserSecretsUpdateTest.COORDINATOR_TOKEN;
import static dev.outlayer.bench.targetsystem.KeystoreUserSecretsUpdateTest.WORKER_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.outlayer.bench.targetsystem.KeystoreUserSecretsUpdateTest.Signer;
import dev.outlayer.bench.targetsystem.contracts.AccessKey;
import dev.outlayer.bench.targetsystem.contracts.PublicKey;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.keystore.Ecies;
import dev.outlayer.bench.targetsystem.keystore.SecretsRef;
import dev.outlayer.bench.targetsystem.testing.ErrorBodies;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OutLayer coordinator's {@code /secrets/*} routes, which reach the keystore for dashboards and SDKs:
 * the seed the coordinator builds picks the same key the keystore gives for it, generated secrets are
 * sealed under it, a signed update goes through to the stored profile, the coordinator's own checks
 * answer in OutLayer's words, and a client address past its limit a minute gets a 429.
 */
class CoordinatorSecretsRoutesTest {
    private static final int LIMIT = 40;

    @TempDir
    static Path dir;

    private static TargetSystem system;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Each test its own client address, so that the per-address limit counts one test's requests only. */
    private static int addresses;

    record Answer(int status, JsonNode json, String body, HttpResponse<String> response) {}

    @BeforeAll
    static void start() throws Exception {
        system = TargetSystem.start(KeystoreUserSecretsUpdateTest.options(
                dir,
                "--components",
                "coordinator,keystore,rpc",
                "--rpc-port",
                "0",
                "--coordinator-token",
                COORDINATOR_TOKEN,
                "--worker-token",
                WORKER_TOKEN,
                "--secrets-rate-per-minute",
                Integer.toString(LIMIT)));
    }

    @AfterAll
    static void stop() {
        system.close();
    }

    private static synchronized String freshAddress() {
        return "198.51.100." + ++addresses;
    }

    private static Answer post(String url, String address, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(
                        body instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : JsonCodec.bytes(body)));
        if (address != null) {
            request.header("X-Forwarded-For", address + ", 10.0.0.1");
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        boolean isJson =
                response.headers().firstValue("Content-Type").orElse("").startsWith("application/json");
        JsonNode json = isJson && !response.body().isEmpty() ? JsonCodec.MAPPER.readTree(response.body()) : null;
        return new Answer(response.statusCode(), json, response.body(), response);
    }

    /** OutLayer's handlers refuse with axum's {@code (StatusCode, String)}: the words in plain text, no Retry-After. */
    private static void assertPlainRefusal(Answer answer, int status, String words) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.response().headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(answer.response().headers().firstValue("Retry-After")).isEmpty();
        assertThat(answer.body()).isEqualTo(words);
    }

    private static String keystoreKeyFor(String seed) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(system.keystoreUrl() + "/pubkey?seed="
                                + URLEncoder.encode(seed, StandardCharsets.UTF_8)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JsonCodec.MAPPER.readTree(response.body()).path("pubkey").asText();
    }

    private static ObjectNode pubkeyRequest(String accessorJson, String profile) throws Exception {
        ObjectNode body = JsonCodec.object();
        body.set("accessor", JsonCodec.MAPPER.readTree(accessorJson));
        body.put("owner", ALICE).put("secrets_json", "{\"API_KEY\":\"x\"}");
        return profile == null ? body : body.put("profile", profile);
    }

    @Test
    void theCoordinatorsSeedPicksTheKeystoresKeyForEveryAccessor() throws Exception {
        String address = freshAddress();
        String hash = "ab".repeat(32);
        Object[][] cases = {
            {"{\"type\":\"Repo\",\"repo\":\"alice/agent\"}", null, "github.com/alice/agent:" + ALICE},
            {
                "{\"type\":\"Repo\",\"repo\":\"https://github.com/alice/agent.git\",\"branch\":\"dev\"}",
                null,
                "github.com/alice/agent:" + ALICE + ":dev"
            },
            {"{\"type\":\"WasmHash\",\"hash\":\"" + hash + "\"}", null, "wasm_hash:" + hash + ":" + ALICE},
            {"{\"type\":\"Project\",\"project_id\":\"alice.near/agent\"}", null, "project:alice.near/agent:" + ALICE},
            {"{\"type\":\"System\",\"PaymentKey\":{}}", "3", "system:payment_key:" + ALICE + ":3"},
        };
        for (Object[] c : cases) {
            Answer answer = post(
                    system.coordinatorUrl() + "/secrets/pubkey", address, pubkeyRequest((String) c[0], (String) c[1]));
            assertThat(answer.status()).as(c[0] + ": " + answer.body()).isEqualTo(200);
            assertThat(answer.json().path("owner").asText()).isEqualTo(ALICE);
            assertThat(answer.json().path("pubkey").asText()).as((String) c[2]).isEqualTo(keystoreKeyFor((String)
                    c[2]));
        }
        Answer repo = post(
                system.coordinatorUrl() + "/secrets/pubkey",
                address,
                pubkeyRequest("{\"type\":\"Repo\",\"repo\":\"alice/agent\"}", null));
        assertThat(repo.json().path("accessor"))
                .as("OutLayer's PubkeyResponseAccessor: no branch when none was given")
                .isEqualTo(JsonCodec.MAPPER.readTree(
                        "{\"type\":\"Repo\",\"repo_normalized\":\"github.com/alice/agent\"}"));
        Answer system = post(
                CoordinatorSecretsRoutesTest.system.coordinatorUrl() + "/secrets/pubkey",
                address,
                pubkeyRequest("{\"type\":\"System\",\"PaymentKey\":{}}", "3"));
        assertThat(system.json().path("accessor"))
                .isEqualTo(
                        JsonCodec.MAPPER.readTree("{\"type\":\"System\",\"kind\":\"payment_key\",\"profile\":\"3\"}"));
    }

    @Test
    void theCoordinatorsChecksAnswerInOutLayersWordsAndTheKeystoresRefusalPassesThrough() throws Exception {
        String address = freshAddress();
        String url = system.coordinatorUrl() + "/secrets/pubkey";
        Object[][] refusals = {
            {
                "{\"accessor\":{\"type\":\"Repo\",\"repo\":\"a/b\"},\"owner\":\"\",\"secrets_json\":\"{}\"}",
                400,
                "Owner account ID is required"
            },
            {
                "{\"accessor\":{\"type\":\"Project\",\"project_id\":\"agent\"},\"owner\":\"a.near\",\"secrets_json\":\"{}\"}",
                400,
                "Invalid project_id format: must be 'account/name'"
            },
            {
                "{\"accessor\":{\"type\":\"System\",\"PaymentKey\":{}},\"owner\":\"a.near\",\"secrets_json\":\"{}\"}",
                400,
                "Profile (nonce) is required for System secrets"
            },
            {
                "{\"accessor\":{\"type\":\"WasmHash\",\"hash\":\"abc\"},\"owner\":\"a.near\",\"secrets_json\":\"{}\"}",
                400,
                "Invalid WASM hash: must be 64 hex characters"
            },
        };
        for (Object[] c : refusals) {
            assertPlainRefusal(post(url, address, (String) c[0]), (int) c[1], (String) c[2]);
        }
        // axum's Json extractor refused these before the handler ran: its status and words, in our JSON error body
        Answer unfit = post(url, address, "{\"accessor\":{\"type\":\"Repo\",\"repo\":\"a/b\"},\"owner\":\"a.near\"}");
        assertThat(unfit.status()).as(unfit.body()).isEqualTo(422);
        assertThat(ErrorBodies.message(unfit.body()))
                .isEqualTo("Failed to deserialize the JSON body into the target type: missing field `secrets_json`");
        Answer unknown =
                post(url, address, "{\"accessor\":{\"type\":\"Gist\"},\"owner\":\"a.near\",\"secrets_json\":\"{}\"}");
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(422);
        assertThat(ErrorBodies.message(unknown.body())).contains("unknown variant `Gist`");
        // the keystore refuses a PROTECTED_ name (only it generates those) before it gives a key: its 400 comes through
        Answer reserved = post(
                url,
                address,
                "{\"accessor\":{\"type\":\"Repo\",\"repo\":\"a/b\"},\"owner\":\"a.near\",\"secrets_json\":"
                        + "\"{\\\"PROTECTED_DB\\\":\\\"x\\\"}\"}");
        assertThat(reserved.status()).as(reserved.body()).isEqualTo(400);
        assertThat(reserved.response().headers().firstValue("Content-Type"))
                .as("the keystore's body as it came, in OutLayer's String")
                .hasValue("text/plain; charset=utf-8");
        assertThat(ErrorBodies.message(reserved.body())).contains("PROTECTED_DB");
    }

    @Test
    void generatedSecretsAreSealedUnderTheAccessorsSeed() throws Exception {
        String address = freshAddress();
        ObjectNode body = JsonCodec.object();
        body.set("accessor", JsonCodec.MAPPER.readTree("{\"type\":\"Project\",\"project_id\":\"alice.near/agent\"}"));
        body.put("owner", ALICE);
        body.putArray("new_secrets").addObject().put("name", "PROTECTED_DB").put("generation_type", "hex32");
        Answer answer = post(system.coordinatorUrl() + "/secrets/add_generated_secret", address, body);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().path("all_keys")).extracting(JsonNode::asText).containsExactly("PROTECTED_DB");
        assertThat(answer.json().path("accessor"))
                .isEqualTo(JsonCodec.MAPPER.readTree("{\"type\":\"Project\",\"project_id\":\"alice.near/agent\"}"));

        HttpResponse<String> opened = HTTP.send(
                HttpRequest.newBuilder(URI.create(system.keystoreUrl() + "/decrypt-raw"))
                        .header("Authorization", "Bearer " + WORKER_TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(JsonCodec.bytes(JsonCodec.object()
                                .put("seed", "project:alice.near/agent:" + ALICE)
                                .put(
                                        "encrypted_base64",
                                        answer.json()
                                                .path("encrypted_data_base64")
                                                .asText()))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(opened.statusCode()).as(opened.body()).isEqualTo(200);
        JsonNode secrets = JsonCodec.MAPPER.readTree(Base64.getDecoder()
                .decode(JsonCodec.MAPPER
                        .readTree(opened.body())
                        .path("plaintext_base64")
                        .asText()));
        assertThat(secrets.path("PROTECTED_DB").asText()).matches("[0-9a-f]{64}");

        body.putArray("new_secrets");
        assertPlainRefusal(
                post(system.coordinatorUrl() + "/secrets/add_generated_secret", address, body),
                400,
                "At least one new secret must be specified");
        // the coordinator's AddGeneratedSecretRequest: new_secrets a Vec<GeneratedSecretSpec>, whose null entry axum
        // refuses (422) before the keystore is asked
        body.putArray("new_secrets").addNull();
        Answer nullEntry = post(system.coordinatorUrl() + "/secrets/add_generated_secret", address, body);
        assertThat(nullEntry.status()).as(nullEntry.body()).isEqualTo(422);
        assertThat(ErrorBodies.message(nullEntry.body()))
                .isEqualTo("Failed to deserialize the JSON body into the target type: "
                        + "'new_secrets[0]' must be an object, not null");
    }

    @Test
    void aSignedUpdateGoesThroughToTheStoredProfileAndAForgedOneChangesNothing() throws Exception {
        String address = freshAddress();
        Signer alice = Signer.fresh();
        system.contracts().putAccount(ALICE, BigInteger.TEN.pow(24));
        system.contracts()
                .putAccessKey(
                        ALICE,
                        PublicKey.ed25519(alice.key().generatePublicKey().getEncoded()),
                        AccessKey.fullAccess(0));
        String repo = KeystoreUserSecretsUpdateTest.REPO;
        String pubkey = keystoreKeyFor(repo + ":" + ALICE);
        String blob = Base64.getEncoder()
                .encodeToString(Ecies.encrypt(
                        HexFormat.of().parseHex(pubkey), "{\"API_KEY\":\"old\"}".getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> stored = HTTP.send(
                HttpRequest.newBuilder(URI.create(system.keystoreUrl() + "/secrets/" + ALICE + "/default"))
                        .header("Authorization", "Bearer k1")
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"repo\":\"" + repo
                                + "\",\"encrypted_secrets_base64\":\"" + blob
                                + "\",\"access\":{\"Whitelist\":{\"accounts\":[\"" + ALICE + "\"]}}}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(stored.statusCode()).as(stored.body()).isIn(200, 201);
        String url = system.coordinatorUrl() + "/secrets/update_user_secrets";
        SecretsRef ref = new SecretsRef(ALICE, "default", repo, null);

        ObjectNode forged = KeystoreUserSecretsUpdateTest.update(
                Signer.fresh(),
                "append",
                Map.of("API_KEY", "forged"),
                Map.of(),
                KeystoreUserSecretsUpdateTest.repo(repo, null));
        Answer refused = post(url, address, forged);
        assertThat(refused.status())
                .as("the keystore's refusal, passed on: " + refused.body())
                .isBetween(400, 499);
        assertThat(system.secretsClient().fetch(ref, ALICE)).containsEntry("API_KEY", "old");

        ObjectNode signed = KeystoreUserSecretsUpdateTest.update(
                alice, "append", Map.of("API_KEY", "new"), Map.of(), KeystoreUserSecretsUpdateTest.repo(repo, null));
        Answer updated = post(url, address, signed);
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(updated.json().path("summary").path("updated_keys"))
                .extracting(JsonNode::asText)
                .containsExactly("API_KEY");
        assertThat(system.secretsClient().fetch(ref, ALICE)).containsEntry("API_KEY", "new");

        // the coordinator's own checks, before anything is forwarded
        ObjectNode unsigned = signed.deepCopy();
        unsigned.remove("signature");
        assertPlainRefusal(post(url, address, unsigned), 400, "signature is required");
        ObjectNode systemAccessor = signed.deepCopy();
        systemAccessor.set("accessor", JsonCodec.MAPPER.readTree("{\"type\":\"System\",\"PaymentKey\":{}}"));
        assertPlainRefusal(post(url, address, systemAccessor), 400, "Unknown accessor type: System");
        String[][] accessors = {
            {"accessor", "{\"type\":\"Repo\"}", "accessor.repo is required for Repo type"},
            {"accessor", "{\"type\":\"WasmHash\",\"hash\":\"\"}", "accessor.hash must be 64 hex characters"},
            {"new_accessor", "{\"type\":\"Project\"}", "new_accessor.project_id is required"},
            {"new_accessor", "{\"type\":\"Project\",\"project_id\":\"\"}", "new_accessor.project_id cannot be empty"},
            {"new_accessor", "{\"type\":\"Repo\",\"repo\":\"x\"}", "Invalid new_accessor repo format: "},
        };
        for (String[] c : accessors) {
            ObjectNode bad = signed.deepCopy();
            bad.set(c[0], JsonCodec.MAPPER.readTree(c[1]));
            Answer refused2 = post(url, address, bad);
            assertThat(refused2.status()).as(c[1]).isEqualTo(400);
            assertThat(refused2.response().headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
            assertThat(refused2.body()).as(c[1]).startsWith(c[2]);
        }
        assertThat(system.secretsClient().fetch(ref, ALICE)).containsEntry("API_KEY", "new");
    }

    @Test
    void aClientAddressPastItsLimitAMinuteGetsA429AndAnotherAddressDoesNot() throws Exception {
        String address = freshAddress();
        String url = system.coordinatorUrl() + "/secrets/pubkey";
        ObjectNode body = pubkeyRequest("{\"type\":\"Repo\",\"repo\":\"alice/agent\"}", null);
        for (int i = 0; i < LIMIT; i++) {
            assertThat(post(url, address, body).status())
                    .as("request " + (i + 1))
                    .isEqualTo(200);
        }
        Answer limited = post(url, address, body);
        assertThat(limited.status()).isEqualTo(429);
        // OutLayer's middleware answers a plain-text String, without Retry-After
        assertThat(limited.body())
                .isEqualTo("Rate limit exceeded: " + LIMIT + " requests/minute allowed. Try again later.");
        assertThat(limited.response().headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(limited.response().headers().firstValue("Retry-After")).isEmpty();
        // the three routes share the window, as OutLayer's one limiter
        assertThat(post(system.coordinatorUrl() + "/secrets/add_generated_secret", address, "{}")
                        .status())
                .isEqualTo(429);
        assertThat(post(url, freshAddress(), body).status()).isEqualTo(200);
    }

    /**
     * OutLayer's get_secrets_pubkey: a keystore refusal other than 400 is a 502 with the keystore's body, an answer it
     * cannot read a 502 {@code Failed to parse keystore response}, no answer a 502 {@code Failed to connect to
     * keystore}; in plain text, without the reqwest or serde error OutLayer appends (no internal detail here).
     */
    @Test
    void aKeystoreThatRefusesAnswersOddlyOrIsGoneIsABadGatewayInPlainText() throws Exception {
        java.util.concurrent.BlockingQueue<Object[]> answers = new java.util.concurrent.LinkedBlockingQueue<>();
        HttpServer keystore = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        keystore.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            Object[] answer = answers.remove();
            byte[] body = ((String) answer[1]).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders((int) answer[0], body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        keystore.start();
        Path frontDir = Files.createDirectories(dir.resolve("front"));
        try (TargetSystem front = TargetSystem.start(KeystoreUserSecretsUpdateTest.options(
                frontDir,
                "--components",
                "coordinator",
                "--keystore-url",
                "http://127.0.0.1:" + keystore.getAddress().getPort(),
                "--coordinator-token",
                COORDINATOR_TOKEN,
                "--worker-token",
                WORKER_TOKEN))) {
            String url = front.coordinatorUrl() + "/secrets/pubkey";
            ObjectNode body = pubkeyRequest("{\"type\":\"Repo\",\"repo\":\"alice/agent\"}", null);
            answers.add(new Object[] {503, "keystore warming up"});
            assertPlainRefusal(post(url, freshAddress(), body), 502, "keystore warming up");
            answers.add(new Object[] {200, "<html>not the keystore</html>"});
            assertPlainRefusal(post(url, freshAddress(), body), 502, "Failed to parse keystore response");
            keystore.stop(0);
            assertPlainRefusal(post(url, freshAddress(), body), 502, "Failed to connect to keystore");
        } finally {
            keystore.stop(0);
        }
    }

    @Test
    void theRoutesAreTheCoordinatorsNotTheHttpsCallTemplate() throws Exception {
        // POST /secrets/pubkey has two segments, as POST /{project_owner}/{project_name} (whose answer to this
        // body without a payment key is a 401): the literal routes win
        Answer pubkey = post(system.coordinatorUrl() + "/secrets/pubkey", freshAddress(), "{\"input\":1}");
        assertThat(pubkey.status()).as(pubkey.body()).isEqualTo(422);
        assertThat(ErrorBodies.message(pubkey.body())).contains("missing field `accessor`");
        assertPlainRefusal(
                post(system.coordinatorUrl() + "/secrets/update_user_secrets", freshAddress(), "{\"input\":1}"),
                400,
                "owner is required");
        for (String notAnObject : List.of("null", "[]", "\"owner\"")) {
            assertPlainRefusal(
                    post(system.coordinatorUrl() + "/secrets/update_user_secrets", freshAddress(), notAnObject),
                    400,
                    "owner is required");
        }
        HttpResponse<String> plainText = HTTP.send(
                HttpRequest.newBuilder(URI.create(system.coordinatorUrl() + "/secrets/pubkey"))
                        .header("X-Forwarded-For", freshAddress())
                        .header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(plainText.statusCode()).as("axum's Json extractor").isEqualTo(415);
        Answer call = post(system.coordinatorUrl() + "/alice.near/agent", freshAddress(), "{\"input\":1}");
        assertThat(call.status())
                .as("the HTTPS call route is there: " + call.body())
                .isEqualTo(401);
    }

    /** {@code PUT /secrets/{owner}/{profile}} on the target's keystore with alice's API key. */
    private static HttpResponse<String> storeOnKeystore(String profile, String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(system.keystoreUrl() + "/secrets/" + ALICE + "/" + profile))
                        .header("Authorization", "Bearer k1")
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A project's secret is stored only for a project OutLayer's contract holds (secrets.rs
     * store_secrets_internal: {@code Project '...' does not exist}): the target's keystore reads the contract
     * simulator's {@code get_project} when it stores one. The refused store changes nothing.
     */
    @Test
    void aProjectsSecretIsStoredOnlyForAProjectTheContractHolds() throws Exception {
        system.contracts().putAccount(ALICE, BigInteger.TEN.pow(25));
        String projectId = ALICE + "/stored-app";
        String accessor = "{\"type\":\"Project\",\"project_id\":\"" + projectId + "\"}";
        String pubkey = keystoreKeyFor("project:" + projectId + ":" + ALICE);
        String blob = Base64.getEncoder()
                .encodeToString(Ecies.encrypt(
                        HexFormat.of().parseHex(pubkey), "{\"API_KEY\":\"v\"}".getBytes(StandardCharsets.UTF_8)));
        String body =
                "{\"accessor\":" + accessor + ",\"encrypted_secrets_base64\":\"" + blob + "\",\"access\":\"AllowAll\"}";

        HttpResponse<String> refused = storeOnKeystore("app-secrets", body);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(ErrorBodies.message(refused.body())).isEqualTo("Project '" + projectId + "' does not exist");
        HttpResponse<String> read = HTTP.send(
                HttpRequest.newBuilder(URI.create(system.keystoreUrl() + "/secrets/" + ALICE + "/app-secrets"))
                        .header("Authorization", "Bearer k1")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(read.statusCode()).as("nothing stored").isEqualTo(404);

        var created = dev.outlayer.bench.targetsystem.contracts.TestContracts.call(
                system.contracts(),
                dev.outlayer.bench.targetsystem.contracts.ContractSimulator.OUTLAYER_ACCOUNT,
                ALICE,
                "create_project",
                "{\"name\":\"stored-app\",\"source\":{\"WasmUrl\":{\"url\":\"https://example.org/a.wasm\","
                        + "\"hash\":\"" + "ab".repeat(32) + "\"}}}",
                BigInteger.TEN.pow(23));
        assertThat(created.finalStatus())
                .as(created.toString())
                .isInstanceOf(dev.outlayer.bench.targetsystem.contracts.ExecutionStatus.SuccessValue.class);
        HttpResponse<String> stored = storeOnKeystore("app-secrets", body);
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
    }
}
