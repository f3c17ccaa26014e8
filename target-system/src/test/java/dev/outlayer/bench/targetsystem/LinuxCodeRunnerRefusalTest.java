package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.executions.CodeRunner.RunResult;
import dev.outlayer.bench.targetsystem.executions.CodeSource;
import dev.outlayer.bench.targetsystem.executions.ExecutionTask;
import dev.outlayer.bench.targetsystem.executions.SecretsReference;
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
 * author_secrets_for_run, at out-layer/outlayer 802bf37), in its order: a manifest that cannot be read; a
 * {@code secrets_ref} no row could match ({@code custom}) and a run with no sender to judge the secrets'
 * access condition against ({@code access_denied}, {@code proven_sender}); the caller's own profile; then
 * the author's. No door of the stand-in makes a task without a sender, so that refusal is driven here with
 * the task as a worker receives it.
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
        return new ExecutionTask(
                7,
                "0".repeat(64),
                CodeSource.wasmUrl("https://example.org/p.wasm", HASH, "wasm32-wasip1"),
                null,
                "{}",
                secrets,
                "Json",
                null,
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
        linux.deploy(
                HASH,
                TestPrograms.withCustomSection(
                        TestPrograms.wasm("env_json"), "outlayer.manifest", manifest.getBytes(StandardCharsets.UTF_8)));
        RunResult refused = runner.run(HASH, task, "w1");
        assertThat(refused.success()).as(refused.error()).isFalse();
        assertThat(refused.errorCategory()).as(refused.error()).isEqualTo(category);
        assertThat(refused.timeMs()).as("nothing ran").isZero();
        return refused;
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
    }

    /**
     * A condition the keystore cannot evaluate (its 422; OutLayer's keystore answers 500 {@code Access validation
     * failed: ...}) fails the run as OutLayer's worker files a keystore answer it does not read: {@code failed}, in
     * its sentence (keystore_client.rs {@code secrets_error}, main.rs {@code secrets_failure_category}), the
     * caller's profile and the author's alike.
     */
    @Test
    void aConditionTheKeystoreCannotEvaluateFailsTheRunInOutLayersWorkersWords() throws Exception {
        RunResult callers = refused("{}", task("unknowable", "alice.near", "bob.near"), "failed");
        assertThat(callers.error()).isEqualTo("Failed to decrypt secrets. Please check your secrets configuration.");
        RunResult authors = refused(
                "{\"author_secrets\":{\"profile\":\"unknowable\"}}",
                task((SecretsReference) null, "bob.near", "author.near/app"),
                "failed");
        assertThat(authors.error())
                .isEqualTo("the author's secrets could not be decrypted: Failed to decrypt secrets. Please check your"
                        + " secrets configuration.");
        assertThat(asked).containsExactly("unknowable", "unknowable");
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
