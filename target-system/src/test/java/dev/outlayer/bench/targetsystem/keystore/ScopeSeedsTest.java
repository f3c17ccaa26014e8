package dev.outlayer.bench.targetsystem.keystore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.timing.PhaseTimer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The four scopes of OutLayer's SecretAccessor and their seed strings exactly as keystore-worker's
 * decrypt_handler builds them; a blob made for one seed opens only under it.
 */
class ScopeSeedsTest {
    static final String HASH = "ab".repeat(32);
    static final String OWNER = "alice.near";

    @TempDir
    Path dir;

    KeystoreService keystore;

    @BeforeEach
    void start() throws Exception {
        Files.writeString(dir.resolve("api-keys.csv"), "api_key,tier,owner\nalice-key,standard,alice.near\n");
        keystore = KeystoreService.create(
                new KeystoreConfig(dir.resolve("keystore"), "", List.of(), dir.resolve("api-keys.csv"), 0), null);
    }

    @AfterEach
    void stop() {
        keystore.close();
    }

    static JsonNode json(String text) throws Exception {
        return JsonCodec.MAPPER.readTree(text);
    }

    static Scope scope(String accessorJson, String profile) throws Exception {
        return Scope.of(null, null, json(accessorJson), OWNER, profile, UnaryOperator.identity());
    }

    @Test
    void seedsAreOutLayersStrings() throws Exception {
        assertThat(new Scope("https://github.com/alice/agent.git", OWNER, null).seed())
                .isEqualTo("github.com/alice/agent:alice.near");
        assertThat(new Scope("github.com/alice/agent", OWNER, "main").seed())
                .isEqualTo("github.com/alice/agent:alice.near:main");
        assertThat(scope("{\"type\":\"WasmHash\",\"hash\":\"" + HASH + "\"}", "default")
                        .seed())
                .isEqualTo("wasm_hash:" + HASH + ":alice.near");
        assertThat(scope("{\"type\":\"Project\",\"project_id\":\"alice.near/agent\"}", "default")
                        .seed())
                .isEqualTo("project:alice.near/agent:alice.near");
        // A System secret's nonce is its profile name.
        assertThat(scope("{\"type\":\"System\",\"secret_type\":\"payment_key\"}", "7")
                        .seed())
                .isEqualTo("system:payment_key:alice.near:7");
    }

    @Test
    void badAccessorsAreRefused() {
        assertThatThrownBy(() -> scope("{\"type\":\"WasmHash\",\"hash\":\"abc\"}", "p"))
                .hasMessageContaining("64 hex characters");
        assertThatThrownBy(() -> scope("{\"type\":\"System\",\"secret_type\":\"PaymentKey\"}", "p"))
                .hasMessageContaining("payment_key");
        assertThatThrownBy(() -> scope("{\"type\":\"System\",\"secret_type\":\"payment_key\"}", null))
                .hasMessageContaining("nonce");
        assertThatThrownBy(() -> scope("{\"type\":\"Tag\"}", "p"))
                .hasMessageContaining("Repo, WasmHash, Project or System");
        assertThatThrownBy(() -> Scope.of(
                        "github.com/a/b",
                        null,
                        json("{\"type\":\"Project\",\"project_id\":\"x\"}"),
                        OWNER,
                        "p",
                        UnaryOperator.identity()))
                .hasMessageContaining("not both");
    }

    String encryptFor(String seed, String plaintext) {
        byte[] publicKey = HexFormat.of().parseHex(keystore.publicKeyHexForSeed(seed));
        return Base64.getEncoder().encodeToString(Ecies.encrypt(publicKey, plaintext.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void eachScopeStoresAndOpensUnderItsOwnSeed() throws Exception {
        String[][] cases = {
            {"{\"type\":\"WasmHash\",\"hash\":\"" + HASH + "\"}", "by-hash", "wasm_hash:" + HASH + ":alice.near"},
            {
                "{\"type\":\"Project\",\"project_id\":\"alice.near/agent\"}",
                "by-project",
                "project:alice.near/agent:alice.near"
            },
            {"{\"type\":\"System\",\"secret_type\":\"payment_key\"}", "42", "system:payment_key:alice.near:42"},
        };
        for (String[] c : cases) {
            // a payment key's secret is its key and metadata, not environment variables
            String secret = c[1].equals("42")
                    ? "{\"key\":\"" + "ab".repeat(32) + "\",\"project_ids\":[],\"initial_balance\":\"0\"}"
                    : "{\"K\":\"" + c[1] + "\"}";
            String blob = encryptFor(c[2], secret);
            keystore.store(OWNER, c[1], scope(c[0], c[1]), blob, json("\"AllowAll\""), PhaseTimer.NONE);
            byte[] plaintext = keystore.decrypt(scope(c[0], c[1]), c[1], "bob.near", PhaseTimer.NONE);
            assertThat(new String(plaintext, StandardCharsets.UTF_8)).isEqualTo(secret);
        }
        // A repository's seed does not open a wasm-hash blob, and another hash does not find it.
        String repoBlob = encryptFor("github.com/alice/agent:alice.near", "{\"K\":\"v\"}");
        assertThatThrownBy(() -> keystore.store(
                        OWNER, "wrong", scope(cases[0][0], "wrong"), repoBlob, json("\"AllowAll\""), PhaseTimer.NONE))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("wasm_hash:");
        assertThatThrownBy(() -> keystore.decrypt(
                        scope("{\"type\":\"WasmHash\",\"hash\":\"" + "cd".repeat(32) + "\"}", "by-hash"),
                        "by-hash",
                        "bob.near",
                        PhaseTimer.NONE))
                .isInstanceOf(ApiException.class)
                .extracting(e -> ((ApiException) e).kind())
                .isEqualTo(ApiException.Kind.NOT_FOUND);
    }

    @Test
    void aSystemSecretsNonceIsPartOfItsKey() throws Exception {
        String forOne = encryptFor("system:payment_key:alice.near:1", "{\"K\":\"v\"}");
        assertThatThrownBy(() -> keystore.store(
                        OWNER,
                        "2",
                        scope("{\"type\":\"System\",\"secret_type\":\"payment_key\"}", "2"),
                        forOne,
                        json("\"AllowAll\""),
                        PhaseTimer.NONE))
                .hasMessageContaining("system:payment_key:alice.near:2");
    }

    @Test
    void scopesSurviveARestart() throws Exception {
        String blob = encryptFor("project:alice.near/agent:alice.near", "{\"K\":\"v\"}");
        String accessor = "{\"type\":\"Project\",\"project_id\":\"alice.near/agent\"}";
        keystore.store(OWNER, "p", scope(accessor, "p"), blob, json("\"AllowAll\""), PhaseTimer.NONE);
        keystore.close();
        keystore = KeystoreService.create(
                new KeystoreConfig(dir.resolve("keystore"), "", List.of(), dir.resolve("api-keys.csv"), 0), null);
        assertThat(keystore.show(OWNER, "p", null).scope().seed()).isEqualTo("project:alice.near/agent:alice.near");
        assertThat(keystore.decrypt(scope(accessor, "p"), "p", "bob.near", PhaseTimer.NONE))
                .isNotEmpty();
    }
}
