package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.executions.CodeRunner.RunResult;
import dev.outlayer.bench.targetsystem.executions.CodeSource;
import dev.outlayer.bench.targetsystem.executions.ExecutionTask;
import dev.outlayer.bench.targetsystem.executions.SecretsReference;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.linux.LinuxEmulator;
import dev.outlayer.bench.targetsystem.linux.TestPrograms;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What OutLayer's newest worker refuses before asking its keystore (main.rs handle_execute_job,
 * author_secrets_for_run, missing_row_refusal, callers.rs, at out-layer/outlayer 516d136), in its order: a
 * manifest that cannot be read; a door its {@code callers} shut ({@code access_denied}); declared keys the run
 * cannot be served ({@code custom}, signing_keys/mod.rs check_family_against_run at 635d273); a {@code
 * secrets_ref} no row could match ({@code custom}) and a run with no sender to judge the secrets' access
 * condition against ({@code access_denied}, {@code proven_sender}); the caller's own profile (an
 * owner-capped connector's row not stored is {@code policy_row_missing}); then the author's. No door of the
 * stand-in makes a task without a sender, a predecessor or with a relayer, so those are driven here with the
 * task as a worker receives it.
 */
class LinuxCodeRunnerRefusalTest {
    private static final String HASH = "ab".repeat(32);

    private LinuxEmulator linux;
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private LinuxCodeRunner runner;

    @BeforeEach
    void start() {
        linux = TestPrograms.emulator(1);
        linux.useSecrets((reference, user, build) -> {
            asked.add(reference.profile());
            if ("locked".equals(reference.profile())) {
                throw new ApiException(ApiException.Kind.FORBIDDEN, "keystore: Access denied by access condition");
            }
            if ("unknowable".equals(reference.profile())) {
                throw new ApiException(
                        ApiException.Kind.UNPROCESSABLE,
                        "keystore: access condition cannot be evaluated: NearBalance: this keystore has no NEAR"
                                + " client configured");
            }
            if ("malformed".equals(reference.profile())) {
                throw new ApiException(ApiException.Kind.INVALID, "keystore: accessor.project_id must not be empty");
            }
            if ("absent".equals(reference.profile()) || "hyperliquid".equals(reference.profile())) {
                throw new ApiException(ApiException.Kind.NOT_FOUND, "keystore: Secrets not found");
            }
            return Map.of();
        });
        runner = new LinuxCodeRunner(linux, "outlayer.test.near", null);
    }

    @AfterEach
    void stop() {
        linux.close();
    }

    private static ExecutionTask task(String profile, String owner, String sender) {
        return task(new SecretsReference(profile, owner), sender, null);
    }

    private static ExecutionTask task(SecretsReference secrets, String sender, String projectId) {
        return task(secrets, sender, projectId, null);
    }

    /** An on-chain task signed by {@code sender}, its job context {@code context} (JSON; none when null). */
    private static ExecutionTask onChain(SecretsReference secrets, String sender, String context) throws Exception {
        return task(secrets, sender, null, context == null ? null : JsonCodec.MAPPER.readTree(context));
    }

    private static ExecutionTask task(SecretsReference secrets, String sender, String projectId, JsonNode context) {
        return task(
                CodeSource.wasmUrl("https://example.org/p.wasm", HASH, "wasm32-wasip1"),
                secrets,
                sender,
                projectId,
                context);
    }

    /** An on-chain task of alice.near whose code is built from a GitHub repository, directly or as {@code projectId}'s version. */
    private static ExecutionTask gitHub(String projectId) {
        return task(
                CodeSource.gitHub("https://github.com/author/env_json", "c0ffee", "wasm32-wasip1"),
                null,
                "alice.near",
                projectId,
                null);
    }

    private static ExecutionTask task(
            CodeSource source, SecretsReference secrets, String sender, String projectId, JsonNode context) {
        return new ExecutionTask(
                7,
                "0".repeat(64),
                source,
                null,
                "{}",
                secrets,
                "Json",
                context,
                sender,
                null,
                null,
                1,
                false,
                false,
                false,
                null,
                projectId,
                null,
                null);
    }

