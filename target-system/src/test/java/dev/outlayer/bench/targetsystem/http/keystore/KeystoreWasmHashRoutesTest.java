package dev.outlayer.bench.targetsystem.http.keystore;

import static dev.outlayer.bench.targetsystem.http.keystore.KeystoreFixture.ALICE_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code WasmHash} access condition over the keystore's own routes, as OutLayer's newest keystore
 * and contract have it (keystore-worker types.rs and api.rs {@code judge_access}, contract types.rs):
 * stored as {@code {"WasmHash":{"hash":"<64 lowercase hex>"}}}, any other spelling refused wherever it
 * sits; judged against the {@code executed_wasm_sha256} a worker sends with its decrypt.
 */
class KeystoreWasmHashRoutesTest {
    static final String REPO = "github.com/alice/agent";
    static final String SECRET_VALUE = "sk-build-locked-0077";
    static final String BUILD = "ab".repeat(32);
    static final String OTHER = "cd".repeat(32);

    @TempDir
    Path dir;

    KeystoreFixture keystore;

    @BeforeEach
    void start() throws Exception {
        keystore = new KeystoreFixture(dir);
    }

    @AfterEach
    void stop() {
        keystore.close();
    }

    private static String lock(String hash) {
        return "{\"WasmHash\":{\"hash\":\"" + hash + "\"}}";
    }

    private KeystoreFixture.Response store(String profile, String access) {
        String ciphertext = keystore.encrypt(REPO, "alice.near", null, "{\"API_KEY\":\"" + SECRET_VALUE + "\"}");
        return keystore.store(ALICE_KEY, "alice.near", profile, REPO, null, ciphertext, access);
    }

    private KeystoreFixture.Response decrypt(String profile, String user, Object executed) {
        return RunFactsChecks.decryptReporting(keystore, REPO, profile, user, "executed_wasm_sha256", executed);
    }

    @Test
    void aBuildLockIsStoredAndReadBackInOutLayersShapeAcrossARestart() throws Exception {
        String locked =
                "{\"Logic\":{\"operator\":\"And\",\"conditions\":[{\"Whitelist\":{\"accounts\":[\"bob.near\"]}},"
                        + lock(BUILD) + "]}}";
        assertThat(store("locked", locked).status()).isEqualTo(201);
        String nested =
                "{\"Not\":{\"condition\":{\"Logic\":{\"operator\":\"Or\",\"conditions\":[" + lock(OTHER) + "]}}}}";
        assertThat(store("nested", nested).status())
                .as("a well-formed leaf is not refused for sitting deep in a tree")
                .isEqualTo(201);

        keystore.close();
        keystore = new KeystoreFixture(dir);

        var shown = keystore.send("GET", "/secrets/alice.near/locked", ALICE_KEY, null);
        assertThat(shown.status()).as(shown.body()).isEqualTo(200);
        assertThat(shown.json().path("access")).isEqualTo(JsonCodec.MAPPER.readTree(locked));
        assertThat(keystore.send("GET", "/secrets/alice.near/nested", ALICE_KEY, null)
                        .json()
                        .path("access"))
                .isEqualTo(JsonCodec.MAPPER.readTree(nested));
        assertThat(decrypt("locked", "bob.near", BUILD).status())
                .as("the lock read back from disk still admits its build")
                .isEqualTo(200);
    }

    @Test
    void aLeafTheKeystoreCouldNeverMatchIsRefusedWhereverItSitsAndNothingIsStored() {
        String good = BUILD;
        String[] malformed = {
            "\"\"",
            "\"" + good.substring(0, 63) + "\"",
            "\"" + good + "0\"",
            "\"" + good.toUpperCase() + "\"",
            "\"" + good.substring(0, 63) + "g\"",
            "\"не-хэш\"",
            "42",
            "null",
        };
        for (String hash : malformed) {
            String leaf = "{\"WasmHash\":{\"hash\":" + hash + "}}";
            for (String access : new String[] {
                leaf,
                "{\"Logic\":{\"operator\":\"And\",\"conditions\":[\"AllowAll\"," + leaf + "]}}",
                "{\"Not\":{\"condition\":" + leaf + "}}"
            }) {
                var refused = store("bad", access);
                assertThat(refused.status()).as(access).isEqualTo(400);
                assertThat(refused.json().path("error").asText())
                        .as(access)
                        .contains(hash.equals("null") ? "WasmHash needs the field 'hash'" : "64 lowercase hex");
            }
        }
        var noHash = store("bad", "{\"WasmHash\":{}}");
        assertThat(noHash.status()).isEqualTo(400);
        assertThat(noHash.json().path("error").asText()).contains("WasmHash needs the field 'hash'");
        var bare = store("bad", "\"WasmHash\"");
        assertThat(bare.status()).isEqualTo(400);
        assertThat(keystore.send("GET", "/secrets/alice.near/bad", ALICE_KEY, null)
                        .status())
                .as("a refused store stores nothing")
                .isEqualTo(404);
    }

