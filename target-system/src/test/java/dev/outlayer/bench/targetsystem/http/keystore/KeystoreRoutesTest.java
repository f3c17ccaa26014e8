package dev.outlayer.bench.targetsystem.http.keystore;

import static dev.outlayer.bench.targetsystem.http.keystore.KeystoreFixture.ALICE_KEY;
import static dev.outlayer.bench.targetsystem.http.keystore.KeystoreFixture.BOB_KEY;
import static dev.outlayer.bench.targetsystem.http.keystore.KeystoreFixture.WORKER_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.outlayer.bench.targetsystem.http.RawRequests;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.keystore.Ecies;
import dev.outlayer.bench.targetsystem.testing.ErrorBodies;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The keystore over real HTTP: every refusal is a clear 4xx and the service keeps serving. */
class KeystoreRoutesTest {
    static final String REPO = "github.com/alice/agent";
    static final String SECRET_VALUE = "sk-live-very-secret-4242";
    static final String SECRETS = "{\"API_KEY\":\"" + SECRET_VALUE + "\",\"REGION\":\"eu-west\"}";

    @TempDir
    Path dir;

    KeystoreFixture keystore;
    ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void start() throws Exception {
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        keystore = new KeystoreFixture(dir);
    }

    @AfterEach
    void stop() {
        keystore.close();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        // No plaintext secret ever reaches a log line.
        assertThat(logs.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(line -> line.contains(SECRET_VALUE));
    }

    String storeAliceProfile(String profile, String access) {
        String ciphertext = keystore.encrypt(REPO, "alice.near", null, SECRETS);
        var stored = keystore.store(ALICE_KEY, "alice.near", profile, REPO, null, ciphertext, access);
        assertThat(stored.status()).as(stored.body()).isEqualTo(201);
        return ciphertext;
    }

    @Test
    void everyScopeIsUsableOverHttpWithOutLayersAccessorForm() throws Exception {
        String hash = "0f".repeat(32);
        var wasmHash = JsonCodec.object().put("type", "WasmHash").put("hash", hash);
        var key = keystore.send(
                "POST",
                "/pubkey",
                null,
                JsonCodec.object().put("owner", "alice.near").set("accessor", wasmHash));
        assertThat(key.status()).as(key.body()).isEqualTo(200);
        assertThat(key.json().path("seed").asText()).isEqualTo("wasm_hash:" + hash + ":alice.near");
        String blob = Base64.getEncoder()
                .encodeToString(Ecies.encrypt(
                        HexFormat.of().parseHex(key.json().path("pubkey").asText()),
                        ("{\"API_KEY\":\"" + SECRET_VALUE + "\"}").getBytes(StandardCharsets.UTF_8)));
        var store = JsonCodec.object().put("encrypted_secrets_base64", blob).put("access", "AllowAll");
        store.set("accessor", wasmHash);
        var stored = keystore.send("PUT", "/secrets/alice.near/by-hash", ALICE_KEY, store);
        assertThat(stored.status()).as(stored.body()).isEqualTo(201);
        assertThat(stored.json().path("accessor").path("type").asText()).isEqualTo("WasmHash");
        var decrypt = JsonCodec.object()
                .put("owner", "alice.near")
                .put("profile", "by-hash")
                .put("user_account_id", "bob.near");
        decrypt.set("accessor", wasmHash);
        var opened = keystore.send("POST", "/decrypt", WORKER_TOKEN, decrypt);
        assertThat(opened.status()).as(opened.body()).isEqualTo(200);
        assertThat(KeystoreFixture.plaintextOf(opened)).contains(SECRET_VALUE);
        // A System secret's key is asked for with its profile (the nonce).
        var system = JsonCodec.object().put("type", "System").put("secret_type", "payment_key");
        var noNonce = keystore.send(
                "POST",
                "/pubkey",
                null,
                JsonCodec.object().put("owner", "alice.near").set("accessor", system));
        assertThat(noNonce.status()).isEqualTo(400);
        var withNonce = JsonCodec.object().put("owner", "alice.near").put("profile", "3");
        withNonce.set("accessor", system);
        assertThat(keystore.send("POST", "/pubkey", null, withNonce)
                        .json()
                        .path("seed")
                        .asText())
                .isEqualTo("system:payment_key:alice.near:3");
        var both = JsonCodec.object().put("owner", "alice.near").put("repo", REPO);
        both.set("accessor", wasmHash);
        assertThat(keystore.send("POST", "/pubkey", null, both).status()).isEqualTo(400);
    }

    /**
     * A member of another JSON type is refused naming it, as OutLayer's keystore (serde: {@code owner: String})
     * refuses it: on its routes axum's 422 (its words in our JSON error body), on the stand-in's own {@code PUT /secrets} a 400; Jackson
     * alone read the number 1e400 as the owner "1e400" and answered its key.
     */
    @Test
    void aNumberOrBooleanWhereAStringIsExpectedIsRefusedNamingTheMember() throws Exception {
        String[][] cases = {
            {"POST", "/pubkey", null, "{\"repo\":\"" + REPO + "\",\"owner\":1e400}", "'owner' must be a string"},
            {
                "POST",
                "/pubkey",
                null,
                "{\"repo\":\"" + REPO + "\",\"owner\":\"alice.near\",\"branch\":true}",
                "'branch' must be a string"
            },
            {
                "POST",
                "/decrypt",
                KeystoreFixture.WORKER_TOKEN,
                "{\"owner\":\"alice.near\",\"profile\":3,\"repo\":\"" + REPO + "\",\"user_account_id\":\"bob.near\"}",
                "'profile' must be a string"
            },
            {
                "PUT",
                "/secrets/alice.near/numbers",
                ALICE_KEY,
                "{\"repo\":\"" + REPO + "\",\"encrypted_secrets_base64\":12,\"access\":\"AllowAll\"}",
                "'encrypted_secrets_base64' must be a string"
            },
        };
        for (String[] c : cases) {
            var refused = keystore.send(c[0], c[1], c[2], c[3].getBytes(StandardCharsets.UTF_8));
            if (c[1].startsWith("/secrets/")) {
                assertThat(refused.status()).as(c[3]).isEqualTo(400);
                assertThat(refused.json().path("error").asText()).as(c[3]).isEqualTo(c[4]);
            } else if (c[3].contains("1e400")) {
                // serde_json reads no number past f64: a syntax error, before the member's type is looked at
                assertThat(refused.status()).as(c[3]).isEqualTo(400);
                assertThat(ErrorBodies.message(refused.body()))
                        .as(c[3])
                        .startsWith("Failed to parse the request body as JSON: number out of range at line 1 column ");
            } else {
                assertThat(refused.status()).as(c[3]).isEqualTo(422);
                assertThat(ErrorBodies.message(refused.body()))
                        .as(c[3])
                        .isEqualTo("Failed to deserialize the JSON body into the target type: " + c[4]);
            }
        }
        assertThat(keystore.send("GET", "/secrets/alice.near", ALICE_KEY, null).body())
                .as("the refused store stored nothing")
                .doesNotContain("numbers");
        var asked = keystore.send(
                "POST",
                "/pubkey",
                null,
                ("{\"repo\":\"" + REPO + "\",\"owner\":\"1e400\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(asked.status()).as("the same owner as a string").isEqualTo(200);
    }

    /**
     * Free-form members ({@code access}, {@code accessor}) are parsed as OutLayer's keystore (serde_json) parses
     * them: a number beyond f64 and the 128th nested level are refused in its words, and nothing is stored. Jackson
     * alone held 1e400 as Infinity and read 256 levels.
     */
    @Test
    void aNumberBeyondF64OrNestingPastSerdesLimitIsA400InSerdeJsonsWords() throws Exception {
        String store = "{\"repo\":\"" + REPO + "\",\"encrypted_secrets_base64\":\"AAAA\",\"access\":";
        var outOfRange = keystore.send(
                "PUT",
                "/secrets/alice.near/huge",
                ALICE_KEY,
                (store + "{\"x\":[1e400]}}").getBytes(StandardCharsets.UTF_8));
        assertThat(outOfRange.status()).isEqualTo(400);
        assertThat(outOfRange.json().path("error").asText())
                .isEqualTo("the request body is not valid JSON: number out of range at line 1 column "
                        + (store.length() + "{\"x\":[1e400".length()));
        String ask = "{\"owner\":\"alice.near\",\"accessor\":";
        var deepest = keystore.send(
                "POST",
                "/pubkey",
                null,
                (ask + "[".repeat(126) + "]".repeat(126) + "}").getBytes(StandardCharsets.UTF_8));
        assertThat(deepest.status()).isEqualTo(400);
        assertThat(deepest.json().path("error").asText())
                .as("read, then refused as no accessor")
                .doesNotContain("recursion limit");
        var deeper = keystore.send(
                "POST",
                "/pubkey",
                null,
                (ask + "[".repeat(127) + "]".repeat(127) + "}").getBytes(StandardCharsets.UTF_8));
        assertThat(deeper.status()).isEqualTo(400);
        assertThat(deeper.json().path("error").asText())
                .as("serde_json's syntax error: axum's 400")
                .isEqualTo("Failed to parse the request body as JSON: recursion limit exceeded at line 1 column "
                        + (ask.length() + 127));
        assertThat(keystore.send("GET", "/secrets/alice.near", ALICE_KEY, null).body())
                .as("the refused store stored nothing")
                .doesNotContain("huge");
    }

    @Test
    void aRepoIsAskedForAsOutLayersCoordinatorNormalisesItAndStoredAsItsKeystoreLooksItUp() throws Exception {
        // POST /pubkey answers the normalised repo; storing under what was typed (owner/repo) would be
        // another seed, refused at once rather than found undecryptable inside an execution.
        var asked = keystore.send(
                "POST",
                "/pubkey",
                null,
                JsonCodec.object().put("repo", "alice/agent").put("owner", "alice.near"));
        assertThat(asked.json().path("repo_normalized").asText()).isEqualTo(REPO);
        String blob = keystore.encrypt("alice/agent", "alice.near", null, "{\"K\":\"v\"}");
        var typed = keystore.store(ALICE_KEY, "alice.near", "p", "alice/agent", null, blob, "\"AllowAll\"");
        assertThat(typed.status()).isEqualTo(400);
        assertThat(typed.json().path("error").asText()).contains("alice/agent:alice.near");
        var normalised = keystore.store(ALICE_KEY, "alice.near", "p", REPO, null, blob, "\"AllowAll\"");
        assertThat(normalised.status()).as(normalised.body()).isEqualTo(201);
        var opened = keystore.decrypt(
                WORKER_TOKEN, "alice.near", "p", "https://github.com/alice/agent.git", null, "bob.near");
        assertThat(opened.status()).as(opened.body()).isEqualTo(200);
    }

    @Test
    void pubkeyIsStablePerScopeAndNormalisesTheRepo() {
        String key = keystore.pubkey(REPO, "alice.near", null);
        assertThat(key).matches("[0-9a-f]{64}");
        assertThat(keystore.pubkey("https://github.com/alice/agent.git", "alice.near", null))
                .isEqualTo(key);
        assertThat(keystore.pubkey("alice/agent", "alice.near", null)).isEqualTo(key);
        assertThat(keystore.pubkey(REPO, "alice.near", "main")).isNotEqualTo(key);
        assertThat(keystore.pubkey(REPO, "bob.near", null)).isNotEqualTo(key);
        var bySeed = keystore.send("GET", "/pubkey?seed=github.com/alice/agent:alice.near", null, null);
        assertThat(bySeed.json().path("pubkey").asText()).isEqualTo(key);
        var missing = keystore.send("POST", "/pubkey", null, JsonCodec.object().put("owner", "alice.near"));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().path("error").asText()).contains("repo");
        assertThat(keystore.send(
                                "POST",
                                "/pubkey",
                                null,
                                JsonCodec.object().put("repo", REPO).put("owner", "a.near"))
                        .serverTiming())
                .contains("derive;dur=");
    }

    /**
     * OutLayer keystore-worker's own {@code POST /pubkey {seed, secrets_json}} (api.rs
     * pubkey_handler), as its coordinator forwards it from the dashboard: the seed's key once the
     * secrets' names pass, else a 400 naming them. It was a 400 "'owner' is required".
     */
    @Test
    void outLayersSeedFormOfPubkeyChecksTheSecretsNamesFirst() {
        String seed = REPO + ":alice.near";
        var answer = keystore.send(
                "POST", "/pubkey", null, JsonCodec.object().put("seed", seed).put("secrets_json", SECRETS));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        String key = answer.json().path("pubkey").asText();
        assertThat(key).isEqualTo(keystore.pubkey(REPO, "alice.near", null));
        // A blob made with it is stored and opened as the scope's.
        String ciphertext = Base64.getEncoder()
                .encodeToString(Ecies.encrypt(HexFormat.of().parseHex(key), SECRETS.getBytes(StandardCharsets.UTF_8)));
        assertThat(keystore.store(ALICE_KEY, "alice.near", "dash", REPO, null, ciphertext, "\"AllowAll\"")
                        .status())
                .isEqualTo(201);
        assertThat(KeystoreFixture.plaintextOf(
                        keystore.decrypt(WORKER_TOKEN, "alice.near", "dash", REPO, null, "bob.near")))
                .isEqualTo(SECRETS);

        var reserved = keystore.send(
                "POST",
                "/pubkey",
                null,
                JsonCodec.object()
                        .put("seed", seed)
                        .put("secrets_json", "{\"NEAR_SENDER_ID\":\"" + SECRET_VALUE + "\",\"WALLET_ID\":\"w\"}"));
        assertThat(reserved.status()).isEqualTo(400);
        assertThat(reserved.json().path("error").asText())
                .startsWith("Cannot use reserved system keywords as secret keys: NEAR_SENDER_ID, WALLET_ID");
        assertThat(reserved.body()).doesNotContain(SECRET_VALUE);
        var manualProtected = keystore.send(
                "POST",
                "/pubkey",
                null,
                JsonCodec.object().put("seed", seed).put("secrets_json", "{\"PROTECTED_KEY\":\"x\"}"));
        assertThat(manualProtected.status()).isEqualTo(400);
        assertThat(manualProtected.json().path("error").asText())
                .startsWith("Manual secrets cannot use 'PROTECTED_' prefix")
                .contains("PROTECTED_KEY");
        for (String notAnObject : new String[] {"{\"A\":\"" + SECRET_VALUE, "[\"A\"]", "\"A\""}) {
            var bad = keystore.send(
                    "POST",
                    "/pubkey",
                    null,
                    JsonCodec.object().put("seed", seed).put("secrets_json", notAnObject));
            assertThat(bad.status()).as(notAnObject).isEqualTo(400);
            assertThat(bad.json().path("error").asText()).startsWith("Invalid JSON format");
            assertThat(bad.body()).doesNotContain(SECRET_VALUE);
        }
        assertThat(keystore.send("POST", "/pubkey", null, JsonCodec.object().put("seed", seed))
                        .status())
                .isEqualTo(400);
        var vault = keystore.send(
                "POST",
                "/pubkey",
                null,
                JsonCodec.object().put("seed", seed).put("secrets_json", "{}").put("vault_id", "vault.alice.near"));
        assertThat(vault.status()).isEqualTo(400);
        assertThat(vault.json().path("error").asText()).contains("vault_id");
        var both = keystore.send(
                "POST",
                "/pubkey",
                null,
                JsonCodec.object().put("seed", seed).put("secrets_json", "{}").put("repo", REPO));
        assertThat(both.status()).isEqualTo(400);
    }

    @Test
    void storeThenDecryptReturnsThePlaintextToAWorker() {
        storeAliceProfile("default", "\"AllowAll\"");
        var decrypted = keystore.decrypt(WORKER_TOKEN, "alice.near", "default", REPO, null, "carol.near");
        assertThat(decrypted.status()).as(decrypted.body()).isEqualTo(200);
        assertThat(KeystoreFixture.plaintextOf(decrypted)).isEqualTo(SECRETS);
        assertThat(decrypted.serverTiming()).contains("auth;dur=", "lookup;dur=", "access;dur=", "decrypt;dur=");
    }

    @Test
    void replacingAProfileIs200AndListingNeverShowsSecrets() {
        String ciphertext = storeAliceProfile("prod", "{\"Whitelist\":{\"accounts\":[\"bob.near\"]}}");
        var replaced = keystore.store(ALICE_KEY, "alice.near", "prod", REPO, null, ciphertext, "\"AllowAll\"");
        assertThat(replaced.status()).isEqualTo(200);
        var list = keystore.send("GET", "/secrets/alice.near", ALICE_KEY, null);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().path("profiles")).hasSize(1);
        assertThat(list.json().path("profiles").get(0).path("access").asText()).isEqualTo("AllowAll");
        assertThat(list.json().path("profiles").get(0).path("ciphertext_bytes").asInt())
                .isEqualTo(Base64.getDecoder().decode(ciphertext).length);
        assertThat(list.body())
                .doesNotContain(SECRET_VALUE)
                .doesNotContain(ciphertext.substring(0, 40))
                .doesNotContain("API_KEY");
        var one = keystore.send("GET", "/secrets/alice.near/prod", ALICE_KEY, null);
        assertThat(one.json().path("repo").asText()).isEqualTo(REPO);
        assertThat(one.body()).doesNotContain(SECRET_VALUE);
    }

    @Test
    void onlyTheOwnersApiKeyWritesReadsAndDeletes() {
        String ciphertext = keystore.encrypt(REPO, "alice.near", null, SECRETS);
        var noKey = keystore.store(null, "alice.near", "default", REPO, null, ciphertext, "\"AllowAll\"");
        assertThat(noKey.status()).isEqualTo(401);
        var unknownKey = keystore.store("nope", "alice.near", "default", REPO, null, ciphertext, "\"AllowAll\"");
        assertThat(unknownKey.status()).isEqualTo(401);
        var wrongOwner = keystore.store(BOB_KEY, "alice.near", "default", REPO, null, ciphertext, "\"AllowAll\"");
        assertThat(wrongOwner.status()).isEqualTo(403);
        assertThat(wrongOwner.json().path("error").asText()).contains("bob.near", "alice.near");

        storeAliceProfile("default", "\"AllowAll\"");
        assertThat(keystore.send("GET", "/secrets/alice.near", BOB_KEY, null).status())
                .isEqualTo(403);
        assertThat(keystore.send("DELETE", "/secrets/alice.near/default", BOB_KEY, null)
                        .status())
                .isEqualTo(403);
        assertThat(keystore.send("DELETE", "/secrets/alice.near/default", ALICE_KEY, null)
                        .status())
                .isEqualTo(204);
        assertThat(keystore.send("DELETE", "/secrets/alice.near/default", ALICE_KEY, null)
                        .status())
                .isEqualTo(404);
        assertThat(keystore.decrypt(WORKER_TOKEN, "alice.near", "default", REPO, null, "alice.near")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void badCiphertextsAndReservedNamesAreRefusedWhenStored() {
        String good = keystore.encrypt(REPO, "alice.near", null, SECRETS);
        byte[] tampered = Base64.getDecoder().decode(good);
        tampered[tampered.length - 5] ^= 0x40;
        var tamperedReply = keystore.store(
                ALICE_KEY, "alice.near", "p", REPO, null, Base64.getEncoder().encodeToString(tampered), "\"AllowAll\"");
        assertThat(tamperedReply.status()).isEqualTo(400);
        assertThat(tamperedReply.json().path("error").asText()).contains("failed authentication");

        String otherScope = keystore.encrypt("github.com/alice/other", "alice.near", null, SECRETS);
        var wrongScope = keystore.store(ALICE_KEY, "alice.near", "p", REPO, null, otherScope, "\"AllowAll\"");
        assertThat(wrongScope.status()).isEqualTo(400);
        assertThat(wrongScope.json().path("error").asText()).contains("another scope");

        var notBase64 = keystore.store(ALICE_KEY, "alice.near", "p", REPO, null, "%%%", "\"AllowAll\"");
        assertThat(notBase64.status()).isEqualTo(400);

        // OutLayer's exact reserved names, and its PROTECTED_ prefix for what the keystore generates itself.
        for (String reserved : new String[] {"NEAR_SENDER_ID", "WALLET_ID", "OUTLAYER_PROJECT_ID", "PROTECTED_KEY"}) {
            String ciphertext =
                    keystore.encrypt(REPO, "alice.near", null, "{\"" + reserved + "\":\"" + SECRET_VALUE + "\"}");
            var reply = keystore.store(ALICE_KEY, "alice.near", "p", REPO, null, ciphertext, "\"AllowAll\"");
            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.json().path("error").asText())
                    .contains(reserved)
                    .containsAnyOf("reserved", "PROTECTED_")
                    .doesNotContain(SECRET_VALUE);
        }
        String notAnObject = keystore.encrypt(REPO, "alice.near", null, "[\"" + SECRET_VALUE + "\"]");
        var arrayReply = keystore.store(ALICE_KEY, "alice.near", "p", REPO, null, notAnObject, "\"AllowAll\"");
        assertThat(arrayReply.status()).isEqualTo(400);
        assertThat(arrayReply.body()).doesNotContain(SECRET_VALUE);
        String notJson = keystore.encrypt(REPO, "alice.near", null, "API_KEY=" + SECRET_VALUE);
        var notJsonReply = keystore.store(ALICE_KEY, "alice.near", "p", REPO, null, notJson, "\"AllowAll\"");
        assertThat(notJsonReply.status()).isEqualTo(400);
        assertThat(notJsonReply.body()).doesNotContain(SECRET_VALUE);

        var badAccess = keystore.store(
                ALICE_KEY, "alice.near", "p", REPO, null, good, "{\"AccountPattern\":{\"pattern\":[\"(\"]}}");
        assertThat(badAccess.status()).isEqualTo(400);
        assertThat(keystore.send("GET", "/secrets/alice.near", ALICE_KEY, null)
                        .json()
                        .path("profiles"))
                .isEmpty();
    }

    @Test
    void decryptNeedsAWorkerToken() {
        storeAliceProfile("default", "\"AllowAll\"");
        for (String token : new String[] {null, "", "wrong-token", ALICE_KEY, WORKER_TOKEN + "x"}) {
            var reply = keystore.decrypt(token, "alice.near", "default", REPO, null, "alice.near");
            assertThat(reply.status()).as("token %s", token).isEqualTo(401);
            assertThat(reply.body()).doesNotContain(SECRET_VALUE);
        }
    }

    @Test
    void decryptChecksTheAccessConditionAgainstTheUser() {
        storeAliceProfile(
                "team",
                "{\"Logic\":{\"operator\":\"Or\",\"conditions\":[{\"Whitelist\":{\"accounts\":[\"bob.near\"]}},"
                        + "{\"AccountPattern\":{\"pattern\":\"^[a-z]+\\\\.alice\\\\.near$\"}}]}}");
        assertThat(keystore.decrypt(WORKER_TOKEN, "alice.near", "team", REPO, null, "bob.near")
                        .status())
                .isEqualTo(200);
        assertThat(keystore.decrypt(WORKER_TOKEN, "alice.near", "team", REPO, null, "bot.alice.near")
                        .status())
                .isEqualTo(200);
        var stranger = keystore.decrypt(WORKER_TOKEN, "alice.near", "team", REPO, null, "mallory.near");
        assertThat(stranger.status()).isEqualTo(403);
        assertThat(stranger.json().path("error").asText()).isEqualTo("Access denied by access condition");
        assertThat(stranger.body()).doesNotContain(SECRET_VALUE);
        var malformed = keystore.decrypt(WORKER_TOKEN, "alice.near", "team", REPO, null, "Not An Account");
        assertThat(malformed.status()).isEqualTo(400);
    }

    /**
     * A refusal is OutLayer's sentence (types.rs denial_message_in), and names a time limit that has
     * passed where it is what refused the caller: their own dated grant, wherever it sits under an
     * Or, never under Not (where a passed limit admits). It was "access condition of alice.near/...
     * does not allow ...", which OutLayer's worker does not read as an access refusal.
     */
    @Test
    void aRefusalIsOutLayersSentenceAndNamesALapsedGrant() {
        String lapsedGrant = "{\"Logic\":{\"operator\":\"And\",\"conditions\":["
                + "{\"Whitelist\":{\"accounts\":[\"bob.near\"]}},{\"ValidUntil\":{\"until_ns\":\"1000000000\"}}]}}";
        storeAliceProfile("grant", lapsedGrant);
        var bob = keystore.decrypt(WORKER_TOKEN, "alice.near", "grant", REPO, null, "bob.near");
        assertThat(bob.status()).isEqualTo(403);
        assertThat(bob.json().path("error").asText())
                .isEqualTo("Access denied by access condition: its time limit passed at 1970-01-01T00:00:01Z");
        storeAliceProfile(
                "either",
                "{\"Logic\":{\"operator\":\"Or\",\"conditions\":[{\"Whitelist\":{\"accounts\":[\"carol.near\"]}},"
                        + lapsedGrant + "]}}");
        assertThat(keystore.decrypt(WORKER_TOKEN, "alice.near", "either", REPO, null, "bob.near")
                        .json()
                        .path("error")
                        .asText())
                .as("carol's live branch is not bob's grant: bob's own lapsed (types.rs lapsed_grant_in)")
                .isEqualTo("Access denied by access condition: its time limit passed at 1970-01-01T00:00:01Z");
        assertThat(keystore.decrypt(WORKER_TOKEN, "alice.near", "either", REPO, null, "dave.near")
                        .json()
                        .path("error")
                        .asText())
                .as("a stranger was refused for not being named, not for time")
                .isEqualTo("Access denied by access condition");
        storeAliceProfile(
                "both-lapsed",
                "{\"Logic\":{\"operator\":\"Or\",\"conditions\":[{\"ValidUntil\":{\"until_ns\":\"2000000000\"}},"
                        + lapsedGrant + "]}}");
        assertThat(keystore.decrypt(WORKER_TOKEN, "alice.near", "both-lapsed", REPO, null, "bob.near")
                        .json()
                        .path("error")
                        .asText())
                .endsWith("its time limit passed at 1970-01-01T00:00:02Z");
        storeAliceProfile(
                "after",
                "{\"Not\":{\"condition\":{\"Logic\":{\"operator\":\"Or\",\"conditions\":["
                        + "{\"ValidUntil\":{\"until_ns\":\"1000000000\"}},{\"Whitelist\":{\"accounts\":[\"bob.near\"]}}]}}}}");
        assertThat(keystore.decrypt(WORKER_TOKEN, "alice.near", "after", REPO, null, "bob.near")
                        .json()
                        .path("error")
                        .asText())
                .as("under Not a passed limit admits: never the reason")
                .isEqualTo("Access denied by access condition");
    }

    /**
     * OutLayer's agent secrets (api.rs enforce_agent_secret): a profile named after an implicit
     * account is readable by that account only, and only if it stored it itself, whatever the
     * access condition says. Without the rule an AllowAll profile named after an agent was served
     * to anyone, and a stranger's planted one to the agent.
     */
    @Test
    void aSecretNamedAfterAnAgentIsThatAgentsAlone() throws Exception {
        String agent = "ab".repeat(32);
        Path agentDir = dir.resolve("agents");
        Files.createDirectories(agentDir);
        Files.writeString(
                agentDir.resolve("api-keys.csv"),
                "api_key,tier,owner\n" + ALICE_KEY + ",standard,alice.near\nagent-key,standard," + agent + "\n");
        try (KeystoreFixture agents = new KeystoreFixture(agentDir)) {
            String own = agents.encrypt(REPO, agent, null, SECRETS);
            assertThat(agents.store("agent-key", agent, agent, REPO, null, own, "\"AllowAll\"")
                            .status())
                    .isEqualTo(201);
            var read = agents.decrypt(WORKER_TOKEN, agent, agent, REPO, null, agent);
            assertThat(read.status()).as(read.body()).isEqualTo(200);
            assertThat(KeystoreFixture.plaintextOf(read)).isEqualTo(SECRETS);
            var other = agents.decrypt(WORKER_TOKEN, agent, agent, REPO, null, "bob.near");
            assertThat(other.status()).isEqualTo(403);
            assertThat(other.json().path("error").asText()).startsWith("This secret is addressed to a different agent");
            assertThat(other.body()).doesNotContain(SECRET_VALUE);

            // OutLayer's contract refuses to store one under an agent's name for another owner (secrets.rs
            // store_secrets_internal); a row planted before that rule is refused at decrypt (KeystoreServiceTest).
            String planted = agents.encrypt(REPO, "alice.near", null, SECRETS);
            var plantedStore = agents.store(ALICE_KEY, "alice.near", agent, REPO, null, planted, "\"AllowAll\"");
            assertThat(plantedStore.status()).isEqualTo(400);
            assertThat(plantedStore.json().path("error").asText())
                    .isEqualTo("A profile of 64 hex characters names an AGENT, and only that agent's own secrets may"
                            + " use it. This secret is owned by 'alice.near' \u2014 give it a different profile name.");
            assertThat(agents.send("GET", "/secrets/alice.near", ALICE_KEY, null)
                            .json()
                            .path("profiles"))
                    .isEmpty();

            // Only the chain's spelling is an agent's name: upper case is an ordinary profile.
            String upper = agent.toUpperCase(java.util.Locale.ROOT);
            assertThat(agents.store(ALICE_KEY, "alice.near", upper, REPO, null, planted, "\"AllowAll\"")
                            .status())
                    .isEqualTo(201);
            assertThat(agents.decrypt(WORKER_TOKEN, "alice.near", upper, REPO, null, "bob.near")
                            .status())
                    .isEqualTo(200);
        }
    }

    /**
     * A Logic of no conditions is stored and judged as OutLayer's types.rs judges it (its contract
     * stores any such condition): And of nothing admits everyone, Or of nothing nobody. It was a 400.
     */
    @Test
    void anEmptyLogicIsJudgedAsOutLayerJudgesIt() {
        storeAliceProfile("vacuous-and", "{\"Logic\":{\"operator\":\"And\",\"conditions\":[]}}");
        assertThat(keystore.decrypt(WORKER_TOKEN, "alice.near", "vacuous-and", REPO, null, "carol.near")
                        .status())
                .isEqualTo(200);
        storeAliceProfile("vacuous-or", "{\"Logic\":{\"operator\":\"Or\",\"conditions\":[]}}");
        var refused = keystore.decrypt(WORKER_TOKEN, "alice.near", "vacuous-or", REPO, null, "alice.near");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().path("error").asText()).isEqualTo("Access denied by access condition");
        String ciphertext = keystore.encrypt(REPO, "alice.near", null, SECRETS);
        assertThat(keystore.store(
                                ALICE_KEY,
                                "alice.near",
                                "not-a-list",
                                REPO,
                                null,
                                ciphertext,
                                "{\"Logic\":{\"operator\":\"Or\",\"conditions\":{}}}")
                        .status())
                .isEqualTo(400);
    }

    /**
     * OutLayer's keystore still opens its deprecated legacy ciphertexts (crypto.rs decrypt_legacy):
     * {@code nonce (12) | ChaCha20-Poly1305 ciphertext+tag} keyed by the Ed25519 public key whose
     * seed is HMAC-SHA256(master, seed), also when such a blob starts with 0x01 by chance. Built
     * here from the master secret with Bouncy Castle and the JDK's cipher; they were a 400.
     */
    @Test
    void outLayersLegacyCiphertextsAreStoredAndOpened() throws Exception {
        String master = "5a".repeat(32);
        Path legacyDir = dir.resolve("legacy");
        Files.createDirectories(legacyDir);
        try (KeystoreFixture fixed = new KeystoreFixture(legacyDir, master)) {
            javax.crypto.Mac hmac = javax.crypto.Mac.getInstance("HmacSHA256");
            hmac.init(new javax.crypto.spec.SecretKeySpec(HexFormat.of().parseHex(master), "HmacSHA256"));
            byte[] ed25519Seed = hmac.doFinal((REPO + ":alice.near").getBytes(StandardCharsets.UTF_8));
            byte[] key = new org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters(ed25519Seed, 0)
                    .generatePublicKey()
                    .getEncoded();
            for (byte first : new byte[] {0x42, 0x01}) {
                byte[] nonce = new byte[12];
                new java.security.SecureRandom().nextBytes(nonce);
                nonce[0] = first;
                javax.crypto.Cipher chacha = javax.crypto.Cipher.getInstance("ChaCha20-Poly1305");
                chacha.init(
                        javax.crypto.Cipher.ENCRYPT_MODE,
                        new javax.crypto.spec.SecretKeySpec(key, "ChaCha20"),
                        new javax.crypto.spec.IvParameterSpec(nonce));
                byte[] sealed = chacha.doFinal(SECRETS.getBytes(StandardCharsets.UTF_8));
                byte[] blob = new byte[12 + sealed.length];
                System.arraycopy(nonce, 0, blob, 0, 12);
                System.arraycopy(sealed, 0, blob, 12, sealed.length);
                String profile = "legacy-" + first;
                var stored = fixed.store(
                        ALICE_KEY,
                        "alice.near",
                        profile,
                        REPO,
                        null,
                        Base64.getEncoder().encodeToString(blob),
                        "\"AllowAll\"");
                assertThat(stored.status()).as(stored.body()).isEqualTo(201);
                var opened = fixed.decrypt(WORKER_TOKEN, "alice.near", profile, REPO, null, "bob.near");
                assertThat(opened.status()).as(opened.body()).isEqualTo(200);
                assertThat(KeystoreFixture.plaintextOf(opened)).isEqualTo(SECRETS);
                // Bound to its scope like any other: another owner's seed does not open it.
                var elsewhere = fixed.store(
                        BOB_KEY,
                        "bob.near",
                        profile,
                        REPO,
                        null,
                        Base64.getEncoder().encodeToString(blob),
                        "\"AllowAll\"");
                assertThat(elsewhere.status()).isEqualTo(400);
                assertThat(elsewhere.json().path("error").asText()).contains("failed authentication");
            }
        }
    }

    static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static String unb64(String text) {
        return new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
    }

    /**
     * The worker routes OutLayer's workers call besides /decrypt (api.rs encrypt_handler,
     * decrypt_raw_handler, storage_encrypt_handler, storage_decrypt_handler): a payment key re-sealed
     * under its System seed, and a program's persistent storage sealed under
     * storage:<project_uuid>:<account> or storage:wasm:<hash>:<account>. All were 404.
     */
    @Test
    void outLayersWorkerSealAndStorageRoutesUseTheSeedsKey() {
        String seed = "system:payment_key:alice.near:7";
        String balance = "{\"initial_balance\":\"5000000\"}";
        var sealed = keystore.send(
                "POST",
                "/encrypt",
                WORKER_TOKEN,
                JsonCodec.object().put("seed", seed).put("plaintext_base64", b64(balance)));
        assertThat(sealed.status()).as(sealed.body()).isEqualTo(200);
        String blob = sealed.json().path("encrypted_base64").asText();
        assertThat(Base64.getDecoder().decode(blob)[0]).as("ECIES v1").isEqualTo((byte) 0x01);
        var opened = keystore.send(
                "POST",
                "/decrypt-raw",
                WORKER_TOKEN,
                JsonCodec.object().put("seed", seed).put("encrypted_base64", blob));
        assertThat(opened.status()).as(opened.body()).isEqualTo(200);
        assertThat(unb64(opened.json().path("plaintext_base64").asText())).isEqualTo(balance);
        // The seed's published key is the one: a client's blob for it opens too.
        String pubkey = keystore.send("GET", "/pubkey?seed=" + seed, null, null)
                .json()
                .path("pubkey")
                .asText();
        String clientBlob = Base64.getEncoder()
                .encodeToString(
                        Ecies.encrypt(HexFormat.of().parseHex(pubkey), balance.getBytes(StandardCharsets.UTF_8)));
        assertThat(unb64(keystore.send(
                                "POST",
                                "/decrypt-raw",
                                WORKER_TOKEN,
                                JsonCodec.object().put("seed", seed).put("encrypted_base64", clientBlob))
                        .json()
                        .path("plaintext_base64")
                        .asText()))
                .isEqualTo(balance);
        var otherSeed = keystore.send(
                "POST",
                "/decrypt-raw",
                WORKER_TOKEN,
                JsonCodec.object()
                        .put("seed", "system:payment_key:alice.near:8")
                        .put("encrypted_base64", blob));
        assertThat(otherSeed.status()).isEqualTo(400);
        assertThat(otherSeed.body()).doesNotContain("initial_balance");
        assertThat(keystore.send(
                                "POST",
                                "/encrypt",
                                WORKER_TOKEN,
                                JsonCodec.object().put("seed", seed).put("plaintext_base64", "%%%"))
                        .status())
                .isEqualTo(400);

        String hash = "cd".repeat(32);
        var entry = JsonCodec.object()
                .put("project_uuid", "p-42")
                .put("wasm_hash", hash)
                .put("account_id", "bob.near")
                .put("key", "counter")
                .put("value_base64", b64("41"));
        var stored = keystore.send("POST", "/storage/encrypt", WORKER_TOKEN, entry);
        assertThat(stored.status()).as(stored.body()).isEqualTo(200);
        assertThat(stored.json().path("key_hash").asText()).isEqualTo(sha256("counter"));
        String sealedKey = stored.json().path("encrypted_key_base64").asText();
        String sealedValue = stored.json().path("encrypted_value_base64").asText();
        assertThat(unb64(keystore.send(
                                "POST",
                                "/decrypt-raw",
                                WORKER_TOKEN,
                                JsonCodec.object()
                                        .put("seed", "storage:p-42:bob.near")
                                        .put("encrypted_base64", sealedKey))
                        .json()
                        .path("plaintext_base64")
                        .asText()))
                .as("sealed under storage:<project_uuid>:<account>")
                .isEqualTo("counter");
        var read = keystore.send(
                "POST",
                "/storage/decrypt",
                WORKER_TOKEN,
                JsonCodec.object()
                        .put("project_uuid", "p-42")
                        .put("wasm_hash", hash)
                        .put("account_id", "bob.near")
                        .put("encrypted_key_base64", sealedKey)
                        .put("encrypted_value_base64", sealedValue));
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(read.json().path("key").asText()).isEqualTo("counter");
        assertThat(unb64(read.json().path("value_base64").asText())).isEqualTo("41");
        var anotherAccount = keystore.send(
                "POST",
                "/storage/decrypt",
                WORKER_TOKEN,
                JsonCodec.object()
                        .put("project_uuid", "p-42")
                        .put("wasm_hash", hash)
                        .put("account_id", "carol.near")
                        .put("encrypted_key_base64", sealedKey)
                        .put("encrypted_value_base64", sealedValue));
        assertThat(anotherAccount.status()).isEqualTo(400);
        entry.remove("project_uuid");
        String standaloneKey = keystore.send("POST", "/storage/encrypt", WORKER_TOKEN, entry)
                .json()
                .path("encrypted_key_base64")
                .asText();
        assertThat(keystore.send(
                                "POST",
                                "/decrypt-raw",
                                WORKER_TOKEN,
                                JsonCodec.object()
                                        .put("seed", "storage:wasm:" + hash + ":bob.near")
                                        .put("encrypted_base64", standaloneKey))
                        .status())
                .as("code outside a project: storage:wasm:<hash>:<account>")
                .isEqualTo(200);

        for (String path : new String[] {"/encrypt", "/decrypt-raw", "/storage/encrypt", "/storage/decrypt"}) {
            assertThat(keystore.send("POST", path, null, entry).status())
                    .as(path)
                    .isEqualTo(401);
            assertThat(keystore.send("POST", path, ALICE_KEY, entry).status())
                    .as(path)
                    .isEqualTo(401);
        }
    }

    /**
     * OutLayer's verifiable randomness (api.rs vrf_generate_handler, vrf_pubkey_handler; crypto.rs
     * vrf_generate): the proof is the Ed25519 signature of alpha by the "vrf-key" seed's key, the
     * output its SHA-256; checked here with Bouncy Castle against GET /vrf/pubkey. They were 404.
     */
    @Test
    void outLayersVrfIsASignatureAnyoneVerifiesWithThePublishedKey() throws Exception {
        String alpha = "vrf:42:user-seed";
        var first = keystore.send(
                "POST", "/vrf/generate", WORKER_TOKEN, JsonCodec.object().put("alpha", alpha));
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        byte[] signature =
                HexFormat.of().parseHex(first.json().path("signature_hex").asText());
        assertThat(signature).hasSize(64);
        assertThat(first.json().path("output_hex").asText())
                .isEqualTo(HexFormat.of()
                        .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                .digest(signature)));
        var pubkey = keystore.send("GET", "/vrf/pubkey", null, null);
        assertThat(pubkey.status()).isEqualTo(200);
        var verifier = new org.bouncycastle.crypto.signers.Ed25519Signer();
        verifier.init(
                false,
                new org.bouncycastle.crypto.params.Ed25519PublicKeyParameters(
                        HexFormat.of()
                                .parseHex(
                                        pubkey.json().path("vrf_public_key_hex").asText()),
                        0));
        byte[] alphaBytes = alpha.getBytes(StandardCharsets.UTF_8);
        verifier.update(alphaBytes, 0, alphaBytes.length);
        assertThat(verifier.verifySignature(signature)).isTrue();

        var again = keystore.send(
                "POST", "/vrf/generate", WORKER_TOKEN, JsonCodec.object().put("alpha", alpha));
        assertThat(again.json()).as("deterministic").isEqualTo(first.json());
        var other = keystore.send(
                "POST", "/vrf/generate", WORKER_TOKEN, JsonCodec.object().put("alpha", "vrf:43:user-seed"));
        assertThat(other.json().path("output_hex").asText())
                .isNotEqualTo(first.json().path("output_hex").asText());
        assertThat(keystore.send(
                                "POST",
                                "/vrf/generate",
                                WORKER_TOKEN,
                                JsonCodec.object().put("alpha", ""))
                        .status())
                .as("an alpha the request refuses: axum's 422")
                .isEqualTo(422);
        assertThat(keystore.send(
                                "POST",
                                "/vrf/generate",
                                null,
                                JsonCodec.object().put("alpha", alpha))
                        .status())
                .isEqualTo(401);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Issue 15, item 1: one request used to fill the heap while compiling, and again at every start.
     * As OutLayer's contract, such a pattern is stored as written; it is never compiled: the bound
     * on its program refuses it when the condition is judged, and everyone with it.
     */
    @Test
    void aPatternThatWouldFillTheHeapIsNeverCompiledAndRefusesEveryone() {
        String ciphertext = keystore.encrypt(REPO, "alice.near", null, SECRETS);
        for (String pattern : new String[] {"((a{1000}){1000}){1000}", "(.{0,1000}){1000}x", "((a{64}){64}){64}"}) {
            var reply = keystore.store(
                    ALICE_KEY,
                    "alice.near",
                    "bomb",
                    REPO,
                    null,
                    ciphertext,
                    "{\"Logic\":{\"operator\":\"Or\",\"conditions\":[\"AllowAll\",{\"AccountPattern\":{\"pattern\":\""
                            + pattern + "\"}}]}}");
            assertThat(reply.status()).as(pattern).isIn(200, 201);
            var refused = keystore.decrypt(WORKER_TOKEN, "alice.near", "bomb", REPO, null, "bob.near");
            assertThat(refused.status()).as(pattern).isEqualTo(403);
            assertThat(refused.json().path("error").asText())
                    .isEqualTo("Access denied by access condition: its AccountPattern `" + pattern
                            + "` cannot be compiled as a regular expression (compiled regex exceeds size limit of"
                            + " 4096 instructions)");
            assertThat(refused.body()).doesNotContain(SECRET_VALUE);
        }
        assertThat(keystore.send("GET", "/health", null, null).status()).isEqualTo(200);
    }

    /**
     * OutLayer's newest keystore (types.rs compile_patterns, UnreadablePattern; api.rs judge_access):
     * every pattern is compiled before anything is judged, and one that cannot be compiled, wherever
     * it sits, refuses everyone (even beside AllowAll under Or, or under Not) with a sentence naming
     * it, pattern and reason each clipped to 256 bytes. Its contract stores such a pattern as written.
     */
    @Test
    void anUnreadablePatternAnywhereRefusesEveryoneAndNamesIt() {
        String bad = "{\"AccountPattern\":{\"pattern\":\"(\"}}";
        String sentence = "Access denied by access condition: its AccountPattern `(` cannot be compiled as a regular"
                + " expression (missing closing ): `(`)";
        storeAliceProfile("bare", bad);
        storeAliceProfile(
                "beside-allow-all", "{\"Logic\":{\"operator\":\"Or\",\"conditions\":[\"AllowAll\"," + bad + "]}}");
        storeAliceProfile("negated", "{\"Not\":{\"condition\":" + bad + "}}");
        storeAliceProfile(
                "beside-a-name",
                "{\"Logic\":{\"operator\":\"And\",\"conditions\":[{\"Whitelist\":{\"accounts\":[\"bob.near\"]}}," + bad
                        + "]}}");
        for (String profile : new String[] {"bare", "beside-allow-all", "negated", "beside-a-name"}) {
            for (String user : new String[] {"bob.near", "alice.near"}) {
                var refused = keystore.decrypt(WORKER_TOKEN, "alice.near", profile, REPO, null, user);
                assertThat(refused.status()).as("%s for %s", profile, user).isEqualTo(403);
                assertThat(refused.json().path("error").asText())
                        .as("%s for %s", profile, user)
                        .isEqualTo(sentence);
                assertThat(refused.body()).doesNotContain(SECRET_VALUE);
            }
        }
        assertThat(keystore.send("GET", "/secrets/alice.near/bare", ALICE_KEY, null)
                        .json()
                        .path("access")
                        .path("AccountPattern")
                        .path("pattern")
                        .asText())
                .as("stored as written")
                .isEqualTo("(");

        String long_ = "(".repeat(300);
        storeAliceProfile("long", "{\"AccountPattern\":{\"pattern\":\"" + long_ + "\"}}");
        String clipped = keystore.decrypt(WORKER_TOKEN, "alice.near", "long", REPO, null, "bob.near")
                .json()
                .path("error")
                .asText();
        assertThat(clipped)
                .startsWith("Access denied by access condition: its AccountPattern `" + "(".repeat(256) + "…`")
                .hasSizeLessThan(2 * 256 + 200);
    }

    /**
     * What OutLayer's engine reads as a legal pattern is judged, not refused: its anchors wrap the
     * owner's text ({@code a)(b} is {@code \A(?:a)(b)\z}, exactly "ab"), an empty pattern matches no
     * account, and a count past the longest account id is legal, only unmatchable (so under Not it
     * admits).
     */
    @Test
    void patternsOutLayersEngineReadsAreJudgedAsItJudgesThem() {
        storeAliceProfile("injected", "{\"AccountPattern\":{\"pattern\":\"a)(b\"}}");
        assertThat(keystore.decrypt(WORKER_TOKEN, "alice.near", "injected", REPO, null, "ab")
                        .status())
                .isEqualTo(200);
        assertThat(keystore.decrypt(WORKER_TOKEN, "alice.near", "injected", REPO, null, "xabx")
                        .json()
                        .path("error")
                        .asText())
                .isEqualTo("Access denied by access condition");
        storeAliceProfile("empty", "{\"AccountPattern\":{\"pattern\":\"\"}}");
        assertThat(keystore.decrypt(WORKER_TOKEN, "alice.near", "empty", REPO, null, "anyone.near")
                        .status())
                .isEqualTo(403);
        storeAliceProfile(
                "not-too-long", "{\"Not\":{\"condition\":{\"AccountPattern\":{\"pattern\":\"[a-z.]{65}\"}}}}");
        assertThat(keystore.decrypt(WORKER_TOKEN, "alice.near", "not-too-long", REPO, null, "bob.near")
                        .status())
                .as("no account id has 65 characters: the pattern refuses, Not admits")
                .isEqualTo(200);
    }

    /**
     * OutLayer's bounds (shared_tee_helpers access_limits; contract secrets.rs): at most 16
     * AccountPattern leaves, 4096 bytes of pattern text and 5 chain reads in one condition, counted
     * wherever they sit. Its contract refuses to store a condition past one; one pattern may be long.
     */
    @Test
    void aConditionPastOutLayersBoundsIsNotStored() {
        String ciphertext = keystore.encrypt(REPO, "alice.near", null, SECRETS);
        java.util.function.IntFunction<String> patterns = n -> {
            StringBuilder or = new StringBuilder("{\"Logic\":{\"operator\":\"Or\",\"conditions\":[");
            for (int i = 0; i < n; i++) {
                or.append(i == 0 ? "" : ",")
                        .append("{\"AccountPattern\":{\"pattern\":\"a")
                        .append(i)
                        .append("\"}}");
            }
            return or.append("]}}").toString();
        };
        String balance = "{\"NearBalance\":{\"operator\":\"Gte\",\"value\":\"1\"}}";
        String sixReads = "{\"Predecessor\":{\"condition\":{\"Logic\":{\"operator\":\"Or\",\"conditions\":["
                + String.join(",", java.util.Collections.nCopies(6, balance)) + "]}}}}";
        String text = "a".repeat(2048);
        String tooMuchText = "{\"Not\":{\"condition\":{\"Logic\":{\"operator\":\"And\",\"conditions\":["
                + "{\"AccountPattern\":{\"pattern\":\"" + text + "\"}},{\"AccountPattern\":{\"pattern\":\"" + text
                + "\"}},{\"AccountPattern\":{\"pattern\":\"b\"}}]}}}}";
        String[][] refusals = {
            {patterns.apply(17), "the condition holds 17 AccountPattern leaves; at most 16 are judged"},
            {sixReads, "the condition asks the chain 6 times; at most 5 such leaves are judged"},
            {tooMuchText, "the condition's AccountPattern text is 4097 bytes in all; at most 4096 are judged"}
        };
        for (String[] refusal : refusals) {
            var reply = keystore.store(ALICE_KEY, "alice.near", "wide", REPO, null, ciphertext, refusal[0]);
            assertThat(reply.status()).as(refusal[1]).isEqualTo(400);
            assertThat(reply.json().path("error").asText()).isEqualTo(refusal[1]);
        }
        assertThat(keystore.send("GET", "/secrets/alice.near/wide", ALICE_KEY, null)
                        .status())
                .as("nothing stored")
                .isEqualTo(404);
        storeAliceProfile("sixteen", patterns.apply(16));
        storeAliceProfile("one-long", "{\"AccountPattern\":{\"pattern\":\"" + "a".repeat(4096) + "\"}}");
        assertThat(keystore.decrypt(WORKER_TOKEN, "alice.near", "sixteen", REPO, null, "a7")
                        .status())
                .isEqualTo(200);
    }

    /**
     * OutLayer's lapsed_grant_in (types.rs): a lapsed time limit is named only to the caller whose
     * own grant it bounded, the dated branch that names them, or to everyone where it binds everyone;
     * a stranger, a caller named by a live branch, or one a name refused hears the plain sentence.
     */
    @Test
    void aLapsedLimitIsNamedOnlyToTheCallerItBound() {
        String far = Long.toUnsignedString(-1L);
        java.util.function.BinaryOperator<String> dated =
                (account, until) -> "{\"Logic\":{\"operator\":\"And\",\"conditions\":[{\"Whitelist\":{\"accounts\":[\""
                        + account + "\"]}},{\"ValidUntil\":{\"until_ns\":\"" + until + "\"}}]}}";
        storeAliceProfile(
                "grants",
                "{\"Logic\":{\"operator\":\"Or\",\"conditions\":[{\"Whitelist\":{\"accounts\":[\"owner.near\"]}},"
                        + dated.apply("agent.near", "3000000000") + "," + dated.apply("other.near", far) + "]}}");
        String lapsed = "Access denied by access condition: its time limit passed at 1970-01-01T00:00:03Z";
        assertThat(error("grants", "agent.near"))
                .as("the agent's own grant lapsed")
                .isEqualTo(lapsed);
        assertThat(error("grants", "stranger.near"))
                .as("a stranger was refused for not being named, not for time")
                .isEqualTo("Access denied by access condition");
        assertThat(keystore.decrypt(WORKER_TOKEN, "alice.near", "grants", REPO, null, "other.near")
                        .status())
                .isEqualTo(200);

        storeAliceProfile("bobs", dated.apply("bob.near", "3000000000"));
        assertThat(error("bobs", "carol.near"))
                .as("carol is told nothing about bob's date")
                .isEqualTo("Access denied by access condition");
        assertThat(error("bobs", "bob.near")).isEqualTo(lapsed);

        storeAliceProfile(
                "everyone-but-bob",
                "{\"Logic\":{\"operator\":\"And\",\"conditions\":[{\"ValidUntil\":{\"until_ns\":\"3000000000\"}},"
                        + "{\"Not\":{\"condition\":{\"Whitelist\":{\"accounts\":[\"bob.near\"]}}}}]}}");
        assertThat(error("everyone-but-bob", "carol.near")).isEqualTo(lapsed);
        assertThat(error("everyone-but-bob", "bob.near"))
                .as("bob is refused by name")
                .isEqualTo("Access denied by access condition");

        String gate = "{\"ValidUntil\":{\"until_ns\":\"1000000000\"}}";
        storeAliceProfile(
                "gated",
                "{\"Logic\":{\"operator\":\"And\",\"conditions\":[" + gate + ",{\"Logic\":{\"operator\":\"Or\","
                        + "\"conditions\":[" + dated.apply("agent.near", "3000000000") + "]}}]}}");
        assertThat(error("gated", "agent.near"))
                .as("the agent's own dated branch, deeper under an And")
                .isEqualTo(lapsed);
        storeAliceProfile(
                "regranted",
                "{\"Logic\":{\"operator\":\"And\",\"conditions\":[" + gate + ",{\"Logic\":{\"operator\":\"Or\","
                        + "\"conditions\":[" + dated.apply("agent.near", "3000000000") + ","
                        + dated.apply("agent.near", far) + "]}}]}}");
        assertThat(error("regranted", "agent.near"))
                .as("a live re-grant names the agent: time is not what refused them")
                .isEqualTo("Access denied by access condition");
    }

    private String error(String profile, String user) {
        var refused = keystore.decrypt(WORKER_TOKEN, "alice.near", profile, REPO, null, user);
        assertThat(refused.status())
                .as("%s for %s: %s", profile, user, refused.body())
                .isEqualTo(403);
        assertThat(refused.body()).doesNotContain(SECRET_VALUE);
        return refused.json().path("error").asText();
    }

    @Test
    void pathologicalPatternDoesNotStallTheKeystore() {
        storeAliceProfile("evil", "{\"AccountPattern\":{\"pattern\":\"^(a+)+$\"}}");
        var reply = keystore.decrypt(WORKER_TOKEN, "alice.near", "evil", REPO, null, "a".repeat(63) + "b");
        assertThat(reply.status()).isEqualTo(403);
        assertThat(keystore.send("GET", "/health", null, null).status()).isEqualTo(200);
    }

    @Test
    void unknownProfilesRepoAndBranchAre404() {
        String ciphertext = keystore.encrypt(REPO, "alice.near", "main", SECRETS);
        assertThat(keystore.store(ALICE_KEY, "alice.near", "main-only", REPO, "main", ciphertext, "\"AllowAll\"")
                        .status())
                .isEqualTo(201);
        storeAliceProfile("any-branch", "\"AllowAll\"");

        assertThat(keystore.decrypt(WORKER_TOKEN, "alice.near", "missing", REPO, null, "alice.near")
                        .status())
                .isEqualTo(404);
        assertThat(keystore.decrypt(
                                WORKER_TOKEN, "alice.near", "main-only", "github.com/alice/other", "main", "alice.near")
                        .status())
                .isEqualTo(404);
        assertThat(keystore.decrypt(WORKER_TOKEN, "alice.near", "main-only", REPO, "dev", "alice.near")
                        .status())
                .isEqualTo(404);
        assertThat(keystore.decrypt(WORKER_TOKEN, "alice.near", "main-only", REPO, "main", "alice.near")
                        .status())
                .isEqualTo(200);
        // As in OutLayer, a profile stored without a branch serves every branch.
        var anyBranch = keystore.decrypt(WORKER_TOKEN, "alice.near", "any-branch", REPO, "feature-x", "alice.near");
        assertThat(anyBranch.status()).isEqualTo(200);
        assertThat(KeystoreFixture.plaintextOf(anyBranch)).isEqualTo(SECRETS);
    }

    @Test
    void oversizedAndMalformedBodiesAreRefusedAndTheServiceKeepsServing() {
        String huge = "{\"repo\":\"" + "x".repeat((int) KeystoreFixture.MAX_BODY) + "\",\"owner\":\"a.near\"}";
        var tooLarge = keystore.send("POST", "/pubkey", null, huge.getBytes());
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.json().path("error").asText()).contains("larger than");
        var storeTooLarge = keystore.send("PUT", "/secrets/alice.near/big", ALICE_KEY, huge.getBytes());
        assertThat(storeTooLarge.status()).isEqualTo(413);
        var decryptTooLarge = keystore.send("POST", "/decrypt", WORKER_TOKEN, huge.getBytes());
        assertThat(decryptTooLarge.status()).isEqualTo(413);

        var notJson = keystore.send("POST", "/decrypt", WORKER_TOKEN, "{oops".getBytes());
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(ErrorBodies.message(notJson.body()))
                .isEqualTo("Failed to parse the request body as JSON: key must be a string at line 1 column 2");
        var notAnObject = keystore.send("POST", "/decrypt", WORKER_TOKEN, "[1]".getBytes());
        assertThat(notAnObject.status())
                .as("JSON, but no request: axum's JsonDataError")
                .isEqualTo(422);
        assertThat(ErrorBodies.message(notAnObject.body()))
                .startsWith("Failed to deserialize the JSON body into the target type: ");
        assertThat(keystore.send("GET", "/nowhere", null, null).status()).isEqualTo(404);
        assertThat(keystore.send("PATCH", "/decrypt", null, null).status()).isEqualTo(405);

        storeAliceProfile("after", "\"AllowAll\"");
        assertThat(keystore.decrypt(WORKER_TOKEN, "alice.near", "after", REPO, null, "alice.near")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void aBodyCutShortIsA400NotA413AndNamesNoException() throws Exception {
        String answer = RawRequests.truncated(keystore.server.port(), "POST", "/pubkey", "{\"repo\":\"x", 500);
        assertThat(answer)
                .startsWith("HTTP/1.1 400")
                .contains("the request body could not be read")
                .doesNotContain("Exception")
                .doesNotContain("UT0");
        assertThat(keystore.pubkey(REPO, "alice.near", null)).matches("[0-9a-f]{64}");
    }

    @Test
    void healthAndMetricsComeFromTheSharedRoutes() {
        storeAliceProfile("default", "\"AllowAll\"");
        var health = keystore.send("GET", "/health", null, null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asText()).isEqualTo("ok");
        // Counts tell how the keystore is used: not for a caller without a credential.
        assertThat(health.json().has("profiles")).isFalse();
        assertThat(health.json().has("worker_tokens")).isFalse();
        assertThat(health.body()).doesNotContain("\"1\"").doesNotContain(":1");
        assertThat(health.json().path("profile_store").asText()).isEqualTo("ok");
        // OutLayer's HealthResponse names the TEE mode; a dashboard reads it.
        assertThat(health.json().path("tee_mode").asText()).isEqualTo("none");
        var metrics = keystore.send("GET", "/metrics", null, null);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("component=\"keystore\"");
    }

    /** The first lines OutLayer's contract panics with when near-sdk cannot read an account id it was sent. */
    static String notAnAccountId(String id, String why) {
        return "Failed to deserialize input from JSON. Error: `invalid value: \"" + id + "\", " + why + "`";
    }

    /** Alice's profiles as listed: a refused store must leave them exactly so. */
    private String aliceProfiles() {
        var list = keystore.send("GET", "/secrets/alice.near", ALICE_KEY, null);
        assertThat(list.status()).isEqualTo(200);
        return list.body();
    }

    private static String pathSegment(String profile) {
        return java.net.URLEncoder.encode(profile, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A store body naming its accessor in OutLayer keystore-worker's form. */
    private static com.fasterxml.jackson.databind.node.ObjectNode storeBody(
            com.fasterxml.jackson.databind.node.ObjectNode accessor, String ciphertext) {
        var body =
                JsonCodec.object().put("encrypted_secrets_base64", ciphertext).put("access", "AllowAll");
        body.set("accessor", accessor);
        return body;
    }

    /** A ciphertext of {@link #SECRETS} for the scope the keystore names for this accessor (and profile). */
    private String sealFor(com.fasterxml.jackson.databind.node.ObjectNode accessor, String profile, String plaintext) {
        var request = JsonCodec.object().put("owner", "alice.near");
        if (profile != null) {
            request.put("profile", profile);
        }
        request.set("accessor", accessor);
        var key = keystore.send("POST", "/pubkey", null, request);
        assertThat(key.status()).as(key.body()).isEqualTo(200);
        return Base64.getEncoder()
                .encodeToString(Ecies.encrypt(
                        HexFormat.of().parseHex(key.json().path("pubkey").asText()),
                        plaintext.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The account ids of a condition are near-sdk's AccountId in OutLayer's contract (types.rs: Whitelist's
     * accounts, FtBalance's and NftOwned's contract, DaoMember's dao_contract; under Not, Logic or Predecessor
     * alike): one that is not an account id fails the call's argument deserialisation, and the store is refused
     * in near-sdk's words. A Whitelist took any non-empty string; the refused store changes nothing.
     */
    @Test
    void anAccountIdInAConditionIsOneAsOutLayersContractReadsIt() {
        storeAliceProfile("kept", "{\"Whitelist\":{\"accounts\":[\"bob.near\"]}}");
        String before = aliceProfiles();
        String ciphertext = keystore.encrypt(REPO, "alice.near", null, SECRETS);
        String[][] refusals = {
            {
                "{\"Whitelist\":{\"accounts\":[\"bob.near\",\"Bob.near\"]}}",
                notAnAccountId("Bob.near", "the Account ID contains an invalid character 'B' at index 0")
            },
            {
                "{\"Predecessor\":{\"condition\":{\"Logic\":{\"operator\":\"Or\",\"conditions\":[\"AllowAll\","
                        + "{\"Whitelist\":{\"accounts\":[\"bob..near\"]}}]}}}}",
                notAnAccountId("bob..near", "the Account ID has a redundant separator '.' at index 4")
            },
            {
                "{\"Not\":{\"condition\":{\"Whitelist\":{\"accounts\":[\"\"]}}}}",
                notAnAccountId("", "the Account ID is too short")
            },
            {"{\"Whitelist\":{\"accounts\":[\"a\"]}}", notAnAccountId("a", "the Account ID is too short")},
            {
                "{\"Whitelist\":{\"accounts\":[\"" + "a".repeat(65) + "\"]}}",
                notAnAccountId("a".repeat(65), "the Account ID is too long")
            },
            {
                "{\"FtBalance\":{\"contract\":\"FT.near\",\"operator\":\"Gte\",\"value\":\"1\"}}",
                notAnAccountId("FT.near", "the Account ID contains an invalid character 'F' at index 0")
            },
            {
                "{\"NftOwned\":{\"contract\":\"nft_.near\"}}",
                notAnAccountId("nft_.near", "the Account ID has a redundant separator '.' at index 4")
            },
            {
                "{\"DaoMember\":{\"dao_contract\":\"-dao.near\",\"role\":\"council\"}}",
                notAnAccountId("-dao.near", "the Account ID has a redundant separator '-' at index 0")
            },
        };
        for (String[] refusal : refusals) {
            var reply = keystore.store(ALICE_KEY, "alice.near", "kept", REPO, null, ciphertext, refusal[0]);
            assertThat(reply.status()).as(refusal[0]).isEqualTo(400);
            assertThat(reply.json().path("error").asText()).as(refusal[0]).isEqualTo(refusal[1]);
        }
        assertThat(aliceProfiles()).as("a refused store changes nothing").isEqualTo(before);

        storeAliceProfile(
                "accounts",
                "{\"Logic\":{\"operator\":\"Or\",\"conditions\":[{\"Whitelist\":{\"accounts\":[\"bob.near\","
                        + "\"a-b_c.near\",\"ab\",\"" + "a".repeat(64) + "\"]}},{\"Predecessor\":{\"condition\":"
                        + "{\"Whitelist\":{\"accounts\":[\"relay.near\"]}}}},{\"FtBalance\":{\"contract\":\"ft.near\","
                        + "\"operator\":\"Gte\",\"value\":\"1\"}},{\"NftOwned\":{\"contract\":\"nft.near\"}},"
                        + "{\"DaoMember\":{\"dao_contract\":\"dao.near\",\"role\":\"council\"}}]}}");
        assertThat(keystore.decrypt(WORKER_TOKEN, "alice.near", "accounts", REPO, null, "ab")
                        .status())
                .isEqualTo(200);
    }

    /**
     * OutLayer's contract's profile rule (secrets.rs profile_shape_error, PROFILE_RULE): 1 to 64 BYTES of
     * letters, digits (Unicode's, as Rust's is_alphanumeric), '-' or '_', refused naming the half it fails.
     * A '.' was accepted here and a Cyrillic letter refused.
     */
    @Test
    void aProfileNameFollowsOutLayersContractsRule() {
        String ciphertext = keystore.encrypt(REPO, "alice.near", null, SECRETS);
        String rule = "profile must be 1\u201364 bytes of letters, digits, '-' or '_' ";
        String[][] refusals = {
            {"team.v1", rule + "(it contains '.')"},
            {"a'b", rule + "(it contains '\\'')"},
            {"a b", rule + "(it contains ' ')"},
            {"\u0436".repeat(33), rule + "(got 66 bytes)"},
            {"p".repeat(65), rule + "(got 65 bytes)"},
        };
        for (String[] refusal : refusals) {
            var reply = keystore.store(
                    ALICE_KEY, "alice.near", pathSegment(refusal[0]), REPO, null, ciphertext, "\"AllowAll\"");
            assertThat(reply.status()).as(refusal[0]).isEqualTo(400);
            assertThat(reply.json().path("error").asText()).as(refusal[0]).isEqualTo(refusal[1]);
        }
        assertThat(keystore.send("GET", "/secrets/alice.near", ALICE_KEY, null)
                        .json()
                        .path("profiles"))
                .as("nothing stored")
                .isEmpty();

        String cyrillic = "\u0436".repeat(32);
        for (String accepted : new String[] {"team-v1_2", cyrillic, "p".repeat(64)}) {
            var reply = keystore.store(
                    ALICE_KEY, "alice.near", pathSegment(accepted), REPO, null, ciphertext, "\"AllowAll\"");
            assertThat(reply.status()).as(accepted).isEqualTo(201);
        }
        var opened = keystore.decrypt(WORKER_TOKEN, "alice.near", cyrillic, REPO, null, "bob.near");
        assertThat(opened.status()).as(opened.body()).isEqualTo(200);
        assertThat(KeystoreFixture.plaintextOf(opened)).isEqualTo(SECRETS);
    }

    /**
     * A payment key's nonce and its write-once rule, as OutLayer's contract stores one (secrets.rs
     * store_secrets_internal): a number, not 0 (the coordinator's free-trial keys), at most i32::MAX (the
     * coordinator's column); a key at a nonce is never rewritten, only deleted and stored again.
     */
    @Test
    void aPaymentKeysNonceAndItsWriteOnceRuleAreOutLayersContracts() {
        var system = JsonCodec.object().put("type", "System").put("secret_type", "payment_key");
        String plaintext = "{\"key\":\"" + "ab".repeat(32)
                + "\",\"project_ids\":[],\"max_per_call\":null,\"initial_balance\":\"0\"}";
        String[][] refusals = {
            {
                "0",
                "Payment key nonce 0 is reserved. The first nonce is 1 \u2014 ask the contract with"
                        + " get_next_payment_key_nonce."
            },
            {"2147483648", "Payment key nonce is too large (maximum 2147483647)"},
            {"five", "A payment key's profile is its nonce and must be a number"},
            {"4294967296", "A payment key's profile is its nonce and must be a number"},
        };
        for (String[] refusal : refusals) {
            var reply = keystore.send(
                    "PUT",
                    "/secrets/alice.near/" + refusal[0],
                    ALICE_KEY,
                    storeBody(system, sealFor(system, refusal[0], plaintext)));
            assertThat(reply.status()).as(refusal[0]).isEqualTo(400);
            assertThat(reply.json().path("error").asText()).as(refusal[0]).isEqualTo(refusal[1]);
        }
        assertThat(aliceProfiles()).contains("\"profiles\":[]");

        for (String nonce : new String[] {"2147483647", "7"}) {
            var reply = keystore.send(
                    "PUT",
                    "/secrets/alice.near/" + nonce,
                    ALICE_KEY,
                    storeBody(system, sealFor(system, nonce, plaintext)));
            assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        }
        String before = aliceProfiles();
        var rewrite = keystore.send(
                "PUT", "/secrets/alice.near/7", ALICE_KEY, storeBody(system, sealFor(system, "7", plaintext)));
        assertThat(rewrite.status()).isEqualTo(400);
        assertThat(rewrite.json().path("error").asText())
                .isEqualTo("Payment key already exists for this nonce. A payment key cannot be rewritten \u2014"
                        + " delete it first, or use a new nonce.");
        assertThat(aliceProfiles()).as("the key as it was").isEqualTo(before);
        assertThat(keystore.send("DELETE", "/secrets/alice.near/7", ALICE_KEY, null)
                        .status())
                .isEqualTo(204);
        assertThat(keystore.send(
                                "PUT",
                                "/secrets/alice.near/7",
                                ALICE_KEY,
                                storeBody(system, sealFor(system, "7", plaintext)))
                        .status())
                .as("deleted, it may be stored again")
                .isEqualTo(201);
    }

    /**
     * The accessor, the ciphertext's presence, as OutLayer's contract checks them when it stores a row
     * (secrets.rs store_secrets_internal), in its words: a repository and a branch that are not empty, a
     * branch of at most 255 bytes, a wasm hash of 64 hex characters, a project id of the form owner/name.
     */
    @Test
    void theAccessorAndTheBlobAreCheckedAsOutLayersContractChecksThem() {
        String noBranch = keystore.encrypt(REPO, "alice.near", null, SECRETS);
        String longBranch = "b".repeat(256);
        var emptyRepo = JsonCodec.object().put("type", "Repo").put("repo", "");
        emptyRepo.putNull("branch");
        Object[][] refusals = {
            {JsonCodec.object().put("repo", "").put("encrypted_secrets_base64", noBranch), "Repository cannot be empty"
            },
            {storeBody(emptyRepo, noBranch), "Repository cannot be empty"},
            {
                JsonCodec.object().put("repo", REPO).put("branch", "").put("encrypted_secrets_base64", noBranch),
                "Branch name cannot be empty if provided"
            },
            {
                JsonCodec.object()
                        .put("repo", REPO)
                        .put("branch", longBranch)
                        .put("encrypted_secrets_base64", keystore.encrypt(REPO, "alice.near", longBranch, SECRETS)),
                "Branch name too long (max 255 chars)"
            },
            {
                storeBody(JsonCodec.object().put("type", "WasmHash").put("hash", ""), noBranch),
                "WASM hash cannot be empty"
            },
            {
                storeBody(JsonCodec.object().put("type", "WasmHash").put("hash", "ab".repeat(31)), noBranch),
                "WASM hash must be 64 hex characters (SHA256)"
            },
            {
                storeBody(JsonCodec.object().put("type", "WasmHash").put("hash", "g".repeat(64)), noBranch),
                "WASM hash must be hex encoded"
            },
            {
                storeBody(JsonCodec.object().put("type", "Project").put("project_id", ""), noBranch),
                "Project ID cannot be empty"
            },
            {
                storeBody(JsonCodec.object().put("type", "Project").put("project_id", "alice-agent"), noBranch),
                "Project ID must be in format 'owner.near/name'"
            },
            {
                JsonCodec.object().put("repo", REPO).put("encrypted_secrets_base64", ""),
                "Encrypted secrets cannot be empty"
            },
        };
        for (Object[] refusal : refusals) {
            var body = (com.fasterxml.jackson.databind.node.ObjectNode) refusal[0];
            body.put("access", "AllowAll");
            var reply = keystore.send("PUT", "/secrets/alice.near/p", ALICE_KEY, body);
            assertThat(reply.status()).as(body.toString()).isEqualTo(400);
            assertThat(reply.json().path("error").asText()).as(body.toString()).isEqualTo(refusal[1]);
        }
        assertThat(aliceProfiles()).contains("\"profiles\":[]");

        String branch255 = "b".repeat(255);
        var branched = JsonCodec.object()
                .put("repo", REPO)
                .put("branch", branch255)
                .put("encrypted_secrets_base64", keystore.encrypt(REPO, "alice.near", branch255, SECRETS))
                .put("access", "AllowAll");
        assertThat(keystore.send("PUT", "/secrets/alice.near/branched", ALICE_KEY, branched)
                        .status())
                .isEqualTo(201);
        var upperHash = JsonCodec.object().put("type", "WasmHash").put("hash", "AB".repeat(32));
        var lowerHash = JsonCodec.object().put("type", "WasmHash").put("hash", "ab".repeat(32));
        var byHash = keystore.send(
                "PUT",
                "/secrets/alice.near/by-hash",
                ALICE_KEY,
                storeBody(upperHash, sealFor(lowerHash, null, SECRETS)));
        assertThat(byHash.status()).as(byHash.body()).isEqualTo(201);
        assertThat(byHash.json().path("accessor"))
                .as("the row of the hash's one spelling, sealed to its seed")
                .isEqualTo(lowerHash);
        var project = JsonCodec.object().put("type", "Project").put("project_id", "alice.near/agent");
        assertThat(keystore.send(
                                "PUT",
                                "/secrets/alice.near/by-project",
                                ALICE_KEY,
                                storeBody(project, sealFor(project, null, SECRETS)))
                        .status())
                .as("a keystore that reads no chain does not look the project up")
                .isEqualTo(201);
    }
}
