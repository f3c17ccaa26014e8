package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.contracts.AccessKey;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.contracts.PublicKey;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.keystore.Ecies;
import dev.outlayer.bench.targetsystem.keystore.Nep413;
import dev.outlayer.bench.targetsystem.keystore.SecretsRef;
import dev.outlayer.bench.targetsystem.keystore.WorkerTokens;
import dev.outlayer.bench.targetsystem.rpc.Base58;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code POST /update_user_secrets} on the embedded keystore, as OutLayer's dashboard calls it
 * through its coordinator: a real NEP-413 signature (Ed25519 over SHA-256 of the tag and the Borsh
 * payload) by a key the simulator's chain lists for the owner, and forged ones that change nothing.
 */
class KeystoreUserSecretsUpdateTest {
    static final String ALICE = "alice.test.near";
    static final String REPO = "github.com/a/b";
    static final String COORDINATOR_TOKEN = "coordinator-secret-token";
    static final String WORKER_TOKEN = "worker-secret-token";
    static final String RECIPIENT = "outlayer.test.near";
    static final SecureRandom RANDOM = new SecureRandom();

    final HttpClient http = HttpClient.newHttpClient();

    record Answer(int status, JsonNode json, String body) {}

    /** A signing key: its NEAR form and a NEP-413 signer. */
    record Signer(Ed25519PrivateKeyParameters key) {
        static Signer fresh() {
            return new Signer(new Ed25519PrivateKeyParameters(RANDOM));
        }

        String publicKey() {
            return "ed25519:" + Base58.encode(key.generatePublicKey().getEncoded());
        }

        String sign(String message, byte[] nonce, String recipient) {
            byte[] hash = Nep413.signedHash(message, nonce, recipient);
            Ed25519Signer signer = new Ed25519Signer();
            signer.init(true, key);
            signer.update(hash, 0, hash.length);
            return Base64.getEncoder().encodeToString(signer.generateSignature());
        }
    }

    static TargetOptions options(Path dir, String... extra) throws IOException {
        Path keys = dir.resolve("api-keys.csv");
        Files.writeString(keys, "api_key,tier,owner\nk1,standard," + ALICE + "\n");
        Path tiers = dir.resolve("tiers.csv");
        Files.writeString(tiers, "tier,rate_per_second,burst,max_in_flight\nanonymous,5,10,4\nstandard,20,40,8\n");
        TargetOptions options = new TargetOptions();
        List<String> args = new java.util.ArrayList<>(List.of(
                "--coordinator-port",
                "0",
                "--keystore-port",
                "0",
                "--host",
                "127.0.0.1",
                "--keystore-data-dir",
                dir.resolve("ks").toString(),
                "--api-keys-file",
                keys.toString(),
                "--tiers-file",
                tiers.toString(),
                "--upstream-rpc",
                "http://127.0.0.1:9",
                "--shutdown-grace-ms",
                "500",
                "--contracts-dir",
                Path.of(System.getProperty("outlayer.root", ".."))
                        .resolve("resources/contracts")
                        .toString()));
        args.addAll(List.of(extra));
        new CommandLine(options).parseArgs(args.toArray(String[]::new));
        return options;
    }

    /** A coordinator with its keystore, each token given. */
    static TargetOptions withTokens(Path dir) throws IOException {
        return options(
                dir,
                "--components",
                "coordinator,keystore",
                "--coordinator-token",
                COORDINATOR_TOKEN,
                "--worker-token",
                WORKER_TOKEN);
    }

