package dev.outlayer.bench.targetsystem.http.keystore;

import static dev.outlayer.bench.targetsystem.http.keystore.KeystoreFixture.ALICE_KEY;
import static dev.outlayer.bench.targetsystem.http.keystore.KeystoreFixture.WORKER_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.keystore.Ecies;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A stored profile is one row of OutLayer's contract, keyed (accessor, profile, owner) as its {@code SecretKey}:
 * one owner's {@code default} for two repositories, two projects or a repository and one of its branches are
 * separate rows, each opened under its own scope; the keystore's own routes name a row by its scope.
 */
class KeystoreRowsRoutesTest {
    static final String OWNER = "alice.near";
    static final String REPO_A = "github.com/alice/a";
    static final String REPO_B = "github.com/alice/b";

    @RegisterExtension
    final KeystoreFixture keystore = KeystoreFixture.perTest();

    static ObjectNode repo(String repo, String branch) {
        ObjectNode accessor = JsonCodec.object().put("type", "Repo").put("repo", repo);
        return branch == null ? accessor.putNull("branch") : accessor.put("branch", branch);
    }

    static ObjectNode project(String projectId) {
        return JsonCodec.object().put("type", "Project").put("project_id", projectId);
    }

    static ObjectNode wasmHash(String hash) {
        return JsonCodec.object().put("type", "WasmHash").put("hash", hash);
    }

    static final ObjectNode PAYMENT_KEY =
            JsonCodec.object().put("type", "System").put("secret_type", "payment_key");

    /** {@code secrets} sealed for {@code accessor}'s scope, as {@code POST /pubkey} gives its key. */
    String sealFor(ObjectNode accessor, String secrets) {
        return sealFor(accessor, null, secrets);
    }

    /** The same, for the scope of {@code profile} too (a System secret's seed holds its nonce). */
    String sealFor(ObjectNode accessor, String profile, String secrets) {
        ObjectNode body = JsonCodec.object().put("owner", OWNER);
        if (profile != null) {
            body.put("profile", profile);
        }
        body.set("accessor", accessor);
        KeystoreFixture.Response key = keystore.send("POST", "/pubkey", null, body);
        assertThat(key.status()).as(key.body()).isEqualTo(200);
        byte[] publicKey = HexFormat.of().parseHex(key.json().path("pubkey").asText());
        return Base64.getEncoder().encodeToString(Ecies.encrypt(publicKey, secrets.getBytes(StandardCharsets.UTF_8)));
    }

    KeystoreFixture.Response put(String profile, ObjectNode accessor, String ciphertext) {
        ObjectNode body =
                JsonCodec.object().put("encrypted_secrets_base64", ciphertext).put("access", "AllowAll");
        body.set("accessor", accessor);
        return keystore.send("PUT", "/secrets/" + OWNER + "/" + profile, ALICE_KEY, body);
    }

    KeystoreFixture.Response store(String profile, ObjectNode accessor, String value) {
        return put(profile, accessor, sealFor(accessor, "{\"TOKEN\":\"" + value + "\"}"));
    }

    KeystoreFixture.Response decrypt(String profile, ObjectNode accessor) {
        ObjectNode body =
                JsonCodec.object().put("owner", OWNER).put("profile", profile).put("user_account_id", "bob.near");
        body.set("accessor", accessor);
        return keystore.send("POST", "/decrypt", WORKER_TOKEN, body);
    }

    /** The value of TOKEN the row a worker is served for {@code accessor} holds. */
    String token(String profile, ObjectNode accessor) throws Exception {
        KeystoreFixture.Response opened = decrypt(profile, accessor);
        assertThat(opened.status())
                .as("%s %s: %s", profile, accessor, opened.body())
                .isEqualTo(200);
        return JsonCodec.MAPPER
                .readTree(KeystoreFixture.plaintextOf(opened))
                .path("TOKEN")
                .asText();
    }

    /** The accessors of the owner's rows named {@code profile}, as {@code GET /secrets/{owner}} lists them. */
    List<JsonNode> listed(String profile) {
        KeystoreFixture.Response list = keystore.send("GET", "/secrets/" + OWNER, ALICE_KEY, null);
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        List<JsonNode> accessors = new ArrayList<>();
        for (JsonNode row : list.json().path("profiles")) {
            if (row.path("profile").asText().equals(profile)) {
                accessors.add(row.path("accessor"));
            }
        }
        return accessors;
    }