    /** An HTTPS call paid with {@code owner}'s payment key. */
    private static ExecutionTask https(String owner) {
        return new ExecutionTask(
                7,
                "0".repeat(64),
                CodeSource.wasmUrl("https://example.org/p.wasm", HASH, "wasm32-wasip1"),
                null,
                "{}",
                null,
                "Json",
                null,
                owner,
                null,
                null,
                0,
                false,
                false,
                false,
                null,
                true,
                "call-1",
                "author.near/app",
                null,
                null,
                owner,
                1L,
                "0",
                "0",
                null);
    }

    @Test
    void eachDoorTheManifestShutsIsRefusedFromTheJobBeforeTheSecrets() throws Exception {
        String direct = "{\"predecessor_id\":\"alice.near\"}";
        RunResult shut = refused(
                "{\"callers\":{\"direct\":\"deny\"}}",
                onChain(new SecretsReference("sec/../author", "alice.near"), "alice.near", direct),
                "access_denied");
        assertThat(shut.error())
                .as("before the caller's reference is judged")
                .isEqualTo("This project's manifest does not admit direct calls: OutLayer was called by alice.near,"
                        + " the account that signed the transaction, and callers.direct is \"deny\". Nothing was"
                        + " executed.");
        assertThat(refused(
                                "{\"callers\":{\"contract\":\"deny\"}}",
                                onChain(null, "alice.near", "{\"predecessor_id\":\"dao.near\"}"),
                                "access_denied")
                        .error())
                .isEqualTo("This project's manifest does not admit calls made through a contract: this run was signed"
                        + " by alice.near and OutLayer was called by dao.near, and callers.contract is \"deny\"."
                        + " Nothing was executed.");
        assertThat(refused(
                                "{\"callers\":{}}",
                                onChain(
                                        null,
                                        "alice.near",
                                        "{\"predecessor_id\":\"alice.near\",\"relayer_id\":\"bob.near\"}"),
                                "access_denied")
                        .error())
                .as("a block admits meta-transactions only when it says so")
                .isEqualTo("This project's manifest does not admit meta-transactions: alice.near signed the call and"
                        + " bob.near relayed it, and a callers block admits meta-transactions only with"
                        + " callers.meta_tx: \"allow\". Nothing was executed.");
        assertThat(refused("{\"callers\":{\"https\":\"deny\"}}", https("alice.near"), "access_denied")
                        .error())
                .isEqualTo("This project's manifest does not admit HTTPS calls (callers.https is \"deny\"): call it"
                        + " on chain. Nothing was executed.");
        assertThat(refused("{\"callers\":{}}", onChain(null, "alice.near", null), "access_denied")
                        .error())
                .isEqualTo("This project's manifest declares who may call it, and this run does not say which account"
                        + " called OutLayer. Nothing was executed.");
        assertThat(asked).as("the keystore is not asked").isEmpty();

        String only = "{\"callers\":{\"contract\":{\"only\":[\"relay.near\"]}}}";
        assertThat(refused(only, onChain(null, "alice.near", "{\"predecessor_id\":\"deputy.near\"}"), "access_denied")
                        .error())
                .isEqualTo("This project's manifest admits calls only from the contracts it names: OutLayer was called"
                        + " by deputy.near on behalf of alice.near, which is not one of them. Nothing was executed.");
        RunResult listed = runner.run(HASH, onChain(null, "alice.near", "{\"predecessor_id\":\"relay.near\"}"), "w1");
        assertThat(listed.success())
                .as("the listed contract is admitted: %s", listed.error())
                .isTrue();
        RunResult open = refusedOrRan("{\"callers\":{\"direct\":\"deny\"}}", https("alice.near"));
        assertThat(open.success())
                .as("a door shuts only itself: %s", open.error())
                .isTrue();
    }

