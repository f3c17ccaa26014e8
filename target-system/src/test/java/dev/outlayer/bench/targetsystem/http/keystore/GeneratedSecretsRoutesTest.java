package dev.outlayer.bench.targetsystem.http.keystore;

import static dev.outlayer.bench.targetsystem.http.keystore.KeystoreFixture.COORDINATOR_TOKEN;
import static dev.outlayer.bench.targetsystem.http.keystore.KeystoreFixture.WORKER_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.keystore.Ecies;
import dev.outlayer.bench.targetsystem.rpc.Base58;
import dev.outlayer.bench.targetsystem.testing.ErrorBodies;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /add_generated_secret} over HTTP with real crypto: the returned blob is opened by the
 * keystore's own decrypt path ({@code /decrypt-raw}) and every generated value is checked for its
 * type's form, length and alphabet, and for being fresh.
 */
class GeneratedSecretsRoutesTest {
    static final String SEED = "github.com/alice/agent:alice.near";

    @RegisterExtension
    final KeystoreFixture keystore = KeystoreFixture.perTest();

    static ObjectNode request(String existing, String... nameTypePairs) {
        ObjectNode body = JsonCodec.object().put("seed", SEED);
        if (existing != null) {
            body.put("encrypted_secrets_base64", existing);
        }
        var specs = body.putArray("new_secrets");
        for (int i = 0; i < nameTypePairs.length; i += 2) {
            specs.addObject().put("name", nameTypePairs[i]).put("generation_type", nameTypePairs[i + 1]);
        }
        return body;
    }

    KeystoreFixture.Response generate(ObjectNode body) {
        return keystore.send("POST", "/add_generated_secret", COORDINATOR_TOKEN, body);
    }

    /** Opens a blob as the keystore's workers do, POST /decrypt-raw under the seed. */
    JsonNode open(String blob) throws Exception {
        var opened = keystore.send(
                "POST",
                "/decrypt-raw",
                WORKER_TOKEN,
                JsonCodec.object().put("seed", SEED).put("encrypted_base64", blob));
        assertThat(opened.status()).as(opened.body()).isEqualTo(200);
        return JsonCodec.MAPPER.readTree(Base64.getDecoder()
                .decode(opened.json().path("plaintext_base64").asText()));
    }

