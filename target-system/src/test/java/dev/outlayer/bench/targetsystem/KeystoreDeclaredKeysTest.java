package dev.outlayer.bench.targetsystem;

import static dev.outlayer.bench.targetsystem.http.keystore.KeystoreFixture.ALICE_KEY;
import static dev.outlayer.bench.targetsystem.http.keystore.KeystoreFixture.WORKER_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.contracts.ExecutionStatus;
import dev.outlayer.bench.targetsystem.contracts.TestContracts;
import dev.outlayer.bench.targetsystem.contracts.TxOutcome;
import dev.outlayer.bench.targetsystem.http.keystore.KeystoreFixture;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.keystore.Ecies;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keyed {@code /decrypt} requests, as OutLayer's newest keystore-worker serves them (api.rs {@code
 * KeyedDecryptRequest}, {@code authorize_keys}; signing_keys.rs; encryption_keys.rs): over the keystore's real
 * routes, with the bundled OutLayer contract in the contract simulator answering {@code get_project} and {@code
 * get_version}. Each key is HMAC-SHA256(master, derivation string); the expected values were computed apart, with
 * Python's hmac, and are checked again here with Bouncy Castle's HMac.
 */
class KeystoreDeclaredKeysTest {
    static final String MASTER = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    static final String OWNER = "alice.near";
    static final String SIGNER = "bob.near";
    static final String PROJECT = "alice.near/app";
    static final String UUID = "p0000000000000001";
    static final String BUILD = "11".repeat(32);
    static final String OTHER_BUILD = "22".repeat(32);
    static final String SECRET_VALUE = "sk-for-the-project-77";

    /** Python: hmac.new(bytes(range(32)), s.encode(), hashlib.sha256).hexdigest(), for the strings named. */
    static final String SIGNING_WASM_SESSION = // signing-key:v1:ed25519:wasm:11..11:signer:bob.near:session
            "01461fcdc90486ebd898ae6c88b1e224a11fc2800ad17554151601e7ce7546ea";

    static final String ENCRYPTION_WASM_SESSION = // encryption-key:v1:wasm:11..11:signer:bob.near:session
            "53e545adf7390091b945b5711697a1eb2fe7d2b5037d4d9075644ae4fa5396cf";
    static final String
            SIGNING_PROJECT_RECORDS = // signing-key:v1:ed25519:project:p0000000000000001:signer:bob.near:records
            "c8f5f8b8a25df39a4717bbe6cdc52aa0b1728700d8b7c9ebc02fcc407f048365";
    static final String
            SECP_PROJECT_VOTES = // signing-key:v1:secp256k1:project:p0000000000000001:predecessor:dao.near:votes
            "bfae02888babc094646aabbe4319aaa6a7b39fb1bdcddffaefb264bd0a8bf748";
    static final String
            ENCRYPTION_PROJECT_RECORDS = // encryption-key:v1:project:p0000000000000001:signer:bob.near:records
            "9235307efaa0d88b8508ce1c8ad087c0098e8532e565c14c3ef5a4bdb6f8343a";

    static final String TASK_KEY_ALICE = // task-key:v1:p0000000000000001:alice.near
            "12f87926e9e1ee3d018185efba3a318364c2ab958bc264b9547e6c1af3752bdd";

    static ContractSimulator simulator;

    @TempDir
    Path dir;

    KeystoreFixture keystore;

    /** Not a static @AutoClose field: JUnit would close it after LeakGuard has looked (see LeakGuard). */
    @AfterAll
    static void closeSimulator() {
        simulator.close();
    }

