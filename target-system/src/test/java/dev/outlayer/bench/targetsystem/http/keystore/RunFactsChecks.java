package dev.outlayer.bench.targetsystem.http.keystore;

import static dev.outlayer.bench.targetsystem.http.keystore.KeystoreFixture.WORKER_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.util.function.BiFunction;

/**
 * What the keystore's route tests of leaves that may not be evaluable share: a worker's decrypt of
 * alice.near's profile reporting a fact of the run ({@code WasmHash} is judged on the build, {@code
 * Predecessor} on the calling account), and how {@code Logic} combines a leaf that cannot be
 * evaluated (such a leaf for a request that reports no such fact, an on-chain one without a chain).
 */
final class RunFactsChecks {
    private RunFactsChecks() {}

    /**
     * {@code POST /decrypt} of alice.near's {@code profile} for {@code user}, with {@code member} set
     * to {@code value} (a string as is, anything else as its JSON, null left out).
     */
    static KeystoreFixture.Response decryptReporting(
            KeystoreFixture keystore, String repo, String profile, String user, String member, Object value) {
        ObjectNode body = JsonCodec.object()
                .put("owner", "alice.near")
                .put("profile", profile)
                .put("repo", repo)
                .put("user_account_id", user)
                .put("task_id", "42");
        if (value instanceof String text) {
            body.put(member, text);
        } else if (value != null) {
            body.set(member, JsonCodec.MAPPER.valueToTree(value));
        }
        return keystore.send("POST", "/decrypt", WORKER_TOKEN, body);
    }

    /**
     * {@code unknownLeaf} cannot be evaluated for what {@code unreported} sends, and {@code Logic}
     * combines it as OutLayer's newest keystore: {@code true OR unknown} admits and {@code false AND
     * unknown} refuses, whichever way round the branches are written; otherwise the whole is unknown
     * (422). {@code store} stores (or replaces) a profile's condition, {@code unreported} decrypts it
     * for a signer.
     */
    static void assertUnknownCombinesAsOutLayer(
            BiFunction<String, String, KeystoreFixture.Response> store,
            BiFunction<String, String, KeystoreFixture.Response> unreported,
            String unknownLeaf) {
        String bob = "{\"Whitelist\":{\"accounts\":[\"bob.near\"]}}";
        for (String or : new String[] {
            "{\"Logic\":{\"operator\":\"Or\",\"conditions\":[" + unknownLeaf + "," + bob + "]}}",
            "{\"Logic\":{\"operator\":\"Or\",\"conditions\":[" + bob + "," + unknownLeaf + "]}}"
        }) {
            assertThat(store.apply("either", or).status())
                    .as("stored or replaced")
                    .isIn(200, 201);
            assertThat(unreported.apply("either", "bob.near").status())
                    .as("true OR unknown: %s", or)
                    .isEqualTo(200);
            assertThat(unreported.apply("either", "carol.near").status())
                    .as("false OR unknown stays unknown: %s", or)
                    .isEqualTo(422);
        }
        for (String and : new String[] {
            "{\"Logic\":{\"operator\":\"And\",\"conditions\":[" + unknownLeaf + "," + bob + "]}}",
            "{\"Logic\":{\"operator\":\"And\",\"conditions\":[" + bob + "," + unknownLeaf + "]}}"
        }) {
            assertThat(store.apply("both", and).status())
                    .as("stored or replaced")
                    .isIn(200, 201);
            var carol = unreported.apply("both", "carol.near");
            assertThat(carol.status()).as("false AND unknown: %s", and).isEqualTo(403);
            assertThat(carol.json().path("error").asText()).isEqualTo("Access denied by access condition");
            assertThat(unreported.apply("both", "bob.near").status())
                    .as("true AND unknown stays unknown: %s", and)
                    .isEqualTo(422);
        }
    }

    /**
     * OutLayer's keystore compiles every pattern of a condition before it judges anything (types.rs
     * compile_patterns): a pattern that cannot be compiled beside {@code unknownLeaf} refuses
     * everyone by name (403), before the leaf could make the whole unknown (422) and whatever
     * {@code AllowAll} beside it says.
     */
    static void assertAnUnreadablePatternIsRefusedBeforeTheLeafIsJudged(
            BiFunction<String, String, KeystoreFixture.Response> store,
            BiFunction<String, String, KeystoreFixture.Response> unreported,
            String unknownLeaf) {
        String condition = "{\"Logic\":{\"operator\":\"Or\",\"conditions\":[" + unknownLeaf
                + ",\"AllowAll\",{\"AccountPattern\":{\"pattern\":\"x**\"}}]}}";
        assertThat(store.apply("unreadable", condition).status())
                .as("stored as written, as OutLayer's contract stores it")
                .isIn(200, 201);
        var refused = unreported.apply("unreadable", "bob.near");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().path("error").asText())
                .isEqualTo("Access denied by access condition: its AccountPattern `x**` cannot be compiled as a"
                        + " regular expression (invalid nested repetition operator: `**`)");
    }
}