    static String query(ObjectNode accessor) {
        return "?accessor=" + URLEncoder.encode(accessor.toString(), StandardCharsets.UTF_8);
    }

    @Test
    void oneNameForTwoRepositoriesAndTwoProjectsIsFourRowsEachOpenedUnderItsOwnScope() throws Exception {
        assertThat(store("default", repo(REPO_A, null), "repo-a").status()).isEqualTo(201);
        assertThat(store("default", repo(REPO_B, null), "repo-b").status())
                .as("another repository's default is a new row, not a replacement")
                .isEqualTo(201);
        assertThat(store("default", project("alice.near/one"), "project-one").status())
                .isEqualTo(201);
        assertThat(store("default", project("alice.near/two"), "project-two").status())
                .isEqualTo(201);

        assertThat(token("default", repo(REPO_A, null))).isEqualTo("repo-a");
        assertThat(token("default", repo(REPO_B, null))).isEqualTo("repo-b");
        assertThat(token("default", project("alice.near/one"))).isEqualTo("project-one");
        assertThat(token("default", project("alice.near/two"))).isEqualTo("project-two");
        assertThat(listed("default"))
                .containsExactlyInAnyOrder(
                        repo(REPO_A, null), repo(REPO_B, null), project("alice.near/one"), project("alice.near/two"));

        // Replacing one row leaves the others as they were.
        assertThat(store("default", repo(REPO_A, null), "repo-a-rotated").status())
                .isEqualTo(200);
        assertThat(token("default", repo(REPO_A, null))).isEqualTo("repo-a-rotated");
        assertThat(token("default", repo(REPO_B, null))).isEqualTo("repo-b");
        assertThat(token("default", project("alice.near/one"))).isEqualTo("project-one");
        assertThat(listed("default")).hasSize(4);
    }

    @Test
    void aDecryptNamingAnotherScopeIsNotFound() {
        store("default", repo(REPO_A, null), "repo-a");
        store("default", project("alice.near/one"), "project-one");

        KeystoreFixture.Response otherRepo = decrypt("default", repo("github.com/alice/c", null));
        assertThat(otherRepo.status()).as(otherRepo.body()).isEqualTo(404);
        assertThat(otherRepo.json().path("error").asText())
                .isEqualTo("owner alice.near has no profile 'default' for repo github.com/alice/c");
        KeystoreFixture.Response otherProject = decrypt("default", project("alice.near/two"));
        assertThat(otherProject.status()).isEqualTo(404);
        assertThat(otherProject.json().path("error").asText())
                .isEqualTo("owner alice.near has no profile 'default' for accessor"
                        + " {\"type\":\"Project\",\"project_id\":\"alice.near/two\"}");
        assertThat(decrypt("default", project("alice.near/one")).status()).isEqualTo(200);
        assertThat(decrypt("default", repo(REPO_A, null)).status()).isEqualTo(200);
    }

    /** As OutLayer's {@code get_secrets}: the branch's own row first, else the row stored without a branch. */
    @Test
    void aBranchsOwnRowIsServedBeforeTheRepositorysRowForEveryBranch() throws Exception {
        assertThat(store("default", repo(REPO_A, null), "every-branch").status())
                .isEqualTo(201);
        assertThat(store("default", repo(REPO_A, "main"), "main-only").status()).isEqualTo(201);

        assertThat(token("default", repo(REPO_A, "main"))).isEqualTo("main-only");
        assertThat(token("default", repo(REPO_A, "dev"))).isEqualTo("every-branch");
        assertThat(token("default", repo(REPO_A, null))).isEqualTo("every-branch");
    }