    @BeforeAll
    static void deploy() throws Exception {
        simulator = TestContracts.simulator(true);
        String outlayer = ContractSimulator.OUTLAYER_ACCOUNT;
        simulator.deploy(
                outlayer,
                Files.readAllBytes(Path.of(
                        System.getProperty("outlayer.root", ".."), "resources/contracts/outlayer/outlayer.wasm")));
        simulator.putAccount(OWNER, ContractSimulator.DEFAULT_BALANCE);
        succeed(TestContracts.call(
                simulator, outlayer, outlayer, "new", "{\"owner_id\":\"" + outlayer + "\"}", BigInteger.ZERO));
        BigInteger deposit = new BigInteger("100000000000000000000000");
        succeed(TestContracts.call(
                simulator,
                outlayer,
                OWNER,
                "create_project",
                "{\"name\":\"app\",\"source\":{\"WasmUrl\":{\"url\":\"https://example.org/app.wasm\",\"hash\":\""
                        + BUILD + "\"}}}",
                deposit));
        succeed(TestContracts.call(
                simulator,
                outlayer,
                OWNER,
                "add_version",
                "{\"project_name\":\"app\",\"source\":{\"GitHub\":{\"repo\":\"github.com/alice/app\",\"commit\":\""
                        + OTHER_BUILD + "\",\"build_target\":\"wasm32-wasip1\"}},\"set_active\":false}",
                deposit));
    }

    private static void succeed(TxOutcome outcome) {
        assertThat(outcome.finalStatus()).as(outcome.toString()).isInstanceOf(ExecutionStatus.SuccessValue.class);
    }

    @BeforeEach
    void start() throws Exception {
        keystore = new KeystoreFixture(dir, MASTER, KeystoreWiring.chainView(simulator));
    }

    @AfterEach
    void stop() {
        keystore.close();
    }

    private static ObjectNode key(String path, String type) {
        ObjectNode key = JsonCodec.object().put("path", path);
        return type == null ? key : key.put("type", type);
    }

    private static ObjectNode run(String projectId, String build) {
        ObjectNode body = JsonCodec.object().put("user_account_id", SIGNER);
        if (projectId != null) {
            body.put("project_id", projectId);
        }
        return build == null ? body : body.put("executed_wasm_sha256", build);
    }

    private static ObjectNode withKeys(ObjectNode body, String member, ObjectNode... keys) {
        ArrayNode list = body.putArray(member);
        for (ObjectNode key : keys) {
            list.add(key);
        }
        return body;
    }

    private KeystoreFixture.Response decrypt(Object body) {
        return keystore.send("POST", "/decrypt", WORKER_TOKEN, body);
    }

    /** HMAC-SHA256(master, input) by Bouncy Castle, apart from the JCA Mac the keystore uses. */
    private static String hmac(String input) {
        HMac mac = new HMac(new SHA256Digest());
        mac.init(new KeyParameter(HexFormat.of().parseHex(MASTER)));
        byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
        mac.update(bytes, 0, bytes.length);
        byte[] out = new byte[32];
        mac.doFinal(out, 0);
        return HexFormat.of().formatHex(out);
    }

