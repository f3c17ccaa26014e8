package dev.outlayer.bench.targetsystem.keystore;

import static dev.outlayer.bench.targetsystem.http.keystore.KeystoreFixture.ALICE_KEY;
import static dev.outlayer.bench.targetsystem.http.keystore.KeystoreFixture.WORKER_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.http.HttpServer;
import dev.outlayer.bench.targetsystem.http.Responses;
import dev.outlayer.bench.targetsystem.http.keystore.KeystoreFixture;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The coordinator's client against a real keystore, and against a keystore that misbehaves. */
class SecretsClientTest {
    static final String REPO = "github.com/alice/agent";
    static final SecretsRef REF = new SecretsRef("alice.near", "default", REPO, null);

    @RegisterExtension
    final KeystoreFixture keystore = KeystoreFixture.perTest();

    @BeforeEach
    void start() throws Exception {
        String ciphertext =
                keystore.encrypt(REPO, "alice.near", null, "{\"API_KEY\":\"k-1\",\"PATH\":\"/evil\",\"DEBUG\":\"1\"}");
        assertThat(keystore.store(
                                ALICE_KEY,
                                "alice.near",
                                "default",
                                REPO,
                                null,
                                ciphertext,
                                "{\"Whitelist\":{\"accounts\":[\"bob.near\"]}}")
                        .status())
                .isEqualTo(201);
    }

    SecretsClient client(String token) {
        return new SecretsClient(keystore.url, token, Duration.ofSeconds(5));
    }

    @Test
    void fetchesTheVariablesForAnAllowedUser() throws Exception {
        Map<String, String> secrets = client(WORKER_TOKEN).fetch(REF, "bob.near");
        assertThat(secrets)
                .containsEntry("API_KEY", "k-1")
                .containsEntry("DEBUG", "1")
                .hasSize(3);
    }

    @Test
    void fetchesAWasmHashScopeByItsAccessor() throws Exception {
        String hash = "7e".repeat(32);
        var accessor = JsonCodec.object().put("type", "WasmHash").put("hash", hash);
        var ask = JsonCodec.object().put("owner", "alice.near");
        ask.set("accessor", accessor);
        String pubkey = keystore.send("POST", "/pubkey", null, ask)
                .json()
                .path("pubkey")
                .asText();
        String blob = Base64.getEncoder()
                .encodeToString(Ecies.encrypt(
                        HexFormat.of().parseHex(pubkey), "{\"K\":\"by-hash\"}".getBytes(StandardCharsets.UTF_8)));
        var store = JsonCodec.object().put("encrypted_secrets_base64", blob).put("access", "AllowAll");
        store.set("accessor", accessor);
        assertThat(keystore.send("PUT", "/secrets/alice.near/module", ALICE_KEY, store)
                        .status())
                .isEqualTo(201);
        SecretsRef byHash = new SecretsRef("alice.near", "module", null, null, accessor);
        assertThat(client(WORKER_TOKEN).fetch(byHash, "bob.near")).containsEntry("K", "by-hash");
        assertThatThrownBy(() -> new SecretsRef("alice.near", "module", REPO, null, accessor))
                .hasMessageContaining("either repo");
    }

    @Test
    void keystoreRefusalsKeepTheirStatusAndReason() {
        assertThatThrownBy(() -> client(WORKER_TOKEN).fetch(REF, "mallory.near"))
                .isInstanceOfSatisfying(
                        SecretsException.class, e -> assertThat(e.kind()).isEqualTo(ApiException.Kind.FORBIDDEN))
                .hasMessageContaining("Access denied by access condition");
        assertThatThrownBy(
                        () -> client(WORKER_TOKEN).fetch(new SecretsRef("alice.near", "nope", REPO, null), "bob.near"))
                .isInstanceOfSatisfying(
                        SecretsException.class, e -> assertThat(e.kind()).isEqualTo(ApiException.Kind.NOT_FOUND));
        assertThatThrownBy(() -> client("not-the-token").fetch(REF, "bob.near"))
                .isInstanceOfSatisfying(
                        SecretsException.class, e -> assertThat(e.kind()).isEqualTo(ApiException.Kind.BAD_GATEWAY))
                .hasMessageContaining("worker token");
    }

    /** As OutLayer's worker reads a 400 (keystore_client.rs {@code secrets_error}): one that says "not found" is no secret. */
    @Test
    void aBadRequestThatSaysNotFoundIsNoSuchSecret() throws Exception {
        assertThat(thrownByAKeystoreAnswering(400, JsonCodec.object().put("error", "Secrets not found")))
                .isInstanceOfSatisfying(
                        SecretsException.class, e -> assertThat(e.kind()).isEqualTo(ApiException.Kind.NOT_FOUND));
    }

    /** What fetching {@link #REF} throws from a keystore that answers every request {@code status} with {@code body}. */
    private static Throwable thrownByAKeystoreAnswering(int status, Object body) throws Exception {
        HttpServer stub = HttpServer.start(
                "stub-keystore", "127.0.0.1", 0, exchange -> Responses.json(exchange, status, body), 100);
        try {
            SecretsClient client =
                    new SecretsClient("http://127.0.0.1:" + stub.port(), WORKER_TOKEN, Duration.ofSeconds(2));
            return catchThrowable(() -> client.fetch(REF, "bob.near"));
        } finally {
            stub.close();
        }
    }

    @Test
    void anUnreachableKeystoreIs502() throws Exception {
        int freePort;
        try (ServerSocket socket = new ServerSocket(0)) {
            freePort = socket.getLocalPort();
        }
        SecretsClient nowhere = new SecretsClient("http://127.0.0.1:" + freePort, WORKER_TOKEN, Duration.ofSeconds(2));
        assertThatThrownBy(() -> nowhere.fetch(REF, "bob.near"))
                .isInstanceOfSatisfying(
                        SecretsException.class, e -> assertThat(e.kind()).isEqualTo(ApiException.Kind.BAD_GATEWAY))
                .hasMessageContaining("unreachable");
    }

    @Test
    void reservedNamesFromAKeystoreAreRefusedNotInjected() throws Exception {
        // A keystore that skips its own checks: the coordinator must still refuse platform names.
        String plaintext = Base64.getEncoder()
                .encodeToString(
                        "{\"NEAR_SENDER_ID\":\"attacker.near\",\"API_KEY\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(thrownByAKeystoreAnswering(200, JsonCodec.object().put("plaintext_secrets", plaintext)))
                .isInstanceOfSatisfying(
                        SecretsException.class, e -> assertThat(e.kind()).isEqualTo(ApiException.Kind.INVALID))
                .hasMessageContaining("NEAR_SENDER_ID")
                .hasMessageContaining("reserved")
                .hasMessageNotContaining("attacker.near");
    }
}