    @Test
    void aFailedStoreChangesNoRow() throws Exception {
        store("default", repo(REPO_A, null), "repo-a");
        store("default", repo(REPO_B, null), "repo-b");

        KeystoreFixture.Response sealedForA =
                put("default", repo(REPO_B, null), sealFor(repo(REPO_A, null), "{\"TOKEN\":\"x\"}"));
        assertThat(sealedForA.status()).as(sealedForA.body()).isEqualTo(400);
        ObjectNode badAccess = JsonCodec.object()
                .put("encrypted_secrets_base64", sealFor(repo(REPO_B, null), "{\"TOKEN\":\"y\"}"))
                .put("access", "Everyone");
        badAccess.set("accessor", repo(REPO_B, null));
        assertThat(keystore.send("PUT", "/secrets/" + OWNER + "/default", ALICE_KEY, badAccess)
                        .status())
                .isEqualTo(400);

        assertThat(token("default", repo(REPO_A, null))).isEqualTo("repo-a");
        assertThat(token("default", repo(REPO_B, null))).isEqualTo("repo-b");
        assertThat(listed("default")).containsExactlyInAnyOrder(repo(REPO_A, null), repo(REPO_B, null));
    }

    /**
     * {@code GET} and {@code DELETE /secrets/{owner}/{profile}} name a row by its scope ({@code ?repo=...[&branch=
     * ...]} or {@code ?accessor=<JSON>}); without one they mean the one row of that name, and several are a 409
     * that names them, never a guess.
     */
    @Test
    void showAndDeleteNameTheRowByItsScope() throws Exception {
        store("solo", repo(REPO_A, null), "solo");
        KeystoreFixture.Response solo = keystore.send("GET", "/secrets/" + OWNER + "/solo", ALICE_KEY, null);
        assertThat(solo.status()).as("one row of that name: no scope needed").isEqualTo(200);
        assertThat(solo.json().path("repo").asText()).isEqualTo(REPO_A);

        store("default", repo(REPO_A, null), "repo-a");
        store("default", repo(REPO_A, "main"), "repo-a-main");
        store("default", project("alice.near/one"), "project-one");
        String path = "/secrets/" + OWNER + "/default";

        KeystoreFixture.Response ambiguous = keystore.send("GET", path, ALICE_KEY, null);
        assertThat(ambiguous.status()).as(ambiguous.body()).isEqualTo(409);
        assertThat(ambiguous.json().path("error").asText())
                .isEqualTo("owner alice.near has 3 profiles named 'default', one for each of accessor"
                        + " {\"type\":\"Project\",\"project_id\":\"alice.near/one\"}, repo github.com/alice/a branch"
                        + " main, repo github.com/alice/a: name one with ?repo=...[&branch=...] or ?accessor=<JSON>");
        KeystoreFixture.Response byBranch =
                keystore.send("GET", path + "?repo=" + REPO_A + "&branch=main", ALICE_KEY, null);
        assertThat(byBranch.status()).as(byBranch.body()).isEqualTo(200);
        assertThat(byBranch.json().path("branch").asText()).isEqualTo("main");
        KeystoreFixture.Response byRepo =
                keystore.send("GET", path + "?repo=https://" + REPO_A + ".git", ALICE_KEY, null);
        assertThat(byRepo.json().path("accessor"))
                .as("the repository read as PUT reads it; no branch is the row stored without one")
                .isEqualTo(repo(REPO_A, null));
        assertThat(keystore.send("GET", path + query(project("alice.near/one")), ALICE_KEY, null)
                        .json()
                        .path("accessor"))
                .isEqualTo(project("alice.near/one"));
        KeystoreFixture.Response none = keystore.send("GET", path + "?repo=" + REPO_B, ALICE_KEY, null);
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.json().path("error").asText())
                .isEqualTo("owner alice.near has no profile 'default' for repo github.com/alice/b");
        assertThat(keystore.send("GET", path + "?branch=main", ALICE_KEY, null).status())
                .isEqualTo(400);
        assertThat(keystore.send("GET", path + "?accessor=%7Bnot-json", ALICE_KEY, null)
                        .status())
                .isEqualTo(400);