    @Test
    void aLockedSecretOpensForItsBuildOnlyAndTheRefusalNamesBoth() {
        assertThat(store("locked", lock(BUILD)).status()).isEqualTo(201);

        var same = decrypt("locked", "bob.near", BUILD);
        assertThat(same.status()).as(same.body()).isEqualTo(200);
        assertThat(KeystoreFixture.plaintextOf(same)).contains(SECRET_VALUE);
        assertThat(decrypt("locked", "bob.near", BUILD.toUpperCase()).status())
                .as("compared case-insensitively, as OutLayer's keystore")
                .isEqualTo(200);

        var other = decrypt("locked", "bob.near", OTHER);
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.json().path("error").asText())
                .isEqualTo("Access denied by access condition: this secret is locked to build " + BUILD
                        + " and the running build is " + OTHER);
        assertThat(other.body()).doesNotContain(SECRET_VALUE);

        assertThat(store("not-this", "{\"Not\":{\"condition\":" + lock(BUILD) + "}}")
                        .status())
                .isEqualTo(201);
        assertThat(decrypt("not-this", "bob.near", OTHER).status()).isEqualTo(200);
        assertThat(decrypt("not-this", "bob.near", BUILD).json().path("error").asText())
                .isEqualTo("Access denied by access condition: this secret refuses the running build " + BUILD);

        String stranger =
                "{\"Logic\":{\"operator\":\"And\",\"conditions\":[{\"Whitelist\":{\"accounts\":[\"carol.near\"]}},"
                        + lock(BUILD) + "]}}";
        assertThat(store("carols", stranger).status()).isEqualTo(201);
        assertThat(decrypt("carols", "bob.near", BUILD).json().path("error").asText())
                .as("the build matched, so something else refused: no claim about builds")
                .isEqualTo("Access denied by access condition");
    }

    @Test
    void aLockJudgedForARequestThatReportsNoBuildIsNeverAVerdict() {
        assertThat(store("locked", lock(BUILD)).status()).isEqualTo(201);
        var none = decrypt("locked", "bob.near", null);
        assertThat(none.status()).isEqualTo(422);
        assertThat(none.json().path("error").asText())
                .isEqualTo("access condition cannot be evaluated: WasmHash: the condition admits one build, but this"
                        + " request reports no executing wasm hash");
        assertThat(none.body()).doesNotContain(SECRET_VALUE);
        assertThat(store("not-locked", "{\"Not\":{\"condition\":" + lock(BUILD) + "}}")
                        .status())
                .isEqualTo(201);
        assertThat(decrypt("not-locked", "bob.near", null).status())
                .as("under Not an unknown leaf admits nobody")
                .isEqualTo(422);

        // Settled without the lock, whichever way round the branches are written.
        RunFactsChecks.assertUnknownCombinesAsOutLayer(
                this::store, (profile, user) -> decrypt(profile, user, null), lock(BUILD));
        RunFactsChecks.assertAnUnreadablePatternIsRefusedBeforeTheLeafIsJudged(
                this::store, (profile, user) -> decrypt(profile, user, null), lock(BUILD));
    }

    /**
     * types.rs denial_message_in: a build the secret is locked to is named before a lapsed grant (the
     * half the owner fixes by moving the lock); with the build right, the caller's own lapsed grant
     * is named, and only to that caller.
     */
    @Test
    void aWrongBuildIsNamedBeforeALapsedGrantAndALapsedGrantOnlyToItsGrantee() {
        String lockedAndDated = "{\"Logic\":{\"operator\":\"And\",\"conditions\":[{\"Whitelist\":{\"accounts\":"
                + "[\"bob.near\"]}}," + lock(BUILD) + ",{\"ValidUntil\":{\"until_ns\":\"1000000000\"}}]}}";
        assertThat(store("both", lockedAndDated).status()).isEqualTo(201);
        assertThat(decrypt("both", "bob.near", OTHER).json().path("error").asText())
                .isEqualTo("Access denied by access condition: this secret is locked to build " + BUILD
                        + " and the running build is " + OTHER);
        assertThat(decrypt("both", "bob.near", BUILD).json().path("error").asText())
                .isEqualTo("Access denied by access condition: its time limit passed at 1970-01-01T00:00:01Z");
        assertThat(decrypt("both", "carol.near", BUILD).json().path("error").asText())
                .as("carol is told nothing of bob's date")
                .isEqualTo("Access denied by access condition");
    }

    @Test
    void aReportedBuildThatIsNoSha256IsRefusedAsTheWorkersMistake() {
        assertThat(store("open", "\"AllowAll\"").status()).isEqualTo(201);
        var notHex = decrypt("open", "bob.near", "not-a-hash");
        assertThat(notHex.status()).isEqualTo(400);
        assertThat(notHex.json().path("error").asText()).contains("executed_wasm_sha256 must be the SHA-256");
        var number = decrypt("open", "bob.near", 12);
        assertThat(number.status()).as("axum's Json: a member of another type").isEqualTo(422);
        assertThat(decrypt("open", "bob.near", BUILD).status())
                .as("a condition with no lock does not care which build runs")
                .isEqualTo(200);
    }
}
