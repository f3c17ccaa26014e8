package dev.outlayer.bench.targetsystem.keystore;

import static dev.outlayer.bench.targetsystem.http.keystore.KeystoreFixture.ALICE_KEY;
import static dev.outlayer.bench.targetsystem.http.keystore.KeystoreFixture.BOB_KEY;
import static dev.outlayer.bench.targetsystem.http.keystore.KeystoreFixture.WORKER_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.Main;
import dev.outlayer.bench.targetsystem.http.keystore.KeystoreFixture;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The user's path: encrypt with the jar's subcommand, store, and have a worker decrypt it. */
class EncryptSecretsCommandTest {
    static final String REPO = "github.com/alice/agent";

    @TempDir
    Path dir;

    KeystoreFixture keystore;

    record Run(int exitCode, String out, String err) {}

    @BeforeEach
    void start() throws Exception {
        keystore = new KeystoreFixture(dir);
    }

    @AfterEach
    void stop() {
        keystore.close();
    }

    Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        int exit = command.execute(args);
        return new Run(exit, out.toString().trim(), err.toString());
    }

    @Test
    void printsACiphertextThatTheKeystoreAcceptsAndDecrypts() {
        Run run = run(
                "encrypt-secrets",
                "--keystore",
                keystore.url,
                "--repo",
                REPO,
                "--owner",
                "alice.near",
                "--secrets",
                "{\"API_KEY\":\"cli-secret\"}");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).matches("[A-Za-z0-9+/=]+");
        assertThat(run.err()).contains("github.com/alice/agent:alice.near").doesNotContain("cli-secret");

        assertThat(keystore.store(ALICE_KEY, "alice.near", "default", REPO, null, run.out(), "\"AllowAll\"")
                        .status())
                .isEqualTo(201);
        var decrypted = keystore.decrypt(WORKER_TOKEN, "alice.near", "default", REPO, null, "bob.near");
        assertThat(KeystoreFixture.plaintextOf(decrypted)).isEqualTo("{\"API_KEY\":\"cli-secret\"}");
    }

    @Test
    void storesWithProfileApiKeyAndAccessFromAFile() throws Exception {
        Path secrets = dir.resolve("secrets.json");
        Files.writeString(secrets, "{\"A\":\"1\",\"B\":\"2\"}");
        Run run = run(
                "encrypt-secrets",
                "--keystore",
                keystore.url,
                "--repo",
                "alice/agent",
                "--owner",
                "alice.near",
                "--branch",
                "main",
                "--secrets-file",
                secrets.toString(),
                "--profile",
                "prod",
                "--api-key",
                ALICE_KEY,
                "--access",
                "{\"Whitelist\":{\"accounts\":[\"bob.near\"]}}");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("stored as alice.near/prod");
        assertThat(keystore.decrypt(WORKER_TOKEN, "alice.near", "prod", REPO, "main", "bob.near")
                        .status())
                .isEqualTo(200);
        assertThat(keystore.decrypt(WORKER_TOKEN, "alice.near", "prod", REPO, "main", "eve.near")
                        .status())
                .isEqualTo(403);
    }

    @Test
    void encryptsAndStoresForAProjectScope() {
        String accessor = "{\"type\":\"Project\",\"project_id\":\"alice.near/agent\"}";
        Run run = run(
                "encrypt-secrets",
                "--keystore",
                keystore.url,
                "--accessor",
                accessor,
                "--owner",
                "alice.near",
                "--secrets",
                "{\"K\":\"v\"}",
                "--profile",
                "prod",
                "--api-key",
                ALICE_KEY);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("project:alice.near/agent:alice.near", "stored as alice.near/prod");
        var body = JsonCodec.object()
                .put("owner", "alice.near")
                .put("profile", "prod")
                .put("user_account_id", "bob.near");
        body.set("accessor", JsonCodec.object().put("type", "Project").put("project_id", "alice.near/agent"));
        assertThat(KeystoreFixture.plaintextOf(keystore.send("POST", "/decrypt", WORKER_TOKEN, body)))
                .isEqualTo("{\"K\":\"v\"}");
        Run neither = run("encrypt-secrets", "--keystore", keystore.url, "--owner", "alice.near", "--secrets", "{}");
        assertThat(neither.exitCode()).isEqualTo(1);
        assertThat(neither.err()).contains("--repo or --accessor");
    }

    @Test
    void refusesReservedNamesBadJsonAndAStrangersKey() {
        Run reserved = run(
                "encrypt-secrets",
                "--keystore",
                keystore.url,
                "--repo",
                REPO,
                "--owner",
                "alice.near",
                "--secrets",
                "{\"NEAR_SENDER_ID\":\"x\"}");
        assertThat(reserved.exitCode()).isEqualTo(1);
        assertThat(reserved.err()).contains("NEAR_SENDER_ID", "reserved");

        Run badJson = run(
                "encrypt-secrets",
                "--keystore",
                keystore.url,
                "--repo",
                REPO,
                "--owner",
                "alice.near",
                "--secrets",
                "{nope");
        assertThat(badJson.exitCode()).isEqualTo(1);
        assertThat(badJson.err()).contains("not valid JSON");

        Run stranger = run(
                "encrypt-secrets",
                "--keystore",
                keystore.url,
                "--repo",
                REPO,
                "--owner",
                "alice.near",
                "--secrets",
                "{\"K\":\"v\"}",
                "--profile",
                "p",
                "--api-key",
                BOB_KEY);
        assertThat(stranger.exitCode()).isEqualTo(1);
        assertThat(stranger.err()).contains("403", "bob.near");

        Run missingSource = run("encrypt-secrets", "--keystore", keystore.url, "--repo", REPO, "--owner", "alice.near");
        assertThat(missingSource.exitCode()).isEqualTo(2);
    }
}