    /**
     * Declared keys the run cannot be served (worker check_family_against_run, called by main.rs right after the
     * callers), {@code custom} in main.rs's sentence: a key bound otherwise than the run was started, a {@code
     * predecessor} key on a run with none, any key on code built from GitHub; signing keys judged before encryption
     * keys, both before the secrets.
     */
    @Test
    void declaredKeysTheRunCannotBeServedAreRefusedBeforeTheSecrets() throws Exception {
        RunResult projectKey = refused(
                "{\"signing_keys\":[{\"path\":\"records\",\"type\":\"ed25519\"}]}",
                task("sec/../author", "alice.near", "bob.near"),
                "custom");
        assertThat(projectKey.error())
                .as("before the caller's reference is judged")
                .isEqualTo("The component's signing keys cannot be served: the signing key \"records\" is bound to"
                        + " the project (bind \"project\"), and this run is a direct run with no project; run it"
                        + " through its project, or declare the key with bind \"wasm\". Nothing was executed.");
        RunResult wasmKey = refused(
                "{\"signing_keys\":[{\"path\":\"k\",\"type\":\"ed25519\",\"caller\":\"predecessor\"}],"
                        + "\"encryption_keys\":[{\"path\":\"k\",\"bind\":\"wasm\"}]}",
                https("alice.near"),
                "custom");
        assertThat(wasmKey.error())
                .as("an HTTPS call's predecessor is its sender, so its predecessor signing key is served")
                .isEqualTo("The component's encryption keys cannot be served: the encryption key \"k\" is bound to"
                        + " the build (bind \"wasm\"), and this run goes through a project; a wasm key is issued only"
                        + " to a direct run of the wasm URL \u2014 run it directly, or declare the key with bind"
                        + " \"project\". Nothing was executed.");
        String predecessorKey = "{\"encryption_keys\":[{\"path\":\"k\",\"bind\":\"wasm\",\"caller\":\"predecessor\"}]}";
        assertThat(refused(predecessorKey, onChain(null, "alice.near", null), "custom")
                        .error())
                .isEqualTo("The component's encryption keys cannot be served: the encryption key \"k\" belongs to"
                        + " the predecessor (caller \"predecessor\"), and this run carries no predecessor to bind it"
                        + " to; a predecessor key is issued only to a run some account called the contract for."
                        + " Nothing was executed.");
        assertThat(refused(
                                "{\"signing_keys\":[{\"path\":\"k\",\"type\":\"secp256k1\",\"bind\":\"wasm\"}],"
                                        + "\"encryption_keys\":[{\"path\":\"k\",\"bind\":\"wasm\"}]}",
                                gitHub(null),
                                "custom")
                        .error())
                .as("signing keys first")
                .isEqualTo("The component's signing keys cannot be served: this run builds its code from a GitHub"
                        + " repository, and code built from a repository gets no signing keys; run a wasm URL directly"
                        + " for bind \"wasm\" keys, or publish it as a project version for bind \"project\" keys."
                        + " Nothing was executed.");
        assertThat(refused("{\"encryption_keys\":[{\"path\":\"k\"}]}", gitHub("author.near/app"), "custom")
                        .error())
                .isEqualTo("The component's encryption keys cannot be served: this project version is built from a"
                        + " GitHub repository, and code built from a repository gets no encryption keys; publish the"
                        + " build as a WasmUrl version of the project. Nothing was executed.");
        assertThat(asked).as("the keystore is not asked").isEmpty();
    }

    @Test
    void anOwnerCappedConnectorNamingARowNotStoredIsRefusedAsPolicyRowMissing() throws Exception {
        RunResult refused = refused(
                "{\"connector_id\":\"hyperliquid\"}",
                task(new SecretsReference("absent", "alice.near"), "bob.near", null),
                "access_denied");
        assertThat(refused.error())
                .isEqualTo("policy_row_missing: the policy row {account_id: \"alice.near\", profile: \"absent\"} is not"
                        + " stored. Name a row that exists, or none to run the owner's row under the \"hyperliquid\""
                        + " profile.");
        RunResult own = runner.run(HASH, task("hyperliquid", "alice.near", "bob.near"), "w1");
        assertThat(own.success())
                .as("no row under the connector's own profile is the owner's choice: %s", own.error())
                .isTrue();
        RunResult other = refusedOrRan("{\"connector_id\":\"gmail\"}", task("absent", "alice.near", "bob.near"));
        assertThat(other.success()).as("no row, no secrets: %s", other.error()).isTrue();
    }

