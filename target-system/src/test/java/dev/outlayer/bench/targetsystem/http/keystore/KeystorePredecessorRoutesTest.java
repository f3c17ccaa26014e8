package dev.outlayer.bench.targetsystem.http.keystore;

import static dev.outlayer.bench.targetsystem.http.keystore.KeystoreFixture.ALICE_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.json.JsonCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code Predecessor} access condition over the keystore's own routes, as OutLayer's newest
 * contract (types.rs {@code Predecessor {condition}}) and keystore (api.rs DecryptRequest {@code
 * predecessor_id}, {@code judge_access}) have it: one condition under {@code condition}, as {@code
 * Not}, judged against the {@code predecessor_id} a worker sends with its decrypt instead of the signer.
 */
class KeystorePredecessorRoutesTest {
    static final String REPO = "github.com/alice/agent";
    static final String SECRET_VALUE = "sk-through-the-dao-0042";

    @RegisterExtension
    final KeystoreFixture keystore = KeystoreFixture.perTest();

    private static String via(String condition) {
        return "{\"Predecessor\":{\"condition\":" + condition + "}}";
    }

    private static String whitelist(String account) {
        return "{\"Whitelist\":{\"accounts\":[\"" + account + "\"]}}";
    }

    private KeystoreFixture.Response store(String profile, String access) {
        String ciphertext = keystore.encrypt(REPO, "alice.near", null, "{\"API_KEY\":\"" + SECRET_VALUE + "\"}");
        return keystore.store(ALICE_KEY, "alice.near", profile, REPO, null, ciphertext, access);
    }

    private KeystoreFixture.Response decrypt(String profile, String signer, Object predecessor) {
        return RunFactsChecks.decryptReporting(keystore, REPO, profile, signer, "predecessor_id", predecessor);
    }

    @Test
    void aPredecessorRuleIsStoredAndReadBackInOutLayersShape() throws Exception {
        String nested = "{\"Logic\":{\"operator\":\"And\",\"conditions\":[" + whitelist("alice.near") + ","
                + via(via(whitelist("alice.near"))) + "]}}";
        assertThat(store("direct", nested).status()).isEqualTo(201);
        var shown = keystore.send("GET", "/secrets/alice.near/direct", ALICE_KEY, null);
        assertThat(shown.status()).as(shown.body()).isEqualTo(200);
        assertThat(shown.json().path("access")).isEqualTo(JsonCodec.MAPPER.readTree(nested));

        for (String bad : new String[] {
            "{\"Predecessor\":{}}",
            "{\"Predecessor\":{\"condition\":null}}",
            "\"Predecessor\"",
            via("{\"Whitelist\":{\"accounts\":\"dao.near\"}}"),
            via("{\"WasmHash\":{\"hash\":\"AB\"}}")
        }) {
            var refused = store("bad", bad);
            assertThat(refused.status()).as(bad).isEqualTo(400);
        }
        assertThat(store("bad", "{\"Predecessor\":{}}").json().path("error").asText())
                .contains("Predecessor needs the field 'condition'");
        assertThat(keystore.send("GET", "/secrets/alice.near/bad", ALICE_KEY, null)
                        .status())
                .as("a refused store stores nothing")
                .isEqualTo(404);
    }

    @Test
    void theInnerConditionIsJudgedAgainstTheCallingAccountNotTheSigner() {
        assertThat(store("dao-only", via(whitelist("dao.near"))).status()).isEqualTo(201);

        var throughDao = decrypt("dao-only", "bob.near", "dao.near");
        assertThat(throughDao.status()).as(throughDao.body()).isEqualTo(200);
        assertThat(KeystoreFixture.plaintextOf(throughDao)).contains(SECRET_VALUE);

        var direct = decrypt("dao-only", "dao.near", "bob.near");
        assertThat(direct.status()).as("the signer is not what is judged").isEqualTo(403);
        assertThat(direct.json().path("error").asText())
                .as("OutLayer's sentence with the run's two accounts (types.rs denial_message_in)")
                .isEqualTo("Access denied by access condition \u2014 signer dao.near, called from bob.near");
        assertThat(direct.body()).doesNotContain(SECRET_VALUE);

        // The owner's own calls, with no contract in the way.
        String directOnly = "{\"Logic\":{\"operator\":\"And\",\"conditions\":[" + whitelist("alice.near") + ","
                + via(whitelist("alice.near")) + "]}}";
        assertThat(store("direct", directOnly).status()).isEqualTo(201);
        assertThat(decrypt("direct", "alice.near", "alice.near").status()).isEqualTo(200);
        assertThat(decrypt("direct", "alice.near", "relay.near").status())
                .as("the owner signed, but a contract stood in between")
                .isEqualTo(403);

        // Any contract but one; nested, the same account is judged again.
        assertThat(store("not-relay", "{\"Not\":{\"condition\":" + via(whitelist("relay.near")) + "}}")
                        .status())
                .isEqualTo(201);
        assertThat(decrypt("not-relay", "bob.near", "bob.near").status()).isEqualTo(200);
        assertThat(decrypt("not-relay", "bob.near", "relay.near").status()).isEqualTo(403);
        assertThat(store("twice", via(via(whitelist("dao.near")))).status()).isEqualTo(201);
        assertThat(decrypt("twice", "bob.near", "dao.near").status()).isEqualTo(200);
        assertThat(decrypt("twice", "bob.near", "bob.near").status()).isEqualTo(403);
    }