    private void assertRefused(KeystoreFixture.Response response, int status, String error) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.json().path("code").asText()).isEqualTo("signing_keys_refused");
        assertThat(response.json().path("error").asText()).isEqualTo(error);
        assertThat(response.json().has("signing_keys")).isFalse();
        assertThat(response.json().has("secrets")).isFalse();
    }

    private void storeProjectProfile(String profile, String access) {
        var pubkey = keystore.send(
                "POST",
                "/pubkey",
                null,
                JsonCodec.object()
                        .put("owner", OWNER)
                        .set(
                                "accessor",
                                JsonCodec.object().put("type", "Project").put("project_id", PROJECT)));
        String ciphertext = Base64.getEncoder()
                .encodeToString(Ecies.encrypt(
                        HexFormat.of().parseHex(pubkey.json().path("pubkey").asText()),
                        ("{\"API_KEY\":\"" + SECRET_VALUE + "\"}").getBytes(StandardCharsets.UTF_8)));
        ObjectNode body = JsonCodec.object().put("encrypted_secrets_base64", ciphertext);
        body.set("accessor", JsonCodec.object().put("type", "Project").put("project_id", PROJECT));
        try {
            body.set("access", JsonCodec.MAPPER.readTree(access));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        var stored = keystore.send("PUT", "/secrets/" + OWNER + "/" + profile, ALICE_KEY, body);
        assertThat(stored.status()).as(stored.body()).isEqualTo(201);
    }

    private static ObjectNode row(ObjectNode body, String profile) {
        body.put("owner", OWNER).put("profile", profile);
        body.set("accessor", JsonCodec.object().put("type", "Project").put("project_id", PROJECT));
        return body;
    }

    @Test
    void aDirectRunGetsItsWasmKeysOfBothFamiliesAsOutLayerDerivesThem() {
        var answer = decrypt(withKeys(
                withKeys(
                        run(null, BUILD),
                        "signing_keys",
                        key("session", "ed25519").put("bind", "wasm")),
                "encryption_keys",
                key("session", null).put("bind", "wasm")));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().has("secrets")).as("no row was named").isFalse();
        String signing = answer.json().path("signing_keys").path("session").asText();
        String encryption =
                answer.json().path("encryption_keys").path("session").asText();
        assertThat(signing)
                .isEqualTo(SIGNING_WASM_SESSION)
                .isEqualTo(hmac("signing-key:v1:ed25519:wasm:" + BUILD + ":signer:bob.near:session"));
        assertThat(encryption)
                .isEqualTo(ENCRYPTION_WASM_SESSION)
                .isEqualTo(hmac("encryption-key:v1:wasm:" + BUILD + ":signer:bob.near:session"));
        assertThat(signing).as("one path in two families is two keys").isNotEqualTo(encryption);

        // The seed is an RFC 8032 seed: what it signs, its public key verifies.
        Ed25519PrivateKeyParameters seed =
                new Ed25519PrivateKeyParameters(HexFormat.of().parseHex(signing), 0);
        byte[] message = "a record".getBytes(StandardCharsets.UTF_8);
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, seed);
        signer.update(message, 0, message.length);
        byte[] signature = signer.generateSignature();
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, seed.generatePublicKey());
        verifier.update(message, 0, message.length);
        assertThat(verifier.verifySignature(signature)).isTrue();

        // Another build is another key; the same request again is the same key.
        var rebuilt = decrypt(withKeys(
                run(null, OTHER_BUILD),
                "signing_keys",
                key("session", "ed25519").put("bind", "wasm")));
        assertThat(rebuilt.json().path("signing_keys").path("session").asText())
                .isEqualTo(hmac("signing-key:v1:ed25519:wasm:" + OTHER_BUILD + ":signer:bob.near:session"))
                .isNotEqualTo(signing);
        var again = decrypt(withKeys(
                run(null, BUILD), "signing_keys", key("session", "ed25519").put("bind", "wasm")));
        assertThat(again.json().path("signing_keys").path("session").asText()).isEqualTo(signing);
        assertThat(again.json().has("encryption_keys"))
                .as("only the families named")
                .isFalse();
    }

    @Test
    void aProjectRunGetsItsProjectKeysBesideItsRowBoundToTheContractsUuid() {
        storeProjectProfile("default", "\"AllowAll\"");
        ObjectNode body = row(run(PROJECT, BUILD), "default").put("predecessor_id", "dao.near");
        withKeys(
                body,
                "signing_keys",
                key("records", "ed25519"),
                key("votes", "secp256k1").put("caller", "predecessor"));
        withKeys(body, "encryption_keys", key("records", null));

        var answer = decrypt(body);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode secrets = answer.json().path("secrets");
        assertThat(secrets.path("status").asText()).isEqualTo("decrypted");
        assertThat(new String(
                        Base64.getDecoder()
                                .decode(secrets.path("plaintext_secrets").asText()),
                        StandardCharsets.UTF_8))
                .contains(SECRET_VALUE);
        assertThat(answer.json().path("signing_keys").path("records").asText())
                .isEqualTo(SIGNING_PROJECT_RECORDS)
                .isEqualTo(hmac("signing-key:v1:ed25519:project:" + UUID + ":signer:bob.near:records"));
        assertThat(answer.json().path("signing_keys").path("votes").asText())
                .isEqualTo(SECP_PROJECT_VOTES)
                .isEqualTo(hmac("signing-key:v1:secp256k1:project:" + UUID + ":predecessor:dao.near:votes"));
        assertThat(answer.json().path("encryption_keys").path("records").asText())
                .isEqualTo(ENCRYPTION_PROJECT_RECORDS);
        assertThat(answer.serverTiming()).contains("keys").contains("derive");

        // A row that does not exist is reported beside the keys, which still come.
        var missing = decrypt(withKeys(row(run(PROJECT, BUILD), "nothing"), "signing_keys", key("records", "ed25519")));
        assertThat(missing.status()).as(missing.body()).isEqualTo(200);
        assertThat(missing.json().path("secrets").path("status").asText()).isEqualTo("not_found");
        assertThat(missing.json().path("secrets").path("error").asText()).contains("has no profile 'nothing'");
        assertThat(missing.json().path("signing_keys").path("records").asText()).isEqualTo(SIGNING_PROJECT_RECORDS);
    }

    @Test
    void aRowTheConditionRefusesRefusesTheRequestAsWithoutKeys() {
        storeProjectProfile("locked", "{\"Whitelist\":{\"accounts\":[\"carol.near\"]}}");
        var refused = decrypt(withKeys(row(run(PROJECT, BUILD), "locked"), "signing_keys", key("records", "ed25519")));

        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.json().path("error").asText()).isEqualTo("Access denied by access condition");
        assertThat(refused.json().has("code"))
                .as("a secret's refusal, not the keys'")
                .isFalse();
        assertThat(refused.body()).doesNotContain(SIGNING_PROJECT_RECORDS);
    }

    @Test
    void keysThatDoNotMatchTheRunAreRefusedWholeWithOutLayersCodeAndWords() {
        storeProjectProfile("default", "\"AllowAll\"");
        assertRefused(
                decrypt(withKeys(
                        run(PROJECT, BUILD),
                        "signing_keys",
                        key("a", "ed25519"),
                        key("b", "ed25519").put("bind", "wasm"))),
                400,
                "Signing keys refused: key \"b\" is bound to the build (bind \"wasm\"), and this run goes through"
                        + " project alice.near/app; a wasm key is issued only to a direct run of the wasm URL, and a"
                        + " project run holds only bind \"project\" keys");
        assertRefused(
                decrypt(withKeys(run(null, BUILD), "encryption_keys", key("k", null))),
                400,
                "Encryption keys refused: key \"k\" is bound to the project (bind \"project\"), and this is a direct"
                        + " wasm run with no project; a project key is issued only to a run through its project");
        assertRefused(
                decrypt(withKeys(
                        run(PROJECT, BUILD), "signing_keys", key("k", "ed25519").put("caller", "predecessor"))),
                400,
                "Signing keys refused: key \"k\" belongs to the predecessor (caller \"predecessor\"), and this run"
                        + " carries no predecessor_id to bind it to");
        assertRefused(
                decrypt(withKeys(
                        run(PROJECT, BUILD),
                        "signing_keys",
                        key("k0", "ed25519"),
                        key("k1", "ed25519"),
                        key("k2", "ed25519"),
                        key("k3", "ed25519"))),
                400,
                "Signing keys refused: 4 signing keys were requested; at most 3 are allowed");
        assertRefused(
                decrypt(withKeys(
                        run(PROJECT, BUILD).put("user_account_id", "anonymous"), "encryption_keys", key("k", null))),
                400,
                "Encryption keys refused: the caller \"anonymous\" is the worker's placeholder for a run without one,"
                        + " not an account; an encryption key needs a real caller to be bound to, so a run without one"
                        + " gets no key");
        assertRefused(
                decrypt(withKeys(run(PROJECT, null), "signing_keys", key("k", "ed25519"))),
                400,
                "Signing keys refused: signing keys need the running build's executed_wasm_sha256, and the request"
                        + " names none");
        assertRefused(
                decrypt(withKeys(run(PROJECT, BUILD), "signing_keys", key("Rec:ords", "ed25519"))),
                400,
                "Signing keys refused: key path \"Rec:ords\" must match [a-z0-9][a-z0-9_-]{0,31}");
        assertRefused(
                decrypt(withKeys(run(PROJECT, BUILD), "signing_keys", key("k", "ed25519"), key("k", "secp256k1"))),
                400,
                "Signing keys refused: key path \"k\" is requested twice");
        // The declaration rules the worker applies to a manifest too (KeyDeclarations), in the keystore's words
        assertRefused(
                decrypt(withKeys(run(PROJECT, BUILD), "encryption_keys", key("", null))),
                400,
                "Encryption keys refused: a key path must not be empty");
        assertRefused(
                decrypt(withKeys(run(PROJECT, BUILD), "signing_keys", key("k".repeat(33), "ed25519"))),
                400,
                "Signing keys refused: key path \"" + "k".repeat(33) + "\" is 33 bytes; at most 32 are allowed");
        assertRefused(
                decrypt(withKeys(
                        run(null, BUILD),
                        "encryption_keys",
                        key("k", null).put("bind", "wasm").put("vault", "vault.alice.near"))),
                400,
                "Encryption keys refused: key \"k\": a key bound to the build (bind \"wasm\") cannot name a vault — it"
                        + " has no project owner to own one");
        assertRefused(
                decrypt(withKeys(
                        run(PROJECT, BUILD), "signing_keys", key("k", "ed25519").put("vault", "Vault"))),
                400,
                "Signing keys refused: key \"k\": vault \"Vault\" is not a valid NEAR account id (the Account ID"
                        + " contains an invalid character 'V' at index 0)");
        // The keys are judged before the row: a refused key lets no secret out.
        var withRow = decrypt(withKeys(row(run(null, BUILD), "default"), "signing_keys", key("k", "ed25519")));
        assertThat(withRow.json().path("code").asText()).isEqualTo("signing_keys_refused");
        assertThat(withRow.body()).doesNotContain("plaintext_secrets");
    }

    @Test
    void aProjectRunIsCheckedOnTheContract() {
        assertRefused(
                decrypt(withKeys(run(PROJECT, OTHER_BUILD), "signing_keys", key("k", "ed25519"))),
                403,
                "Signing keys refused: the running build (sha256 " + OTHER_BUILD + ") is not a WasmUrl version of"
                        + " project alice.near/app on the contract. A project run gets keys only when its code is"
                        + " published under the project as a WasmUrl version whose hash is this build's; a version"
                        + " built from a GitHub repository gets none.");
        assertRefused(
                decrypt(withKeys(run("alice.near/none", BUILD), "signing_keys", key("k", "ed25519"))),
                403,
                "Signing keys refused: the running build (sha256 " + BUILD + ") is not a WasmUrl version of project"
                        + " alice.near/none on the contract. A project run gets keys only when its code is published"
                        + " under the project as a WasmUrl version whose hash is this build's; a version built from a"
                        + " GitHub repository gets none.");
        assertRefused(
                decrypt(withKeys(
                        run(PROJECT, BUILD), "signing_keys", key("k", "ed25519").put("vault", "vault.mallory.near"))),
                403,
                "Signing keys refused: vault vault.mallory.near does not belong to alice.near, the project's owner:"
                        + " it is not a direct sub-account of alice.near");
        var ownVault = decrypt(withKeys(
                run(PROJECT, BUILD), "signing_keys", key("k", "ed25519").put("vault", "vault.alice.near")));
        assertThat(ownVault.status()).as(ownVault.body()).isEqualTo(422);
        assertThat(ownVault.json().path("error").asText())
                .isEqualTo("Signing keys: vault vault.alice.near is not available: this keystore has one master secret"
                        + " (per-vault masters need OutLayer's MPC network)");
        assertThat(ownVault.body()).as("never the default master in its place").doesNotContain("signing_keys\"");
    }

    @Test
    void aKeystoreWithoutAChainServesDirectRunsAndCannotCheckAProject(@TempDir Path other) throws Exception {
        try (KeystoreFixture alone = new KeystoreFixture(other, MASTER)) {
            var direct = alone.send(
                    "POST",
                    "/decrypt",
                    WORKER_TOKEN,
                    withKeys(
                            run(null, BUILD),
                            "signing_keys",
                            key("session", "ed25519").put("bind", "wasm")));
            assertThat(direct.json().path("signing_keys").path("session").asText())
                    .isEqualTo(SIGNING_WASM_SESSION);
            var project = alone.send(
                    "POST",
                    "/decrypt",
                    WORKER_TOKEN,
                    withKeys(run(PROJECT, BUILD), "signing_keys", key("k", "ed25519")));
            assertThat(project.status()).as(project.body()).isEqualTo(502);
            assertThat(project.json().path("error").asText())
                    .isEqualTo("Signing keys: the project version could not be read: this keystore has no NEAR client"
                            + " configured");
        }
    }

    @Test
    void bodiesAreReadAsOutLayersAre() {
        storeProjectProfile("default", "\"AllowAll\"");
        // No key named (null or []): the secrets request, answered as it always was.
        ObjectNode plain = row(run(PROJECT, BUILD), "default");
        plain.putNull("signing_keys");
        plain.putArray("encryption_keys");
        var secretsOnly = decrypt(plain);
        assertThat(secretsOnly.status()).as(secretsOnly.body()).isEqualTo(200);
        assertThat(secretsOnly.json().has("plaintext_secrets")).isTrue();

        var unknownField = decrypt(withKeys(
                run(PROJECT, BUILD), "signing_keys", key("k", "ed25519").put("valut", "v.alice.near")));
        assertThat(unknownField.status()).isEqualTo(422);
        assertThat(unknownField.json().path("error").asText())
                .contains("unknown field `valut`, expected one of `path`, `type`, `bind`, `caller`, `vault`");
        var typed = decrypt(withKeys(run(PROJECT, BUILD), "encryption_keys", key("k", "aes-256-gcm")));
        assertThat(typed.status()).isEqualTo(422);
        assertThat(typed.json().path("error").asText())
                .contains("unknown field `type`, expected one of `path`, `bind`, `caller`, `vault`");
        var badType = decrypt(withKeys(run(PROJECT, BUILD), "signing_keys", key("k", "x25519")));
        assertThat(badType.status()).isEqualTo(422);
        assertThat(badType.json().path("error").asText())
                .contains("unknown variant `x25519`, expected `ed25519` or `secp256k1`");
        var noUser = decrypt(
                withKeys(JsonCodec.object().put("executed_wasm_sha256", BUILD), "signing_keys", key("k", "ed25519")));
        assertThat(noUser.status()).isEqualTo(422);
        assertThat(noUser.json().path("error").asText()).contains("missing field `user_account_id`");

        String twice = "{\"user_account_id\":\"bob.near\",\"signing_keys\":[{\"path\":\"k\",\"type\":\"ed25519\"}],"
                + "\"signing_keys\":[]}";
        var ambiguous = decrypt(twice.getBytes(StandardCharsets.UTF_8));
        assertThat(ambiguous.status()).isEqualTo(422);
        assertThat(ambiguous.json().path("error").asText())
                .startsWith("the request body cannot be read as either a secrets request or a keyed request:"
                        + " duplicate field `signing_keys`")
                .endsWith("A body names each of `signing_keys`, `encryption_keys` and `task_key` at most once.");

        ObjectNode halfRow = withKeys(run(PROJECT, BUILD), "signing_keys", key("k", "ed25519"))
                .put("owner", OWNER);
        var half = decrypt(halfRow);
        assertThat(half.status()).isEqualTo(400);
        assertThat(half.json().path("error").asText())
                .isEqualTo("accessor, profile and owner name one secret row together: send all three, or none for a"
                        + " request that only derives keys");

        var noToken = keystore.send(
                "POST", "/decrypt", null, withKeys(run(null, BUILD), "signing_keys", key("k", "ed25519")));
        assertThat(noToken.status()).isEqualTo(401);
    }

    @Test
    void aSeedACallerSpellsCannotStartAtADeclaredKeysRoot() {
        String seed = "signing-key:v1:ed25519:wasm:" + BUILD + ":signer:bob.near:session";
        var pubkey = keystore.send(
                "POST", "/pubkey", null, JsonCodec.object().put("seed", seed).put("secrets_json", "{}"));
        assertThat(pubkey.status()).isEqualTo(400);
        assertThat(pubkey.json().path("error").asText())
                .isEqualTo("a seed cannot start with `signing-key:`: that root is reserved for the keys a job's"
                        + " manifest declares");
        var get = keystore.send("GET", "/pubkey?seed=encryption-key:v1:x", null, null);
        assertThat(get.status()).isEqualTo(400);
        var encrypt = keystore.send(
                "POST",
                "/encrypt",
                WORKER_TOKEN,
                JsonCodec.object().put("seed", seed).put("plaintext_base64", "AA=="));
        assertThat(encrypt.status()).isEqualTo(400);
        // A Repo row's seed starts with its repository: one at a root is no repository (api.rs repo_seed_root).
        ObjectNode repoRow = withKeys(
                        run(null, BUILD), "signing_keys", key("k", "ed25519").put("bind", "wasm"))
                .put("owner", OWNER)
                .put("profile", "default");
        repoRow.set("accessor", JsonCodec.object().put("type", "Repo").put("repo", "signing-key"));
        var repo = decrypt(repoRow);
        assertThat(repo.status()).as(repo.body()).isEqualTo(400);
        assertThat(repo.json().path("error").asText())
                .isEqualTo("`signing-key` is not a repository URL: a repo cannot start with `signing-key:`, a root"
                        + " reserved for the keys a job's manifest declares");
    }

    @Test
    void aProjectRunThatDeclaresTasksGetsItsTaskKeyBesideTheRowThatOpened() {
        storeProjectProfile("default", "\"AllowAll\"");
        storeProjectProfile("named", "{\"Whitelist\":{\"accounts\":[\"bob.near\"]}}");

        var alone = decrypt(row(run(PROJECT, BUILD), "default").put("task_key", true));
        assertThat(alone.status()).as(alone.body()).isEqualTo(200);
        assertThat(alone.json().path("secrets").path("status").asText()).isEqualTo("decrypted");
        assertThat(alone.json().path("task_key").path("key").asText())
                .isEqualTo(TASK_KEY_ALICE)
                .isEqualTo(hmac("task-key:v1:" + UUID + ":" + OWNER));
        assertThat(alone.json().path("task_key").path("admitted_by_name").asBoolean())
                .as("a row open to everyone names nobody")
                .isFalse();
        assertThat(alone.json().path("task_key").has("vault")).isFalse();
        assertThat(alone.json().has("signing_keys")).isFalse();

        var named = decrypt(withKeys(
                row(run(PROJECT, BUILD), "named").put("task_key", true), "signing_keys", key("records", "ed25519")));
        assertThat(named.status()).as(named.body()).isEqualTo(200);
        assertThat(named.json().path("task_key").path("key").asText())
                .as("the key is the project's and the owner's, whichever row of theirs opened")
                .isEqualTo(TASK_KEY_ALICE);
        assertThat(named.json().path("task_key").path("admitted_by_name").asBoolean())
                .isTrue();
        assertThat(named.json().path("signing_keys").path("records").asText()).isEqualTo(SIGNING_PROJECT_RECORDS);

        // No row that opened, no task key: a row that does not exist is reported, the run goes on without one.
        var missing = decrypt(row(run(PROJECT, BUILD), "nothing").put("task_key", true));
        assertThat(missing.status()).as(missing.body()).isEqualTo(200);
        assertThat(missing.json().path("secrets").path("status").asText()).isEqualTo("not_found");
        assertThat(missing.json().has("task_key")).isFalse();
        // A caller that is no account gets its row and no task key (a request without declared keys).
        ObjectNode anonymous = row(run(PROJECT, BUILD), "default").put("task_key", true);
        anonymous.put("user_account_id", "anonymous");
        var withheld = decrypt(anonymous);
        assertThat(withheld.status()).as(withheld.body()).isEqualTo(200);
        assertThat(withheld.json().path("secrets").path("status").asText()).isEqualTo("decrypted");
        assertThat(withheld.json().has("task_key")).isFalse();
        // false and null ask for none: the secrets request, answered as it always was.
        var no = decrypt(row(run(PROJECT, BUILD), "default").put("task_key", false));
        assertThat(no.json().has("plaintext_secrets")).as(no.body()).isTrue();
    }

    @Test
    void aTaskKeyIsRefusedAsOutLayerRefusesIt() {
        storeProjectProfile("default", "\"AllowAll\"");
        assertRefused(
                decrypt(row(run(null, BUILD), "default").put("task_key", true)),
                400,
                "Task key refused: a task key is issued only to a run through a project, and this is a direct run"
                        + " with none");
        assertRefused(
                decrypt(run(PROJECT, BUILD).put("task_key", true)),
                400,
                "Task key refused: a task key belongs to the owner of the secret row a run names, and the request"
                        + " names no row of a project");
        ObjectNode otherProject = row(run(PROJECT, BUILD), "default").put("task_key", true);
        otherProject.set("accessor", JsonCodec.object().put("type", "Project").put("project_id", "bob.near/other"));
        assertRefused(
                decrypt(otherProject),
                400,
                "Task key refused: the secret row is project \"bob.near/other\"'s and the run is project"
                        + " alice.near/app's; a task key is issued for the run's own project's row");
        assertRefused(
                decrypt(row(run(PROJECT, null), "default").put("task_key", true)),
                400,
                "Task key refused: a task key needs the running build's executed_wasm_sha256, and the request names"
                        + " none");
        assertRefused(
                decrypt(row(run(PROJECT, OTHER_BUILD), "default").put("task_key", true)),
                403,
                "Task key refused: the running build (sha256 " + OTHER_BUILD + ") is not a WasmUrl version of"
                        + " project alice.near/app on the contract. A project run gets keys only when its code is"
                        + " published under the project as a WasmUrl version whose hash is this build's; a version"
                        + " built from a GitHub repository gets none.");
        var notABool = decrypt(row(run(PROJECT, BUILD), "default").put("task_key", 1));
        assertThat(notABool.status()).isEqualTo(422);
        assertThat(notABool.json().path("error").asText()).contains("invalid type: integer `1`, expected a boolean");
        var twice = decrypt("{\"user_account_id\":\"bob.near\",\"task_key\":true,\"task_key\":false}"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(twice.status()).isEqualTo(422);
        assertThat(twice.json().path("error").asText()).contains("duplicate field `task_key`");
        var seed = keystore.send(
                "POST",
                "/pubkey",
                null,
                JsonCodec.object()
                        .put("seed", "task-key:v1:" + UUID + ":" + OWNER)
                        .put("secrets_json", "{}"));
        assertThat(seed.status()).isEqualTo(400);
        assertThat(seed.json().path("error").asText())
                .isEqualTo("a seed cannot start with `task-key:`: that root is reserved for the keys a job's manifest"
                        + " declares");
    }

    @Test
    void refusedCallsChangeNothing() {
        storeProjectProfile("default", "\"AllowAll\"");
        JsonNode before =
                keystore.send("GET", "/secrets/" + OWNER, ALICE_KEY, null).json();
        var first = decrypt(withKeys(row(run(PROJECT, BUILD), "default"), "signing_keys", key("records", "ed25519")));

        decrypt(withKeys(run(PROJECT, OTHER_BUILD), "signing_keys", key("records", "ed25519")));
        decrypt(withKeys(
                row(run(PROJECT, BUILD), "default"),
                "signing_keys",
                key("records", "ed25519"),
                key("x", "ed25519").put("bind", "wasm")));
        decrypt(withKeys(
                run(PROJECT, BUILD), "signing_keys", key("records", "ed25519").put("vault", "vault.alice.near")));
        decrypt(row(run(PROJECT, OTHER_BUILD), "default").put("task_key", true));
        decrypt(run(PROJECT, BUILD).put("task_key", true));

        assertThat(keystore.send("GET", "/secrets/" + OWNER, ALICE_KEY, null).json())
                .isEqualTo(before);
        var after = decrypt(withKeys(row(run(PROJECT, BUILD), "default"), "signing_keys", key("records", "ed25519")));
        assertThat(after.json()).isEqualTo(first.json());
        var taskKey = decrypt(row(run(PROJECT, BUILD), "default").put("task_key", true));
        assertThat(taskKey.json().path("task_key").path("key").asText()).isEqualTo(TASK_KEY_ALICE);
    }
}