    Answer send(String url, String method, String bearer, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(JsonCodec.bytes(body)));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = response.body().isEmpty() ? null : JsonCodec.MAPPER.readTree(response.body());
        return new Answer(response.statusCode(), json, response.body());
    }

    /** An update of the profile "default", signed by {@code signer} over the message OutLayer's dashboard writes. */
    static ObjectNode update(
            Signer signer,
            String mode,
            Map<String, Object> secrets,
            Map<String, String> generate,
            ObjectNode accessor) {
        return update(signer, "default", mode, secrets, generate, accessor);
    }

    /** An update of {@code profile} signed by {@code signer} over the message OutLayer's dashboard writes for it. */
    static ObjectNode update(
            Signer signer,
            String profile,
            String mode,
            Map<String, Object> secrets,
            Map<String, String> generate,
            ObjectNode accessor) {
        ObjectNode body =
                JsonCodec.object().put("profile", profile).put("owner", ALICE).put("mode", mode);
        body.set("accessor", accessor);
        ObjectNode secretsNode = body.putObject("secrets");
        secrets.forEach((name, value) -> secretsNode.set(name, JsonCodec.MAPPER.valueToTree(value)));
        StringBuilder message = new StringBuilder("Update Outlayer secrets for " + ALICE + ":" + profile);
        if (!secrets.isEmpty()) {
            message.append("\nkeys:")
                    .append(String.join(",", secrets.keySet().stream().sorted().toList()));
        }
        if (!generate.isEmpty()) {
            var specs = body.putArray("generate_protected");
            generate.forEach((name, type) -> specs.addObject().put("name", name).put("generation_type", type));
            message.append("\nprotected:")
                    .append(String.join(",", generate.keySet().stream().sorted().toList()));
        }
        byte[] nonce = new byte[32];
        RANDOM.nextBytes(nonce);
        return body.put("signed_message", message.toString())
                .put("signature", signer.sign(message.toString(), nonce, RECIPIENT))
                .put("public_key", signer.publicKey())
                .put("nonce", Base64.getEncoder().encodeToString(nonce))
                .put("recipient", RECIPIENT);
    }

    static ObjectNode repo(String repo, String branch) {
        ObjectNode accessor = JsonCodec.object().put("type", "Repo").put("repo", repo);
        return branch == null ? accessor.putNull("branch") : accessor.put("branch", branch);
    }

    JsonNode openRaw(TargetSystem system, String seed, String blob) throws Exception {
        Answer opened = send(
                system.keystoreUrl() + "/decrypt-raw",
                "POST",
                WORKER_TOKEN,
                JsonCodec.object().put("seed", seed).put("encrypted_base64", blob));
        assertThat(opened.status()).as(opened.body()).isEqualTo(200);
        return JsonCodec.MAPPER.readTree(Base64.getDecoder()
                .decode(opened.json().path("plaintext_base64").asText()));
    }

    @Test
    void theOwnersSignedUpdateAppendsResetsAndMovesAProfileKeepingItsProtectedSecrets(@TempDir Path dir)
            throws Exception {
        try (TargetSystem system = TargetSystem.start(withTokens(dir))) {
            assertThat(system.coordinatorToken()).isEqualTo(COORDINATOR_TOKEN);
            Signer alice = ownerWithAProfile(system);
            String url = system.keystoreUrl() + "/update_user_secrets";
            SecretsRef ref = new SecretsRef(ALICE, "default", REPO, null);

            // Append: set two, generate one inside the keystore.
            Answer appended = send(
                    url,
                    "POST",
                    COORDINATOR_TOKEN,
                    update(
                            alice,
                            "append",
                            Map.of("API_KEY", "new", "DEBUG", true),
                            Map.of("PROTECTED_DB_KEY", "hex32"),
                            repo(REPO, null)));
            assertThat(appended.status()).as(appended.body()).isEqualTo(200);
            assertThat(appended.json().path("summary"))
                    .isEqualTo(JsonCodec.MAPPER.readTree("{\"protected_keys_preserved\":[],"
                            + "\"updated_keys\":[\"API_KEY\",\"DEBUG\",\"PROTECTED_DB_KEY\"],\"removed_keys\":[],"
                            + "\"total_keys\":4}"));
            JsonNode afterAppend = openRaw(
                    system,
                    REPO + ":" + ALICE,
                    appended.json().path("encrypted_secrets_base64").asText());
            String dbKey = afterAppend.path("PROTECTED_DB_KEY").asText();
            assertThat(dbKey).matches("[0-9a-f]{64}");
            assertThat(appended.body()).doesNotContain(dbKey);
            // The update is stored: a worker's decrypt sees it, under the profile's access condition.
            Map<String, String> decrypted = system.secretsClient().fetch(ref, ALICE);
            assertThat(decrypted)
                    .containsEntry("API_KEY", "new")
                    .containsEntry("REGION", "eu")
                    .containsEntry("DEBUG", "true")
                    .containsEntry("PROTECTED_DB_KEY", dbKey);

            // Reset: every secret but the PROTECTED_ ones is replaced.
            Answer reset = send(
                    url,
                    "POST",
                    COORDINATOR_TOKEN,
                    update(alice, "reset", Map.of("ONLY", "x"), Map.of(), repo(REPO, null)));
            assertThat(reset.status()).as(reset.body()).isEqualTo(200);
            assertThat(reset.json().path("summary"))
                    .isEqualTo(JsonCodec.MAPPER.readTree("{\"protected_keys_preserved\":[\"PROTECTED_DB_KEY\"],"
                            + "\"updated_keys\":[\"ONLY\"],\"removed_keys\":[\"API_KEY\",\"DEBUG\",\"REGION\"],"
                            + "\"total_keys\":2}"));
            assertThat(system.secretsClient().fetch(ref, ALICE))
                    .containsExactlyInAnyOrderEntriesOf(Map.of("ONLY", "x", "PROTECTED_DB_KEY", dbKey));

            // Forged or mismatched requests are refused and change nothing.
            ObjectNode tampered = update(alice, "append", Map.of("ONLY", "y"), Map.of(), repo(REPO, null));
            byte[] signature =
                    Base64.getDecoder().decode(tampered.path("signature").asText());
            signature[5] ^= 1;
            tampered.put("signature", Base64.getEncoder().encodeToString(signature));
            assertRefused(url, tampered, 401, "Invalid signature: Signature verification failed");
            ObjectNode otherRecipient = update(alice, "append", Map.of("ONLY", "y"), Map.of(), repo(REPO, null));
            otherRecipient.put("recipient", "evil.test.near");
            assertRefused(url, otherRecipient, 401, "Invalid signature: Signature verification failed");
            Signer mallory = Signer.fresh();
            assertRefused(
                    url,
                    update(mallory, "reset", Map.of("ONLY", "y"), Map.of(), repo(REPO, null)),
                    401,
                    "Public key " + mallory.publicKey() + " does not belong to account " + ALICE);
            ObjectNode moreThanSigned = update(alice, "append", Map.of("ONLY", "y"), Map.of(), repo(REPO, null));
            ((ObjectNode) moreThanSigned.path("secrets")).put("EXTRA", "z");
            assertRefused(url, moreThanSigned, 400, "Invalid message format. Expected payload to match request data.");
            ObjectNode shortNonce = update(alice, "append", Map.of("ONLY", "y"), Map.of(), repo(REPO, null));
            shortNonce.put("nonce", Base64.getEncoder().encodeToString(new byte[16]));
            assertRefused(url, shortNonce, 401, "Invalid nonce length: 16 (expected 32)");
            assertRefused(
                    url,
                    update(alice, "append", Map.of("PROTECTED_DB_KEY", "mine"), Map.of(), repo(REPO, null)),
                    400,
                    "User secrets cannot use 'PROTECTED_' prefix: PROTECTED_DB_KEY");
            assertRefused(
                    url,
                    update(alice, "append", Map.of(), Map.of("PROTECTED_DB_KEY", "hex16"), repo(REPO, null)),
                    400,
                    "Cannot regenerate existing PROTECTED_ secret: PROTECTED_DB_KEY");
            assertRefused(
                    url,
                    update(alice, "append", Map.of(), Map.of("PLAIN", "hex16"), repo(REPO, null)),
                    400,
                    "Generated secret 'PLAIN' must start with 'PROTECTED_' prefix");
            assertRefused(
                    url,
                    update(alice, "append", Map.of("NEAR_SENDER_ID", "x"), Map.of(), repo(REPO, null)),
                    400,
                    "Cannot use reserved system keywords as secret keys: NEAR_SENDER_ID.");
            assertRefused(
                    url,
                    update(alice, "append", Map.of("A", "b"), Map.of(), repo("github.com/a/other", null)),
                    404,
                    "has no profile 'default'");
            assertRefused(
                    url,
                    update(alice, "append", Map.of("A", "b"), Map.of(), repo(REPO, null)),
                    401,
                    "Invalid coordinator token",
                    WORKER_TOKEN);
            assertThat(system.secretsClient().fetch(ref, ALICE))
                    .containsExactlyInAnyOrderEntriesOf(Map.of("ONLY", "x", "PROTECTED_DB_KEY", dbKey));

            // Move the profile to another accessor: sealed under the new seed, found only there.
            ObjectNode move = update(alice, "append", Map.of(), Map.of(), repo(REPO, null));
            move.set("new_accessor", repo("github.com/a/c", "main"));
            Answer moved = send(url, "POST", COORDINATOR_TOKEN, move);
            assertThat(moved.status()).as(moved.body()).isEqualTo(200);
            assertThat(openRaw(
                                    system,
                                    "github.com/a/c:" + ALICE + ":main",
                                    moved.json()
                                            .path("encrypted_secrets_base64")
                                            .asText())
                            .path("PROTECTED_DB_KEY")
                            .asText())
                    .isEqualTo(dbKey);
            assertThat(system.secretsClient().fetch(new SecretsRef(ALICE, "default", "github.com/a/c", "main"), ALICE))
                    .containsEntry("ONLY", "x")
                    .containsEntry("PROTECTED_DB_KEY", dbKey);
            Answer listed = send(system.keystoreUrl() + "/secrets/" + ALICE + "/default", "GET", "k1", null);
            assertThat(listed.json().path("repo").asText()).isEqualTo("github.com/a/c");
            assertThat(listed.json().path("access").toString()).contains(ALICE);
        }
    }

    /**
     * A profile is a row of OutLayer's contract, (accessor, profile, owner): updating one row changes no other row of
     * its name; a move onto a stored row replaces it, as OutLayer's {@code store_secrets} of the new blob replaces
     * the row of its key; a move onto a stored payment key is refused, as that store would be (a payment key is
     * written once), and changes nothing.
     */
    @Test
    void anUpdateIsOfOneRowAndAMoveReplacesTheRowAtItsTarget(@TempDir Path dir) throws Exception {
        try (TargetSystem system = TargetSystem.start(withTokens(dir))) {
            Signer alice = ownerWithAProfile(system);
            String url = system.keystoreUrl() + "/update_user_secrets";
            String other = "github.com/a/c";
            storeSealed(system, "default", repo(other, null), "{\"OTHER\":\"c\"}");

            Answer appended = send(
                    url,
                    "POST",
                    COORDINATOR_TOKEN,
                    update(alice, "append", Map.of("ADDED", "x"), Map.of(), repo(REPO, null)));
            assertThat(appended.status()).as(appended.body()).isEqualTo(200);
            assertThat(system.secretsClient().fetch(new SecretsRef(ALICE, "default", other, null), ALICE))
                    .as("the other repository's default is another row")
                    .containsExactlyInAnyOrderEntriesOf(Map.of("OTHER", "c"));

            ObjectNode move = update(alice, "append", Map.of(), Map.of(), repo(REPO, null));
            move.set("new_accessor", repo(other, null));
            Answer moved = send(url, "POST", COORDINATOR_TOKEN, move);
            assertThat(moved.status()).as(moved.body()).isEqualTo(200);
            assertThat(system.secretsClient().fetch(new SecretsRef(ALICE, "default", other, null), ALICE))
                    .containsExactlyInAnyOrderEntriesOf(Map.of("API_KEY", "old", "REGION", "eu", "ADDED", "x"));
            Answer listed = send(system.keystoreUrl() + "/secrets/" + ALICE, "GET", "k1", null);
            assertThat(listed.json().path("profiles")).hasSize(1);
            assertThat(listed.json().path("profiles").get(0).path("repo").asText())
                    .isEqualTo(other);

            // A row named "7" beside the payment key of nonce 7: a move onto the key is refused.
            ObjectNode paymentKey = JsonCodec.object().put("type", "System").put("secret_type", "payment_key");
            storeSealed(
                    system,
                    "7",
                    paymentKey,
                    "{\"key\":\"" + "ab".repeat(32) + "\",\"project_ids\":[],\"max_per_call\":null,"
                            + "\"initial_balance\":\"0\"}");
            storeSealed(system, "7", repo(REPO, null), "{\"SEVEN\":\"7\"}");
            ObjectNode ontoTheKey = update(alice, "7", "append", Map.of(), Map.of(), repo(REPO, null));
            ontoTheKey.set("new_accessor", paymentKey);
            assertRefused(url, ontoTheKey, 409, "Payment key already exists for this nonce.");
            assertThat(system.secretsClient().fetch(new SecretsRef(ALICE, "7", REPO, null), ALICE))
                    .containsExactlyInAnyOrderEntriesOf(Map.of("SEVEN", "7"));
            Answer key = send(
                    system.keystoreUrl() + "/secrets/" + ALICE + "/7?accessor="
                            + java.net.URLEncoder.encode(paymentKey.toString(), StandardCharsets.UTF_8),
                    "GET",
                    "k1",
                    null);
            assertThat(key.status()).as(key.body()).isEqualTo(200);
            assertThat(key.json().path("updated_at").asText())
                    .isEqualTo(key.json().path("created_at").asText());
        }
    }

    /**
     * A payment key's row is a key the coordinator knows (OutLayer's worker reports the contract's events to it): an
     * update that moves the row away deletes the key, one that moves a row onto a payment key's creates it, as
     * {@code store_secrets} of the moved blob would; an update of a payment key in place is a rewrite the contract
     * refuses (409), and a refused move changes no row and no key. As OutLayer's keystore, the update reads any JSON
     * object (a payment key's {@code project_ids} array, its {@code max_per_call} null) and sets any JSON value.
     */
    @Test
    void aPaymentKeyMovedByAnUpdateLeavesTheCoordinatorAndOneMovedOntoAKeyArrives(@TempDir Path dir) throws Exception {
        // the coordinator's payment keys come with its execution lifecycle, which needs the RPC emulator
        TargetOptions withKeys = withTokens(dir);
        withKeys.components.add(TargetOptions.Component.rpc);
        try (TargetSystem system = TargetSystem.start(withKeys)) {
            Signer alice = ownerWithAProfile(system);
            String url = system.keystoreUrl() + "/update_user_secrets";
            ObjectNode paymentKey = JsonCodec.object().put("type", "System").put("secret_type", "payment_key");
            String seven = "7a".repeat(32);
            String eight = "8b".repeat(32);
            storeSealed(system, "7", paymentKey, "{\"key\":\"" + seven + "\",\"initial_balance\":\"0\"}");
            storeSealed(system, "8", repo(REPO, null), "{\"key\":\"" + eight + "\",\"initial_balance\":\"0\"}");
            storeSealed(system, "9", repo(REPO, null), "{\"NINE\":\"9\"}");
            assertThat(keyStatus(system, 7, seven)).as("stored: known").isEqualTo(200);
            assertThat(keyStatus(system, 8, eight)).isEqualTo(401);

            // Refused, changing nothing: a payment key rewritten in place, a row of no nonce or no key moved onto one.
            assertRefused(
                    url,
                    update(alice, "7", "append", Map.of("X", "y"), Map.of(), paymentKey),
                    409,
                    "Payment key already exists for this nonce.");
            ObjectNode noNonce = update(alice, "append", Map.of(), Map.of(), repo(REPO, null));
            noNonce.set("new_accessor", paymentKey);
            assertRefused(url, noNonce, 400, "A payment key's profile is its nonce and must be a number");
            ObjectNode noKey = update(alice, "9", "append", Map.of(), Map.of(), repo(REPO, null));
            noKey.set("new_accessor", paymentKey);
            assertRefused(url, noKey, 400, "a payment key's secret needs key: 64 hex digits");
            assertThat(keyStatus(system, 7, seven)).isEqualTo(200);
            assertThat(system.secretsClient().fetch(new SecretsRef(ALICE, "9", REPO, null), ALICE))
                    .containsExactlyInAnyOrderEntriesOf(Map.of("NINE", "9"));
            assertThat(send(system.keystoreUrl() + "/secrets/" + ALICE, "GET", "k1", null)
                            .json()
                            .path("profiles"))
                    .hasSize(4);

            ObjectNode away = update(alice, "7", "append", Map.of(), Map.of(), paymentKey);
            away.set("new_accessor", repo(REPO, null));
            Answer movedAway = send(url, "POST", COORDINATOR_TOKEN, away);
            assertThat(movedAway.status()).as(movedAway.body()).isEqualTo(200);
            assertThat(keyStatus(system, 7, seven))
                    .as("its row moved away: no key")
                    .isEqualTo(401);
            assertThat(system.secretsClient().fetch(new SecretsRef(ALICE, "7", REPO, null), ALICE))
                    .containsEntry("key", seven);

            ObjectNode onto = update(alice, "8", "append", Map.of(), Map.of(), repo(REPO, null));
            onto.set("new_accessor", paymentKey);
            Answer movedOnto = send(url, "POST", COORDINATOR_TOKEN, onto);
            assertThat(movedOnto.status()).as(movedOnto.body()).isEqualTo(200);
            assertThat(keyStatus(system, 8, eight))
                    .as("moved onto nonce 8: known")
                    .isEqualTo(200);

            // OutLayer's keystore reads any JSON object it merges into and takes any JSON value to set, so a payment
            // key's metadata as its dashboard writes it (an array, a null) moves either way; it refuses reserved names
            // being written, all of them at once.
            String ten = "1c".repeat(32);
            storeSealed(
                    system,
                    "10",
                    paymentKey,
                    "{\"key\":\"" + ten + "\",\"project_ids\":[\"" + ALICE + "/app\"],\"max_per_call\":null,"
                            + "\"initial_balance\":\"0\"}");
            assertThat(keyStatus(system, 10, ten)).isEqualTo(200);
            ObjectNode tenAway = update(alice, "10", "append", Map.of(), Map.of(), paymentKey);
            tenAway.set("new_accessor", repo(REPO, null));
            Answer tenMoved = send(url, "POST", COORDINATOR_TOKEN, tenAway);
            assertThat(tenMoved.status()).as(tenMoved.body()).isEqualTo(200);
            assertThat(keyStatus(system, 10, ten)).isEqualTo(401);
            String eleven = "2d".repeat(32);
            storeSealed(system, "11", repo(REPO, null), "{\"key\":\"" + eleven + "\",\"initial_balance\":\"0\"}");
            ObjectNode elevenOnto = update(
                    alice,
                    "11",
                    "append",
                    Map.of("project_ids", List.of(ALICE + "/app"), "max_per_call", JsonCodec.MAPPER.nullNode()),
                    Map.of(),
                    repo(REPO, null));
            elevenOnto.set("new_accessor", paymentKey);
            Answer elevenMoved = send(url, "POST", COORDINATOR_TOKEN, elevenOnto);
            assertThat(elevenMoved.status()).as(elevenMoved.body()).isEqualTo(200);
            assertThat(keyStatus(system, 11, eleven)).isEqualTo(200);
            Answer reserved = send(
                    url,
                    "POST",
                    COORDINATOR_TOKEN,
                    update(
                            alice,
                            "9",
                            "append",
                            Map.of("WALLET_ID", "w", "NEAR_SENDER_ID", "s"),
                            Map.of(),
                            repo(REPO, null)));
            assertThat(reserved.status()).as(reserved.body()).isEqualTo(400);
            assertThat(reserved.json().path("error").asText())
                    .startsWith("Cannot use reserved system keywords as secret keys: ")
                    .contains("WALLET_ID", "NEAR_SENDER_ID");
        }
    }

    /** The coordinator's answer to {@code GET /payment-keys/balance} with alice's key of {@code nonce}. */
    int keyStatus(TargetSystem system, int nonce, String key) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(system.coordinatorUrl() + "/payment-keys/balance"))
                .header("X-Payment-Key", ALICE + ":" + nonce + ":" + key)
                .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Stores {@code plaintext} as alice's {@code profile} for {@code accessor}, sealed to its scope, AllowAll. */
    void storeSealed(TargetSystem system, String profile, ObjectNode accessor, String plaintext) throws Exception {
        ObjectNode keyRequest = JsonCodec.object().put("owner", ALICE).put("profile", profile);
        keyRequest.set("accessor", accessor);
        String pubkey = send(system.keystoreUrl() + "/pubkey", "POST", null, keyRequest)
                .json()
                .path("pubkey")
                .asText();
        ObjectNode body = JsonCodec.object()
                .put(
                        "encrypted_secrets_base64",
                        Base64.getEncoder()
                                .encodeToString(Ecies.encrypt(
                                        HexFormat.of().parseHex(pubkey), plaintext.getBytes(StandardCharsets.UTF_8))))
                .put("access", "AllowAll");
        body.set("accessor", accessor);
        Answer stored = send(system.keystoreUrl() + "/secrets/" + ALICE + "/" + profile, "PUT", "k1", body);
        assertThat(stored.status()).as(stored.body()).isEqualTo(201);
    }

    /** Alice, a key of hers on the simulator's chain, and her profile "default" for {@link #REPO}: API_KEY, REGION. */
    Signer ownerWithAProfile(TargetSystem system) throws Exception {
        ContractSimulator chain = system.contracts();
        Signer alice = Signer.fresh();
        chain.putAccount(ALICE, BigInteger.TEN.pow(24));
        chain.putAccessKey(
                ALICE, PublicKey.ed25519(alice.key().generatePublicKey().getEncoded()), AccessKey.fullAccess(0));
        String pubkey = send(
                        system.keystoreUrl() + "/pubkey",
                        "POST",
                        null,
                        JsonCodec.object().put("repo", REPO).put("owner", ALICE))
                .json()
                .path("pubkey")
                .asText();
        String blob = Base64.getEncoder()
                .encodeToString(Ecies.encrypt(
                        HexFormat.of().parseHex(pubkey),
                        "{\"API_KEY\":\"old\",\"REGION\":\"eu\"}".getBytes(StandardCharsets.UTF_8)));
        Answer stored = send(
                system.keystoreUrl() + "/secrets/" + ALICE + "/default",
                "PUT",
                "k1",
                JsonCodec.MAPPER.readTree("{\"repo\":\"" + REPO + "\",\"encrypted_secrets_base64\":\"" + blob
                        + "\",\"access\":{\"Whitelist\":{\"accounts\":[\"" + ALICE + "\"]}}}"));
        assertThat(stored.status()).as(stored.body()).isEqualTo(201);
        return alice;
    }

    /**
     * OutLayer's UpdateUserSecretsRequest: {@code generate_protected} is an {@code Option<Vec<GeneratedSecretSpec>>}
     * (null is none, as absent is), each entry two required Strings: a null entry, or one without its name or
     * generation type (or with it null), is axum's 422 before the message or the signature is looked at, even when
     * the owner signed it; such a refusal changes nothing.
     */
    @Test
    void generateProtectedIsAnOptionalListOfRequiredSpecsAsInOutLayer(@TempDir Path dir) throws Exception {
        try (TargetSystem system = TargetSystem.start(withTokens(dir))) {
            Signer alice = ownerWithAProfile(system);
            String url = system.keystoreUrl() + "/update_user_secrets";
            SecretsRef ref = new SecretsRef(ALICE, "default", REPO, null);

            ObjectNode nullList = update(alice, "append", Map.of("API_KEY", "new"), Map.of(), repo(REPO, null));
            nullList.putNull("generate_protected");
            Answer none = send(url, "POST", COORDINATOR_TOKEN, nullList);
            assertThat(none.status()).as(none.body()).isEqualTo(200);
            assertThat(none.json().path("summary").path("updated_keys").toString())
                    .isEqualTo("[\"API_KEY\"]");
            Map<String, String> before = system.secretsClient().fetch(ref, ALICE);
            assertThat(before).containsExactlyInAnyOrderEntriesOf(Map.of("API_KEY", "new", "REGION", "eu"));

            // signed over PROTECTED_A alone, which an entry the keystore skipped would still match
            ObjectNode nullEntry = update(alice, "append", Map.of(), Map.of("PROTECTED_A", "hex32"), repo(REPO, null));
            ((ArrayNode) nullEntry.path("generate_protected")).addNull();
            assertUnfit(url, nullEntry, "'generate_protected[1]' must be an object, not null");
            for (String member : List.of("name", "generation_type")) {
                ObjectNode without =
                        update(alice, "append", Map.of(), Map.of("PROTECTED_A", "hex32"), repo(REPO, null));
                ((ObjectNode) without.path("generate_protected").get(0)).remove(member);
                assertUnfit(url, without, "missing field `" + member + "`");
                ObjectNode nullMember =
                        update(alice, "append", Map.of(), Map.of("PROTECTED_A", "hex32"), repo(REPO, null));
                ((ObjectNode) nullMember.path("generate_protected").get(0)).putNull(member);
                assertUnfit(url, nullMember, "missing field `" + member + "`");
            }
            assertThat(system.secretsClient().fetch(ref, ALICE)).isEqualTo(before);

            Answer generated = send(
                    url,
                    "POST",
                    COORDINATOR_TOKEN,
                    update(alice, "append", Map.of(), Map.of("PROTECTED_A", "hex32"), repo(REPO, null)));
            assertThat(generated.status()).as(generated.body()).isEqualTo(200);
            assertThat(system.secretsClient().fetch(ref, ALICE)).containsKey("PROTECTED_A");
        }
    }

    void assertUnfit(String url, ObjectNode body, String because) throws Exception {
        Answer answer = send(url, "POST", COORDINATOR_TOKEN, body);
        assertThat(answer.status()).as(answer.body()).isEqualTo(422);
        assertThat(answer.json().path("error").asText())
                .isEqualTo("Failed to deserialize the JSON body into the target type: " + because);
    }

    void assertRefused(String url, ObjectNode body, int status, String because) throws Exception {
        assertRefused(url, body, status, because, COORDINATOR_TOKEN);
    }

    void assertRefused(String url, ObjectNode body, int status, String because, String token) throws Exception {
        Answer answer = send(url, "POST", token, body);
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.json().path("error").asText()).contains(because);
        assertThat(answer.body()).doesNotContain("Exception");
    }

    /**
     * A keystore started alone takes coordinators by hash (--coordinator-token-hashes) and, without a
     * chain to read the owner's keys from, refuses an update it cannot check (422) instead of
     * skipping the check; the embedded keystore accepts its coordinator's random token.
     */
    @Test
    void coordinatorTokensComeFromTheFlagsAndAnUncheckableKeyIsRefused(@TempDir Path dir) throws Exception {
        TargetOptions alone = options(
                dir,
                "--components",
                "keystore",
                "--coordinator-token-hashes",
                WorkerTokens.sha256Hex("by-hash"),
                "--worker-token-hashes",
                WorkerTokens.sha256Hex(WORKER_TOKEN));
        try (TargetSystem system = TargetSystem.start(alone)) {
            String url = system.keystoreUrl() + "/update_user_secrets";
            Answer refused = send(
                    url,
                    "POST",
                    "by-hash",
                    update(Signer.fresh(), "append", Map.of("A", "b"), Map.of(), repo(REPO, null)));
            assertThat(refused.status()).as(refused.body()).isEqualTo(422);
            assertThat(refused.json().path("error").asText()).contains("reads no chain");
            assertThat(send(url, "POST", WORKER_TOKEN, JsonCodec.object()).status())
                    .isEqualTo(401);
            assertThat(send(url, "POST", "other", JsonCodec.object()).status()).isEqualTo(401);
        }
        Files.createDirectories(dir.resolve("second"));
        TargetOptions embedded = options(dir.resolve("second"), "--components", "coordinator,keystore");
        try (TargetSystem system = TargetSystem.start(embedded)) {
            assertThat(system.coordinatorToken()).isNotBlank();
            Answer generated = send(
                    system.keystoreUrl() + "/add_generated_secret",
                    "POST",
                    system.coordinatorToken(),
                    JsonCodec.MAPPER.readTree(
                            "{\"seed\":\"s\",\"new_secrets\":[{\"name\":\"PROTECTED_X\",\"generation_type\":\"hex16\"}]}"));
            assertThat(generated.status()).as(generated.body()).isEqualTo(200);
            assertThat(generated.json().path("all_keys").toString()).isEqualTo("[\"PROTECTED_X\"]");
        }
    }
}
