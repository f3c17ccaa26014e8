package dev.outlayer.bench.targetsystem.http.keystore;

import static dev.outlayer.bench.targetsystem.http.keystore.KeystoreFixture.ALICE_KEY;
import static dev.outlayer.bench.targetsystem.http.keystore.KeystoreFixture.WORKER_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A keystore with no chain to read (no {@code --near-rpc-url}) judging an on-chain leaf, as OutLayer's
 * newest keystore without a NEAR client (keystore-worker types.rs {@code evaluate}: "cannot be
 * evaluated: this keystore has no NEAR client configured"): unknown, never a denial, since under
 * {@code Not} a denial would admit; combined under {@code Logic} as every unknown leaf is.
 */
class KeystoreWithoutChainRoutesTest {
    static final String REPO = "github.com/alice/agent";
    static final String SECRET_VALUE = "sk-rich-only-0099";
    static final String RICH = "{\"NearBalance\":{\"operator\":\"Gte\",\"value\":\"1000000000000000000000000\"}}";

    @RegisterExtension
    final KeystoreFixture keystore = KeystoreFixture.perTest();

    private KeystoreFixture.Response store(String profile, String access) {
        String ciphertext = keystore.encrypt(REPO, "alice.near", null, "{\"API_KEY\":\"" + SECRET_VALUE + "\"}");
        return keystore.store(ALICE_KEY, "alice.near", profile, REPO, null, ciphertext, access);
    }

    private KeystoreFixture.Response decrypt(String profile, String user) {
        return keystore.decrypt(WORKER_TOKEN, "alice.near", profile, REPO, null, user);
    }

    @Test
    void anOnChainLeafIsUnknownNeverADenialThatNotWouldTurnIntoAnAdmission() {
        assertThat(store("rich", RICH).status()).isEqualTo(201);
        var rich = decrypt("rich", "bob.near");
        assertThat(rich.status()).isEqualTo(422);
        assertThat(rich.json().path("error").asText())
                .isEqualTo("access condition cannot be evaluated: NearBalance: this keystore has no NEAR client"
                        + " configured");
        assertThat(rich.body()).doesNotContain(SECRET_VALUE);

        assertThat(store("not-rich", "{\"Not\":{\"condition\":" + RICH + "}}").status())
                .isEqualTo(201);
        var notRich = decrypt("not-rich", "bob.near");
        assertThat(notRich.status()).as("was admitted when no chain denied").isEqualTo(422);
        assertThat(notRich.body()).doesNotContain(SECRET_VALUE);

        String member = "{\"DaoMember\":{\"dao_contract\":\"dao.near\",\"role\":\"council\"}}";
        assertThat(store("council", member).status()).isEqualTo(201);
        assertThat(decrypt("council", "bob.near").json().path("error").asText())
                .isEqualTo("access condition cannot be evaluated: DaoMember: this keystore has no NEAR client"
                        + " configured");
    }

    @Test
    void logicCombinesItAsEveryUnknownLeaf() {
        RunFactsChecks.assertUnknownCombinesAsOutLayer(this::store, this::decrypt, RICH);
    }

    @Test
    void anUnreadablePatternBesideItRefusesBeforeItIsJudged() {
        RunFactsChecks.assertAnUnreadablePatternIsRefusedBeforeTheLeafIsJudged(this::store, this::decrypt, RICH);
    }
}
