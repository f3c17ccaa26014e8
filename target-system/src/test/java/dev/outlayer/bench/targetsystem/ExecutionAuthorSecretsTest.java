package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.linux.TestPrograms;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A connector manifest's author secrets over the real worker path (OutLayer's worker connector_manifest.rs
 * {@code author_secrets_ref}, main.rs {@code author_secrets_for_run}, out-layer/outlayer 802bf37): a wasm whose {@code outlayer.manifest}
 * section names {@code author_secrets} gets, on every run of a project, the profile its author stored under
 * the project's accessor, merged with the caller's own; a name on both sides, a run of no project, a profile
 * not stored and a manifest with a member OutLayer does not define refuse the run before it runs. And the
 * manifest's {@code callers} and an owner-capped connector's missing policy row (callers.rs, main.rs {@code
 * missing_row_refusal}, out-layer/outlayer 516d136).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExecutionAuthorSecretsTest {
    private static final String OUTLAYER = "outlayer.test.near";
    private static final String OWNER = "alice.test.near";
    private static final String API_KEY = "test-api-key-123"; // alice.test.near's (feeders/api-keys.csv)
    private static final String LIMITS = "{\"max_instructions\":100000000,\"max_execution_seconds\":5}";

    private final AtomicLong nonce = new AtomicLong(3000);

    @TempDir
    static Path dir;

    private LifecycleClient client;
    private String user;
    private String authored;
    private String plain;

    @BeforeAll
    void start() throws Exception {
        TargetOptions options = LifecycleClient.fastBlocks(1);
        LifecycleClient.withKeystore(options, dir.resolve("ks"));
        client = new LifecycleClient(options).outcomesOnceExecuted();
        user = client.user.signerId();
        plain = client.upload("env_json");
        authored = uploadWithManifest(
                "env_authored",
                "{\"connector_id\":\"app\",\"author_secrets\":{\"owner\":\"" + OWNER + "\",\"profile\":\"author\"}}");
        String unstored = uploadWithManifest("env_unstored", "{\"author_secrets\":{\"profile\":\"nothing\"}}");
        String misspelt = uploadWithManifest("env_misspelt", "{\"connector_id\":\"app\",\"netwrk\":[\"api.x\"]}");
        createProject("app", authored);
        createProject("plain", plain);
        createProject("unstored", unstored);
        createProject("misspelt", misspelt);
        createProject("gated", uploadWithManifest("env_gated", "{\"callers\":{\"direct\":\"deny\"}}"));
        createProject(
                "capped",
                uploadWithManifest(
                        "env_capped", "{\"connector_id\":\"hyperliquid\",\"callers\":{\"contract\":\"deny\"}}"));

        ObjectNode app = JsonCodec.object().put("type", "Project").put("project_id", user + "/app");
        store("author", app, "{\"AUTHOR_KEY\":\"from-the-author\"}");
        store("caller", app, "{\"CALLER_KEY\":\"from-the-caller\"}");
        store("clash", app, "{\"AUTHOR_KEY\":\"the-callers-own\",\"CALLER_KEY\":\"c\"}");
    }

    @AfterAll
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
    }

    /** env_json with an {@code outlayer.manifest} custom section holding {@code manifest}; its sha256. */
    private String uploadWithManifest(String name, String manifest) throws Exception {
        return client.upload(
                name,
                TestPrograms.withCustomSection(
                        TestPrograms.wasm("env_json"), "outlayer.manifest", manifest.getBytes(StandardCharsets.UTF_8)));
    }

    private JsonNode call(String method, String args) throws Exception {
        return client.signed(client.user, nonce.incrementAndGet(), OUTLAYER, method, args, LifecycleClient.DEPOSIT);
    }

    private void createProject(String name, String hash) throws Exception {
        JsonNode created = call("create_project", "{\"name\":\"" + name + "\",\"source\":" + wasmUrl(hash) + "}");
        assertThat(created.path("status").has("SuccessValue"))
                .as(created.toString())
                .isTrue();
    }

    private static String wasmUrl(String hash) {
        return "{\"WasmUrl\":{\"url\":\"https://example.org/app.wasm\",\"hash\":\"" + hash
                + "\",\"build_target\":\"wasm32-wasip1\"}}";
    }

    private String project(String name) {
        return "{\"Project\":{\"project_id\":\"" + user + "/" + name + "\"}}";
    }

    /** alice's profile under {@code accessor}, readable by everyone. */
    private void store(String profile, ObjectNode accessor, String secrets) throws Exception {
        ExecutionSecretsTest.storeProfile(
                client, API_KEY, OWNER, profile, accessor, JsonCodec.MAPPER.readTree("\"AllowAll\""), secrets);
    }

    /** request_execution of {@code source}, naming alice's {@code profile} (none when null). */
    private JsonNode run(String source, String profile) throws Exception {
        String secrets = profile == null
                ? ""
                : ",\"secrets_ref\":{\"profile\":\"" + profile + "\",\"account_id\":\"" + OWNER + "\"}";
        return call(
                "request_execution",
                "{\"source\":" + source + ",\"resource_limits\":" + LIMITS + ",\"input_data\":\"{}\"" + secrets
                        + ",\"response_format\":\"Json\"}");
    }

    private static JsonNode environment(JsonNode outcome) throws Exception {
        assertThat(outcome.path("status").has("SuccessValue"))
                .as("the run succeeded: %s", outcome)
                .isTrue();
        return JsonCodec.MAPPER.readTree(Base64.getDecoder()
                .decode(outcome.path("status").path("SuccessValue").asText()));
    }

    /** The run was refused with {@code error}, {@code category}, before anything ran. */
    private void assertRefused(JsonNode outcome, String error, String category) throws Exception {
        JsonNode event = LifecycleClient.completedEvent(outcome);
        assertThat(event.path("success").asBoolean(true))
                .as("refused: %s", event)
                .isFalse();
        assertThat(event.path("error_message").asText()).isEqualTo(error);
        assertThat(event.path("resources_used").path("time_ms").asLong())
                .as("nothing ran")
                .isZero();
        assertThat(event.path("resources_used").path("instructions").asLong())
                .as("nothing ran")
                .isZero();
        assertThat(ExecutionSecretsTest.execute(client, outcome).errorCategory())
                .isEqualTo(category);
    }

    @Test
    void theAuthorsSecretsAreInjectedIntoEveryRunOfTheProjectBesideTheCallers() throws Exception {
        JsonNode alone = environment(run(project("app"), null));
        assertThat(alone.path("AUTHOR_KEY").asText())
                .as("a call naming no secrets gets the author's: %s", alone)
                .isEqualTo("from-the-author");

        JsonNode both = environment(run(project("app"), "caller"));
        assertThat(both.path("AUTHOR_KEY").asText()).as("%s", both).isEqualTo("from-the-author");
        assertThat(both.path("CALLER_KEY").asText()).as("%s", both).isEqualTo("from-the-caller");

        JsonNode missing = environment(run(project("app"), "absent"));
        assertThat(missing.path("AUTHOR_KEY").asText())
                .as("the caller's profile not stored is none, as without a manifest: %s", missing)
                .isEqualTo("from-the-author");
    }

    @Test
    void aModuleWithoutManifestRunsAsBefore() throws Exception {
        JsonNode ran = environment(run(project("plain"), "author"));
        assertThat(ran.has("AUTHOR_KEY"))
                .as("no manifest: no author secrets, and alice's profile is another project's: %s", ran)
                .isFalse();
        assertThat(ran.path("OUTLAYER_PROJECT_ID").asText()).isEqualTo(user + "/plain");
    }

    @Test
    void aNameOnBothSidesIsRefused() throws Exception {
        assertRefused(
                run(project("app"), "clash"),
                "the author's secrets and the caller's both define `AUTHOR_KEY`; rename one side",
                "custom");
    }

    @Test
    void authorSecretsOnARunOfNoProjectAreRefused() throws Exception {
        assertRefused(
                run(wasmUrl(authored), null),
                "the manifest names author_secrets, but this run has no project to store them under",
                "custom");
    }

    @Test
    void authorSecretsNoneStoredAreRefusedSayingHowToStoreThem() throws Exception {
        String id = user + "/unstored";
        assertRefused(
                run(project("unstored"), null),
                "the manifest names author secrets owner=" + user + " profile=nothing for project " + id
                        + ", but none are stored \u2014 store them with accessor Project(" + id
                        + ") or drop author_secrets from the manifest",
                "custom");
    }

    @Test
    void aDoorTheManifestsCallersShutIsRefusedBeforeAnySecret() throws Exception {
        assertRefused(
                run(project("gated"), "caller"),
                "This project's manifest does not admit direct calls: OutLayer was called by " + user
                        + ", the account that signed the transaction, and callers.direct is \"deny\". Nothing was"
                        + " executed.",
                "access_denied");
    }

    @Test
    void anOwnerCappedConnectorRunsOnlyOnARowThatExistsOrItsOwnProfile() throws Exception {
        JsonNode own = environment(run(project("capped"), "hyperliquid"));
        assertThat(own.path("OUTLAYER_PROJECT_ID").asText())
                .as("admitted by its callers (a direct call), and no row under its own profile runs it: %s", own)
                .isEqualTo(user + "/capped");
        assertRefused(
                run(project("capped"), "zzz"),
                "policy_row_missing: the policy row {account_id: \"" + OWNER + "\", profile: \"zzz\"} is not stored."
                        + " Name a row that exists, or none to run the owner's row under the \"hyperliquid\" profile.",
                "access_denied");
    }

    @Test
    void aManifestWithAMemberOutLayerDoesNotDefineIsRefused() throws Exception {
        JsonNode outcome = run(project("misspelt"), null);
        JsonNode event = LifecycleClient.completedEvent(outcome);
        assertThat(event.path("error_message").asText())
                .startsWith("The artefact's manifest cannot be read: the outlayer.manifest section does not parse as"
                        + " a manifest: unknown field `netwrk`, expected one of `connector_id`, ")
                .endsWith(". The run is refused rather than run without the author's declaration.");
        assertRefused(outcome, event.path("error_message").asText(), "custom");
    }
}
