package dev.outlayer.bench.targetsystem.http.programs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.http.Callers;
import dev.outlayer.bench.targetsystem.http.HttpServer;
import dev.outlayer.bench.targetsystem.http.Routes;
import dev.outlayer.bench.targetsystem.http.keystore.KeystoreFixture;
import dev.outlayer.bench.targetsystem.identity.ApiKeyCallers;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.keystore.SecretsClient;
import dev.outlayer.bench.targetsystem.linux.LinuxEmulator;
import dev.outlayer.bench.targetsystem.linux.TestPrograms;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "done when": alice encrypts and stores secrets, a run by an allowed account prints
 * them from its environment, a stranger's run is refused, over real HTTP to a real keystore.
 */
class SecretsInjectionTest {
    static final String REPO = "github.com/alice/agent";
    static final String SECRET = "sk-injected-7731";

    @TempDir
    Path dir;

    KeystoreFixture keystore;
    LinuxEmulator emulator;
    HttpServer coordinator;
    final HttpClient http = HttpClient.newHttpClient();

    record Reply(int status, JsonNode json, String serverTiming) {}

    @BeforeEach
    void start() throws Exception {
        keystore = new KeystoreFixture(dir);
        String ciphertext = keystore.encrypt(
                REPO, "alice.near", null, "{\"API_KEY\":\"" + SECRET + "\",\"PATH\":\"/opt/secret/bin\"}");
        assertThat(keystore.store(
                                KeystoreFixture.ALICE_KEY,
                                "alice.near",
                                "default",
                                REPO,
                                null,
                                ciphertext,
                                "{\"Whitelist\":{\"accounts\":[\"bob.near\"]}}")
                        .status())
                .isEqualTo(201);

        var defaults = LinuxEmulator.Options.defaults();
        emulator = new LinuxEmulator(
                new LinuxEmulator.Options(
                        1,
                        1,
                        defaults.maxInstructionsCap(),
                        defaults.maxMemoryMbCap(),
                        defaults.maxSecondsCap(),
                        defaults.maxOutputBytes(),
                        5_000),
                BlockClock.startingNow(1000));
        emulator.deploy("printenv", TestPrograms.wasm("printenv"));
        emulator.useSecrets(
                new SecretsClient(keystore.url, KeystoreFixture.WORKER_TOKEN, Duration.ofSeconds(5))::fetch);
        Routes routes = new Routes("coordinator", new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        ProgramRoutes.register(
                routes,
                emulator,
                4 << 20,
                1 << 20,
                new Callers(new ApiKeyCallers(Map.of(
                        KeystoreFixture.ALICE_KEY,
                        "alice.near",
                        KeystoreFixture.BOB_KEY,
                        "bob.near",
                        "mallory-key",
                        "mallory.near")::get)));
        coordinator = HttpServer.start("coordinator-test", "127.0.0.1", 0, routes.handler(), 1000);
    }

    @AfterEach
    void stop() {
        coordinator.close();
        emulator.close();
        keystore.close();
    }

    Reply run(String sender, String profile, String... names) throws Exception {
        return runWithKey(KEYS.get(sender), sender, profile, names);
    }

    /** The API keys of the accounts the tests run as: a run presents its own account's key. */
    static final Map<String, String> KEYS = Map.of(
            "bob.near",
            KeystoreFixture.BOB_KEY,
            "mallory.near",
            "mallory-key",
            "alice.near",
            KeystoreFixture.ALICE_KEY);

    Reply runWithKey(String apiKey, String sender, String profile, String... names) throws Exception {
        ObjectNode body = JsonCodec.object();
        names = names.length == 0 ? new String[] {"API_KEY", "PATH", "NEAR_SENDER_ID"} : names;
        var argv = body.putArray("argv");
        for (String name : names) {
            argv.add(name);
        }
        if (sender != null) {
            body.putObject("context").put("sender_id", sender);
        }
        body.putObject("secrets")
                .put("owner", "alice.near")
                .put("profile", profile)
                .put("repo", REPO);
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + coordinator.port() + "/programs/printenv/run"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JsonCodec.bytes(body)));
        if (apiKey != null) {
            request.header("X-API-Key", apiKey);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(
                response.statusCode(),
                JsonCodec.MAPPER.readTree(response.body()),
                response.headers().firstValue("Server-Timing").orElse(""));
    }

    @Test
    void anAllowedAccountsProgramSeesTheSecretsAndThePlatformKeepsItsVariables() throws Exception {
        Reply reply = run("bob.near", "default");
        assertThat(reply.status()).as(reply.json().toString()).isEqualTo(200);
        assertThat(reply.json().path("stdout").asText()).isEqualTo(SECRET + "\n/opt/secret/bin\nbob.near\n");
        assertThat(reply.serverTiming()).contains("decrypt;dur=", "inject;dur=", "exec;dur=");
    }