    String encryptForSeed(String json) {
        String pubkey = keystore.send("GET", "/pubkey?seed=" + SEED.replace(":", "%3A"), null, null)
                .json()
                .path("pubkey")
                .asText();
        return Base64.getEncoder()
                .encodeToString(Ecies.encrypt(HexFormat.of().parseHex(pubkey), json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void everyTypeIsGeneratedInItsFormAndSealedUnderTheSeed() throws Exception {
        var answer = generate(request(
                null,
                "PROTECTED_H16",
                "hex16",
                "PROTECTED_H32",
                "hex32",
                "PROTECTED_H64",
                "hex64",
                "PROTECTED_KEY",
                "ed25519",
                "PROTECTED_SEED",
                "ed25519_seed",
                "PROTECTED_PASS",
                "password",
                "PROTECTED_LONG",
                "password:64"));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        // OutLayer's AddGeneratedSecretResponse: exactly these two fields, the names sorted as its map holds them.
        assertThat(answer.json().size()).isEqualTo(2);
        assertThat(answer.json().path("all_keys"))
                .extracting(JsonNode::asText)
                .containsExactly(
                        "PROTECTED_H16",
                        "PROTECTED_H32",
                        "PROTECTED_H64",
                        "PROTECTED_KEY",
                        "PROTECTED_LONG",
                        "PROTECTED_PASS",
                        "PROTECTED_SEED");
        String blob = answer.json().path("encrypted_data_base64").asText();
        assertThat(Base64.getDecoder().decode(blob)[0]).as("ECIES v1").isEqualTo((byte) 1);
        JsonNode secrets = open(blob);
        assertThat(secrets.path("PROTECTED_H16").asText()).matches("[0-9a-f]{32}");
        assertThat(secrets.path("PROTECTED_H32").asText()).matches("[0-9a-f]{64}");
        assertThat(secrets.path("PROTECTED_H64").asText()).matches("[0-9a-f]{128}");
        assertThat(secrets.path("PROTECTED_SEED").asText()).matches("[0-9a-f]{64}");
        assertThat(secrets.path("PROTECTED_PASS").asText()).matches("[A-Za-z0-9]{32}");
        assertThat(secrets.path("PROTECTED_LONG").asText()).matches("[A-Za-z0-9]{64}");
        String key = secrets.path("PROTECTED_KEY").asText();
        assertThat(key).startsWith("ed25519:");
        byte[] secretKey = Base58.decode(key.substring("ed25519:".length()));
        // ed25519-dalek's SigningKey::to_bytes: the 32-byte secret, from which its public key follows.
        assertThat(secretKey).hasSize(32);
        assertThat(new Ed25519PrivateKeyParameters(secretKey, 0)
                        .generatePublicKey()
                        .getEncoded())
                .hasSize(32);
        // Nothing generated is in the answer's text.
        for (var field : (Iterable<java.util.Map.Entry<String, JsonNode>>) secrets::fields) {
            assertThat(answer.body()).doesNotContain(field.getValue().asText());
        }
    }

    @Test
    void valuesAreFreshEveryTimeAndPasswordsUseTheWholeAlphabet() throws Exception {
        Set<String> seen = new HashSet<>();
        StringBuilder passwords = new StringBuilder();
        for (int round = 0; round < 4; round++) {
            List<String> pairs = new ArrayList<>();
            for (String type : List.of("hex16", "hex32", "hex64", "ed25519", "ed25519_seed", "password:1024")) {
                pairs.add("PROTECTED_" + type.toUpperCase().replace(':', '_'));
                pairs.add(type);
            }
            var answer = generate(request(null, pairs.toArray(String[]::new)));
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            JsonNode secrets = open(answer.json().path("encrypted_data_base64").asText());
            secrets.fields()
                    .forEachRemaining(e -> assertThat(seen.add(e.getValue().asText()))
                            .as("fresh value for " + e.getKey())
                            .isTrue());
            passwords.append(secrets.path("PROTECTED_PASSWORD_1024").asText());
        }
        assertThat(seen).hasSize(24);
        // 4096 characters from 62: every one of them shows up (each misses with probability ~1e-29).
        assertThat(passwords.chars().distinct().count()).isEqualTo(62);
    }

    @Test
    void theExistingBlobIsMergedAndANameAlreadyThereIsRefused() throws Exception {
        String existing = encryptForSeed("{\"API_KEY\":\"sk-kept\",\"PORT\":8080}");
        var merged = generate(request(existing, "PROTECTED_MASTER", "hex32"));
        assertThat(merged.status()).as(merged.body()).isEqualTo(200);
        assertThat(merged.json().path("all_keys"))
                .extracting(JsonNode::asText)
                .containsExactly("API_KEY", "PORT", "PROTECTED_MASTER");
        JsonNode secrets = open(merged.json().path("encrypted_data_base64").asText());
        assertThat(secrets.path("API_KEY").asText()).isEqualTo("sk-kept");
        assertThat(secrets.path("PORT").isNumber())
                .as("a number stays a number")
                .isTrue();
        assertThat(secrets.path("PROTECTED_MASTER").asText()).matches("[0-9a-f]{64}");

        // As OutLayer: a blob that already holds a PROTECTED_ name is refused (generated once, in one call).
        var again = generate(request(merged.json().path("encrypted_data_base64").asText(), "PROTECTED_OTHER", "hex16"));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.json().path("error").asText())
                .isEqualTo("Manual secrets cannot use 'PROTECTED_' prefix (reserved for auto-generated secrets):"
                        + " PROTECTED_MASTER");
        var handMade = generate(request(encryptForSeed("{\"PROTECTED_FAKE\":\"chosen\"}"), "PROTECTED_FAKE", "hex16"));
        assertThat(handMade.status()).isEqualTo(400);
        assertThat(handMade.json().path("error").asText()).contains("PROTECTED_FAKE");
    }

    @Test
    void anExistingBlobOfAnyJsonObjectIsMergedAsWrittenAndReservedNamesAreTheLastCheck() throws Exception {
        // OutLayer's handler reads the existing blob as a serde_json Map: a payment key's metadata merges as it is.
        String existing = encryptForSeed("{\"project_ids\":[\"p1\",\"p2\"],\"max_per_call\":null,\"n\":{\"a\":1}}");
        var merged = generate(request(existing, "PROTECTED_MASTER", "hex32"));
        assertThat(merged.status()).as(merged.body()).isEqualTo(200);
        JsonNode secrets = open(merged.json().path("encrypted_data_base64").asText());
        assertThat(secrets.path("project_ids")).isEqualTo(JsonCodec.MAPPER.readTree("[\"p1\",\"p2\"]"));
        assertThat(secrets.get("max_per_call").isNull()).isTrue();
        assertThat(secrets.path("n")).isEqualTo(JsonCodec.MAPPER.readTree("{\"a\":1}"));
        assertThat(secrets.path("PROTECTED_MASTER").asText()).matches("[0-9a-f]{64}");

        var reserved = generate(request(encryptForSeed("{\"NEAR_SENDER_ID\":\"x\"}"), "PROTECTED_A", "hex16"));
        assertThat(reserved.status()).isEqualTo(400);
        assertThat(reserved.json().path("error").asText())
                .startsWith("Cannot use reserved system keywords as secret keys: NEAR_SENDER_ID.");
    }

    @Test
    void onlyACoordinatorTokenGeneratesAndItOpensNoWorkerRoute() {
        var none = keystore.send("POST", "/add_generated_secret", null, request(null, "PROTECTED_A", "hex16"));
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().path("error").asText()).isEqualTo("Missing Authorization header");
        var worker =
                keystore.send("POST", "/add_generated_secret", WORKER_TOKEN, request(null, "PROTECTED_A", "hex16"));
        assertThat(worker.status()).isEqualTo(401);
        assertThat(worker.json().path("error").asText()).isEqualTo("Invalid coordinator token");
        var update = keystore.send("POST", "/update_user_secrets", WORKER_TOKEN, JsonCodec.object());
        assertThat(update.status()).isEqualTo(401);
        // OutLayer keeps the sets apart: the coordinator's token decrypts nothing.
        var decrypt =
                keystore.decrypt(COORDINATOR_TOKEN, "alice.near", "p", "github.com/alice/agent", null, "bob.near");
        assertThat(decrypt.status()).isEqualTo(401);
        var raw = keystore.send(
                "POST",
                "/decrypt-raw",
                COORDINATOR_TOKEN,
                JsonCodec.object().put("seed", SEED).put("encrypted_base64", "AA=="));
        assertThat(raw.status()).isEqualTo(401);
    }

    @Test
    void badRequestsAreClear400sInOutLayersWords() {
        assertRefused(request(null), "At least one new secret must be specified");
        assertRefused(
                request(null, "PROTECTED_A", "hex8"),
                "Failed to generate secret 'PROTECTED_A' with type 'hex8':" + " Unknown secret type: hex8");
        assertRefused(request(null, "PROTECTED_A", "password:abc"), "Invalid password length: abc");
        assertRefused(request(null, "PROTECTED_A", "password:-1"), "Invalid password length: -1");
        assertRefused(request(null, "PROTECTED_A", "password:0"), "a password has 1 to 1024 characters");
        assertRefused(request(null, "PROTECTED_A", "password:99999999999"), "Invalid password length");
        assertRefused(
                request(null, "API_KEY", "hex32", "TOKEN", "hex16"),
                "Generated secrets must start with 'PROTECTED_' prefix: API_KEY, TOKEN.");
        assertRefused(
                request(null, "PROTECTED_A", "hex16", "PROTECTED_A", "hex32"), "PROTECTED_A named more than once");
        assertRefused(request(null, "PROTECTED_A=B", "hex16"), "cannot be an environment variable name");
        assertRefused(request(null, "PROTECTED_A", ""), "needs a 'generation_type'");
        List<String> seventeen = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            seventeen.add("PROTECTED_" + i);
            seventeen.add("hex16");
        }
        assertRefused(
                request(null, seventeen.toArray(String[]::new)),
                "too many generated secrets in one request: 17 (limit 16). Split them across several calls.");
        assertRefused(request("not base64!", "PROTECTED_A", "hex16"), "encrypted_secrets_base64 is not valid base64");
        String forAnotherSeed = Base64.getEncoder()
                .encodeToString(Ecies.encrypt(
                        HexFormat.of().parseHex(keystore.pubkey("github.com/alice/agent", "bob.near", null)),
                        "{\"A\":\"b\"}".getBytes(StandardCharsets.UTF_8)));
        assertRefused(request(forAnotherSeed, "PROTECTED_A", "hex16"), "scope " + SEED);
        assertRefused(request(encryptForSeed("[1,2]"), "PROTECTED_A", "hex16"), "not a JSON object");
        // what the request's type refuses is axum's Json rejection (OutLayer's extractor): 422, axum's words in our
        // JSON error body
        assertUnfit(request(null, "PROTECTED_A", "hex16").put("vault_id", "v.near"), "vault_id is not supported");
        ObjectNode noSeed = request(null, "PROTECTED_A", "hex16");
        noSeed.remove("seed");
        assertUnfit(noSeed, "'seed' is required");
        ObjectNode noList = JsonCodec.object().put("seed", SEED);
        assertUnfit(noList, "'new_secrets' is required");
        assertUnfit(noList.putNull("new_secrets"), "'new_secrets' is required");
        // OutLayer's new_secrets is a Vec<GeneratedSecretSpec> of two Strings: a null entry, or an entry without
        // either member (or with it null), is axum's 422 before the keystore looks at a name
        ObjectNode nullEntry = request(null, "PROTECTED_A", "hex16");
        ((ArrayNode) nullEntry.path("new_secrets")).addNull();
        assertUnfit(nullEntry, "'new_secrets[1]' must be an object, not null");
        for (String member : List.of("name", "generation_type")) {
            ObjectNode without = request(null, "PROTECTED_A", "hex16");
            ((ObjectNode) without.path("new_secrets").get(0)).remove(member);
            assertUnfit(without, "missing field `" + member + "`");
            ObjectNode nullMember = request(null, "PROTECTED_A", "hex16");
            ((ObjectNode) nullMember.path("new_secrets").get(0)).putNull(member);
            assertUnfit(nullMember, "missing field `" + member + "`");
        }
        var malformed = keystore.send("POST", "/add_generated_secret", COORDINATOR_TOKEN, "{\"seed\":".getBytes());
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(ErrorBodies.message(malformed.body()))
                .isEqualTo("Failed to parse the request body as JSON: EOF while parsing a value at line 1 column 8");
        // And the service keeps serving.
        assertThat(generate(request(null, "PROTECTED_OK", "hex16")).status()).isEqualTo(200);
    }

    void assertUnfit(ObjectNode body, String because) {
        var answer = generate(body);
        assertThat(answer.status()).as(answer.body()).isEqualTo(422);
        assertThat(ErrorBodies.message(answer.body()))
                .startsWith("Failed to deserialize the JSON body into the target type: ")
                .contains(because);
    }

    void assertRefused(ObjectNode body, String because) {
        var answer = generate(body);
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.json().path("error").asText()).contains(because);
        assertThat(answer.body()).doesNotContain("Exception");
    }
}