    @Test
    void aRuleJudgedForARequestThatReportsNoCallingAccountIsNeverAVerdict() {
        assertThat(store("dao-only", via(whitelist("dao.near"))).status()).isEqualTo(201);
        var none = decrypt("dao-only", "dao.near", null);
        assertThat(none.status()).isEqualTo(422);
        assertThat(none.json().path("error").asText())
                .isEqualTo("access condition cannot be evaluated: Predecessor: the condition is judged on the account"
                        + " that called the contract, but this request reports none");
        assertThat(none.body()).doesNotContain(SECRET_VALUE);
        assertThat(store("not-dao", "{\"Not\":{\"condition\":" + via(whitelist("dao.near")) + "}}")
                        .status())
                .isEqualTo(201);
        assertThat(decrypt("not-dao", "bob.near", null).status())
                .as("under Not an unknown leaf admits nobody")
                .isEqualTo(422);

        RunFactsChecks.assertUnknownCombinesAsOutLayer(
                this::store, (profile, user) -> decrypt(profile, user, null), via(whitelist("dao.near")));
        RunFactsChecks.assertAnUnreadablePatternIsRefusedBeforeTheLeafIsJudged(
                this::store, (profile, user) -> decrypt(profile, user, null), via(whitelist("dao.near")));
    }

    /**
     * A Predecessor hides nothing from OutLayer's bounds and pattern compilation (access_limits
     * counts inside it; every pattern of the tree is compiled before judging), and OutLayer's wording
     * (build_refusal, lapsed_grant_in) does not reach into it, since what it names is the calling
     * account, not the caller: its refusal is the plain sentence with the run's two accounts.
     */
    @Test
    void itsLeavesAreBoundedAndCompiledWithTheRestAndItsRefusalNamesNoLapse() {
        String balance = "{\"NearBalance\":{\"operator\":\"Gte\",\"value\":\"1\"}}";
        var wide = store(
                "wide",
                via("{\"Logic\":{\"operator\":\"Or\",\"conditions\":["
                        + String.join(",", java.util.Collections.nCopies(6, balance)) + "]}}"));
        assertThat(wide.status()).isEqualTo(400);
        assertThat(wide.json().path("error").asText())
                .isEqualTo("the condition asks the chain 6 times; at most 5 such leaves are judged");

        assertThat(store("bad", via("{\"AccountPattern\":{\"pattern\":\"(\"}}")).status())
                .isEqualTo(201);
        assertThat(decrypt("bad", "bob.near", "dao.near").json().path("error").asText())
                .startsWith("Access denied by access condition: its AccountPattern `(` cannot be compiled");
        assertThat(store("pattern", via("{\"AccountPattern\":{\"pattern\":\"[a-z]+\\\\.dao\\\\.near\"}}"))
                        .status())
                .isEqualTo(201);
        assertThat(decrypt("pattern", "bob.near", "x.dao.near").status()).isEqualTo(200);
        assertThat(decrypt("pattern", "bob.near", "x.near").status()).isEqualTo(403);

        String lapsedForDao = via("{\"Logic\":{\"operator\":\"And\",\"conditions\":[" + whitelist("dao.near")
                + ",{\"ValidUntil\":{\"until_ns\":\"1000000000\"}}]}}");
        assertThat(store("dated", lapsedForDao).status()).isEqualTo(201);
        assertThat(decrypt("dated", "bob.near", "dao.near").json().path("error").asText())
                .isEqualTo("Access denied by access condition \u2014 signer bob.near, called from dao.near");
    }

    @Test
    void aReportedCallingAccountThatIsNoAccountIdIsRefused() {
        assertThat(store("open", "\"AllowAll\"").status()).isEqualTo(201);
        var malformed = decrypt("open", "bob.near", "Not An Account");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().path("error").asText()).contains("predecessor_id must be a NEAR account id");
        assertThat(decrypt("open", "bob.near", 12).status())
                .as("axum's Json: a member of another type")
                .isEqualTo(422);
        assertThat(decrypt("open", "bob.near", "dao.near").status())
                .as("a condition that names no calling account does not care who called")
                .isEqualTo(200);
    }
}