        // DELETE: several rows and no scope deletes nothing.
        assertThat(keystore.send("DELETE", path, ALICE_KEY, null).status()).isEqualTo(409);
        assertThat(listed("default")).hasSize(3);
        assertThat(keystore.send("DELETE", path + "?repo=" + REPO_A, ALICE_KEY, null)
                        .status())
                .isEqualTo(204);
        assertThat(listed("default")).containsExactlyInAnyOrder(repo(REPO_A, "main"), project("alice.near/one"));
        assertThat(decrypt("default", repo(REPO_A, "dev")).status())
                .as("the row that served every branch is gone; main's serves main only")
                .isEqualTo(404);
        assertThat(token("default", repo(REPO_A, "main"))).isEqualTo("repo-a-main");
        assertThat(token("default", project("alice.near/one"))).isEqualTo("project-one");
        assertThat(keystore.send("DELETE", path + query(project("alice.near/one")), ALICE_KEY, null)
                        .status())
                .isEqualTo(204);
        assertThat(keystore.send("DELETE", path, ALICE_KEY, null).status())
                .as("one row left: no scope needed")
                .isEqualTo(204);
        assertThat(listed("default")).isEmpty();
    }

    /**
     * As OutLayer's contract keys a row ({@code secrets.rs canonical_accessor}, {@code canonical_profile}): a wasm
     * hash in lower case and a payment key's nonce as its number, wherever a row is named (store, decrypt, GET,
     * DELETE). The row's seed is that spelling's, so a blob sealed to another spelling is refused at once.
     */
    @Test
    void aWasmHashAndAPaymentKeysNonceNameTheirRowInTheContractsOneSpelling() throws Exception {
        String hash = "ab".repeat(32);
        ObjectNode upper = wasmHash(hash.toUpperCase(java.util.Locale.ROOT));
        KeystoreFixture.Response stored = put("default", upper, sealFor(wasmHash(hash), "{\"TOKEN\":\"first\"}"));
        assertThat(stored.status()).as(stored.body()).isEqualTo(201);
        assertThat(stored.json().path("accessor")).isEqualTo(wasmHash(hash));
        assertThat(store("default", wasmHash(hash), "second").status())
                .as("one binary, one row")
                .isEqualTo(200);
        assertThat(token("default", upper)).isEqualTo("second");
        assertThat(listed("default")).containsExactly(wasmHash(hash));
        KeystoreFixture.Response sealedUpper = put("other", upper, sealFor(upper, "{\"TOKEN\":\"x\"}"));
        assertThat(sealedUpper.status()).as(sealedUpper.body()).isEqualTo(400);
        assertThat(sealedUpper.json().path("error").asText()).contains("(scope wasm_hash:" + hash + ":" + OWNER + ")");
        String path = "/secrets/" + OWNER + "/default" + query(upper);
        assertThat(keystore.send("GET", path, ALICE_KEY, null).status()).isEqualTo(200);
        assertThat(keystore.send("DELETE", path, ALICE_KEY, null).status()).isEqualTo(204);
        assertThat(listed("default")).isEmpty();

        String key = "{\"key\":\"" + "3e".repeat(32) + "\",\"initial_balance\":\"0\"}";
        KeystoreFixture.Response first = put("01", PAYMENT_KEY, sealFor(PAYMENT_KEY, "1", key));
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(first.json().path("profile").asText()).isEqualTo("1");
        for (String nonce : List.of("1", "+1", "0001")) {
            KeystoreFixture.Response again = put(nonce, PAYMENT_KEY, sealFor(PAYMENT_KEY, "1", key));
            assertThat(again.status()).as(nonce + ": " + again.body()).isEqualTo(400);
            assertThat(again.json().path("error").asText()).startsWith("Payment key already exists for this nonce.");
        }
        KeystoreFixture.Response sealedFor02 = put("2", PAYMENT_KEY, sealFor(PAYMENT_KEY, "02", key));
        assertThat(sealedFor02.status()).as(sealedFor02.body()).isEqualTo(400);
        assertThat(sealedFor02.json().path("error").asText()).contains("(scope system:payment_key:" + OWNER + ":2)");
        KeystoreFixture.Response opened = decrypt("001", PAYMENT_KEY);
        assertThat(opened.status()).as(opened.body()).isEqualTo(200);
        assertThat(KeystoreFixture.plaintextOf(opened)).contains("3e3e");
        KeystoreFixture.Response shown =
                keystore.send("GET", "/secrets/" + OWNER + "/01" + query(PAYMENT_KEY), ALICE_KEY, null);
        assertThat(shown.json().path("profile").asText()).as(shown.body()).isEqualTo("1");
        assertThat(keystore.send("DELETE", "/secrets/" + OWNER + "/+1" + query(PAYMENT_KEY), ALICE_KEY, null)
                        .status())
                .isEqualTo(204);
        assertThat(listed("1")).isEmpty();
    }
}