    @Test
    void aStrangersRunIsRefusedWithTheKeystores403() throws Exception {
        Reply reply = run("mallory.near", "default");
        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.json().path("error").asText())
                .contains("Access denied by access condition")
                .doesNotContain(SECRET);
        assertThat(reply.json().has("stdout")).isFalse();
    }

    @Test
    void unknownProfilesAreA404AndTheKeysOwnerIsTheSenderWhenNoneIsNamed() throws Exception {
        assertThat(run("bob.near", "nope").status()).isEqualTo(404);
        Reply keyOnly = runWithKey(KeystoreFixture.BOB_KEY, null, "default", "API_KEY");
        assertThat(keyOnly.status()).as(keyOnly.json().toString()).isEqualTo(200);
        assertThat(keyOnly.json().path("stdout").asText()).isEqualTo(SECRET + "\n");
    }

    /**
     * A run of this route is made by the key holder itself, with nothing in between: a {@code Predecessor}
     * condition is judged against that account, never against a {@code predecessor_id} the body declares.
     */
    @Test
    void aPredecessorConditionIsJudgedOnTheKeyHolderNotOnADeclaredPredecessor() throws Exception {
        String ciphertext = keystore.encrypt(REPO, "alice.near", null, "{\"API_KEY\":\"" + SECRET + "\"}");
        for (String[] profile : new String[][] {{"via-bob", "bob.near"}, {"via-dao", "dao.near"}}) {
            assertThat(keystore.store(
                                    KeystoreFixture.ALICE_KEY,
                                    "alice.near",
                                    profile[0],
                                    REPO,
                                    null,
                                    ciphertext,
                                    "{\"Predecessor\":{\"condition\":{\"Whitelist\":{\"accounts\":[\"" + profile[1]
                                            + "\"]}}}}")
                            .status())
                    .isEqualTo(201);
        }
        assertThat(run("bob.near", "via-bob").json().path("stdout").asText()).startsWith(SECRET + "\n");

        ObjectNode body = JsonCodec.object();
        body.putArray("argv").add("API_KEY");
        body.putObject("context").put("sender_id", "bob.near").put("predecessor_id", "dao.near");
        body.putObject("secrets")
                .put("owner", "alice.near")
                .put("profile", "via-dao")
                .put("repo", REPO);
        HttpResponse<String> claimed = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + coordinator.port() + "/programs/printenv/run"))
                        .header("Content-Type", "application/json")
                        .header("X-API-Key", KeystoreFixture.BOB_KEY)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(JsonCodec.bytes(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(claimed.statusCode()).as(claimed.body()).isEqualTo(403);
        assertThat(claimed.body()).contains("Access denied by access condition").doesNotContain(SECRET);
    }

    /** Issue 15, item 3: a declared sender_id is no identity. */
    @Test
    void anUnauthenticatedCallerClaimingAnAllowedAccountGets401() throws Exception {
        Reply claimed = runWithKey(null, "bob.near", "default");
        assertThat(claimed.status()).isEqualTo(401);
        assertThat(claimed.json().path("error").asText())
                .contains("authenticated caller")
                .contains("not proof of an account")
                .doesNotContain(SECRET);
        assertThat(claimed.json().has("stdout")).isFalse();
    }

    @Test
    void aKeyOfOneAccountClaimingAnotherGets403() throws Exception {
        Reply impostor = runWithKey("mallory-key", "bob.near", "default");
        assertThat(impostor.status()).isEqualTo(403);
        assertThat(impostor.json().path("error").asText())
                .contains("names bob.near as its sender")
                .contains("belongs to mallory.near")
                .doesNotContain(SECRET);
    }

    @Test
    void anUnknownKeyGets401BeforeAnythingRuns() throws Exception {
        Reply unknown = runWithKey("not-a-key", "bob.near", "default");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.json().path("error").asText()).isEqualTo("unknown API key");
    }

    @Test
    void anUnreachableKeystoreIs502AndTheCoordinatorKeepsServing() throws Exception {
        keystore.close();
        Reply reply = run("bob.near", "default");
        assertThat(reply.status()).isEqualTo(502);
        assertThat(reply.json().path("error").asText())
                .contains("keystore unreachable")
                .as("the cause stays in the log")
                .doesNotContain("Exception");
        HttpResponse<String> health = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + coordinator.port() + "/health"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        keystore = new KeystoreFixture(dir); // restarted on the same data: closed again in stop()
    }
}