    @Test
    void aRunWithNoProvenSenderDecryptsNothing() throws Exception {
        RunResult refused = runner.run(HASH, task("default", "alice.near", null), "w1");
        assertThat(refused.success()).isFalse();
        assertThat(refused.errorCategory()).isEqualTo("access_denied");
        assertThat(refused.error())
                .isEqualTo("this run names secrets owned by alice.near but carries no sender to judge their access"
                        + " condition against, so nothing was decrypted.");
        assertThat(refused.timeMs()).as("nothing ran").isZero();
        assertThat(asked).as("the keystore is not asked").isEmpty();
    }

    @Test
    void aReferenceNoRowCouldMatchIsRefusedBeforeTheSender() throws Exception {
        RunResult badProfile = runner.run(HASH, task("sec/../author", "alice.near", null), "w1");
        assertThat(badProfile.errorCategory()).isEqualTo("custom");
        assertThat(badProfile.error())
                .isEqualTo("secrets_ref.profile must be 1–64 bytes of letters, digits, '-' or '_' (it contains '/');"
                        + " the contract stores no such profile");
        RunResult badAccount = runner.run(HASH, task("default", "Alice", "bob.near"), "w1");
        assertThat(badAccount.errorCategory()).isEqualTo("custom");
        assertThat(badAccount.error()).startsWith("secrets_ref.account_id \"Alice\" is not a NEAR account id");
        assertThat(asked).as("the keystore is not asked").isEmpty();
    }

    /** {@code task} run of env_json carrying {@code manifest}, refused with {@code category} before it ran. */
    private RunResult refused(String manifest, ExecutionTask task, String category) throws Exception {
        RunResult refused = refusedOrRan(manifest, task);
        assertThat(refused.success()).as(refused.error()).isFalse();
        assertThat(refused.errorCategory()).as(refused.error()).isEqualTo(category);
        assertThat(refused.timeMs()).as("nothing ran").isZero();
        return refused;
    }

    /** {@code task} run of env_json carrying {@code manifest}. */
    private RunResult refusedOrRan(String manifest, ExecutionTask task) throws Exception {
        linux.deploy(
                HASH,
                TestPrograms.withCustomSection(
                        TestPrograms.wasm("env_json"), "outlayer.manifest", manifest.getBytes(StandardCharsets.UTF_8)));
        return runner.run(HASH, task, "w1");
    }

    @Test
    void authorSecretsOfARunWithNoProvenSenderDecryptNothing() throws Exception {
        RunResult refused = refused(
                "{\"author_secrets\":{\"profile\":\"prod\"}}",
                task((SecretsReference) null, null, "author.near/app"),
                "access_denied");
        assertThat(refused.error())
                .as("proven_sender's sentence, as for a caller's profile")
                .isEqualTo("this run names secrets owned by author.near but carries no sender to judge their access"
                        + " condition against, so nothing was decrypted.");
        assertThat(asked).as("the keystore is not asked").isEmpty();
    }

    @Test
    void authorSecretsNoRowCouldHoldAreRefusedInTheManifestsOwnNames() throws Exception {
        RunResult badOwner = refused(
                "{\"author_secrets\":{\"owner\":\"Author\",\"profile\":\"prod\"}}",
                task((SecretsReference) null, "bob.near", "author.near/app"),
                "custom");
        assertThat(badOwner.error())
                .isEqualTo("the manifest's author_secrets names no row the contract could hold: author_secrets.owner"
                        + " \"Author\" is not a NEAR account id (2–64 lowercase letters, digits, '_', '-', '.'); no"
                        + " secret can be stored under it");
        assertThat(asked).as("the keystore is not asked").isEmpty();
    }

    @Test
    void aManifestThatCannotBeReadIsRefusedFirstInOutLayersSentence() throws Exception {
        RunResult refused =
                refused("{\"netwrk\":[\"api.x\"]}", task("sec/../author", "alice.near", "bob.near"), "custom");
        assertThat(refused.error())
                .as("before the caller's reference is judged")
                .startsWith("The artefact's manifest cannot be read: the outlayer.manifest section does not parse as"
                        + " a manifest: unknown field `netwrk`, expected one of ")
                .endsWith(". The run is refused rather than run without the author's declaration.");
        assertThat(asked).as("the keystore is not asked").isEmpty();
        RunResult rule = refused(
                "{\"encryption_keys\":[{\"path\":\"k\",\"bind\":\"wasm\",\"vault\":\"v.alice.near\"}]}",
                task("sec/../author", "alice.near", "bob.near"),
                "custom");
        assertThat(rule.error())
                .as("a declaration that breaks a rule of deserialize_declared does not parse either")
                .isEqualTo("The artefact's manifest cannot be read: the outlayer.manifest section does not parse as a"
                        + " manifest: the encryption key \"k\" is bound to the build (bind \"wasm\") and names a"
                        + " vault; a build has no owner to own a vault. The run is refused rather than run without the"
                        + " author's declaration.");
        assertThat(asked).as("the keystore is not asked").isEmpty();
    }

    /**
     * A condition the keystore cannot evaluate (its 422; OutLayer's keystore answers 500 {@code Access validation
     * failed: ...}) fails the run as OutLayer's worker files a keystore answer it does not read: {@code failed}, in
     * its sentence (keystore_client.rs {@code secrets_error}, main.rs {@code secrets_failure_category}), the
     * caller's profile and the author's alike.
     */
    @Test
    void aConditionTheKeystoreCannotEvaluateFailsTheRunInOutLayersWorkersWords() throws Exception {
        failedInOutLayersWorkersWords(
                "unknowable", "Failed to decrypt secrets. Please check your secrets configuration.");
    }

    /**
     * A keystore 400 other than "not found" fails the run as OutLayer's worker files it: {@code failed}, in its
     * sentence (keystore_client.rs {@code secrets_error}; main.rs {@code secrets_failure_category} finds no
     * "Access ... denied" in it), the keystore's reason in the log only.
     */
    @Test
    void aRequestTheKeystoreRefusesAsBadFailsTheRunInOutLayersWorkersWords() throws Exception {
        failedInOutLayersWorkersWords("malformed", "Invalid secrets request. Please check your secrets configuration.");
    }

    /** The caller's {@code profile} and the author's alike fail the run, {@code failed}, with {@code sentence}. */
    private void failedInOutLayersWorkersWords(String profile, String sentence) throws Exception {
        RunResult callers = refused("{}", task(profile, "alice.near", "bob.near"), "failed");
        assertThat(callers.error()).isEqualTo(sentence);
        RunResult authors = refused(
                "{\"author_secrets\":{\"profile\":\"" + profile + "\"}}",
                task((SecretsReference) null, "bob.near", "author.near/app"),
                "failed");
        assertThat(authors.error()).isEqualTo("the author's secrets could not be decrypted: " + sentence);
        assertThat(asked).containsExactly(profile, profile);
    }

    @Test
    void theCallersProfileIsJudgedBeforeTheAuthorsIsLookedAt() throws Exception {
        String authored = "{\"author_secrets\":{\"profile\":\"prod\"}}";
        RunResult refused = refused(authored, task("locked", "alice.near", "bob.near"), "access_denied");
        assertThat(refused.error())
                .as("the caller's refusal, not the author's run of no project")
                .isEqualTo("Access denied by access condition. Check the access conditions configured by the secret"
                        + " owner.");
        assertThat(asked).containsExactly("locked");

        asked.clear();
        RunResult noProject = refused(authored, task("default", "alice.near", "bob.near"), "custom");
        assertThat(noProject.error())
                .isEqualTo("the manifest names author_secrets, but this run has no project to store them under");
        assertThat(asked).as("the caller's profile was opened first").containsExactly("default");
    }
}
