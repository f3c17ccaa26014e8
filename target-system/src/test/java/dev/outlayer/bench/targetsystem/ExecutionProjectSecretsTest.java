package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.testing.FakeGitHub;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which profile a run's {@code secrets_ref} opens, as OutLayer's worker chooses (worker main.rs {@code
 * handle_execute_job}): a task of a project, an on-chain request of a {@code Project} source or an HTTPS call,
 * asks for the project's secrets ({@code decrypt_secrets_by_project}, seed {@code project:<id>:<owner>}),
 * whatever the project's code is and without resolving a branch; any other task those of its code source
 * (a repository's for the commit's branch, a wasm hash's). So a project's profile is injected into that
 * project's runs only, and a repository's or wasm hash's profile not into a project's run of that code.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExecutionProjectSecretsTest {
    private static final String TOKEN = "project-secrets-worker-token-0123456";
    private static final String OUTLAYER = "outlayer.test.near";
    private static final String OWNER = "alice.test.near";
    private static final String API_KEY = "test-api-key-123"; // alice.test.near's (feeders/api-keys.csv)
    private static final String REPO = "github.com/alice/env_json";
    private static final String SHA = "6161616161616161616161616161616161616161";
    private static final String PAYMENT_KEY = "7c".repeat(32);
    private static final String LIMITS = "{\"max_instructions\":100000000,\"max_execution_seconds\":5}";

    private final AtomicLong nonce = new AtomicLong(1000);

    @TempDir
    static Path dir;

    private FakeGitHub github;
    private LifecycleClient client;
    private String env;
    private String agent;
    private String other;
    private String gh;

    @BeforeAll
    void start() throws Exception {
        github = FakeGitHub.start();
        TargetOptions options = LifecycleClient.fastBlocks(1);
        LifecycleClient.withKeystore(options, dir.resolve("ks"));
        options.githubApiUrl = github.url();
        options.workerToken = TOKEN;
        client = new LifecycleClient(options).outcomesOnceExecuted();
        env = client.upload("env_json");
        String user = client.user.signerId();
        agent = user + "/agent";
        other = user + "/other";
        gh = user + "/gh";
        for (String name : List.of("agent", "other")) {
            createProject(name, "{\"WasmUrl\":{\"url\":\"https://example.org/env.wasm\",\"hash\":\"" + env + "\"}}");
        }
        createProject(
                "gh",
                "{\"GitHub\":{\"repo\":\"" + REPO + "\",\"commit\":\"" + SHA
                        + "\",\"build_target\":\"wasm32-wasip1\"}}");

        store("proj", project(agent), "{\"PROJECT_SECRET\":\"agent-only\"}");
        store("ghproj", project(gh), "{\"GH_PROJECT_SECRET\":\"gh-only\"}");
        store("byhash", JsonCodec.object().put("type", "WasmHash").put("hash", env), "{\"HASH_SECRET\":\"this-wasm\"}");
        ObjectNode repo = JsonCodec.object().put("type", "Repo").put("repo", REPO);
        repo.putNull("branch");
        store("byrepo", repo, "{\"REPO_SECRET\":\"every-branch\"}");
    }

    @AfterAll
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        github.close();
    }

    /** The client's user signs a call of the OutLayer contract (0.01 NEAR attached); its final outcome. */
    private JsonNode call(String method, String args) throws Exception {
        return client.signed(client.user, nonce.incrementAndGet(), OUTLAYER, method, args, LifecycleClient.DEPOSIT);
    }

    private void createProject(String name, String source) throws Exception {
        JsonNode created = call("create_project", "{\"name\":\"" + name + "\",\"source\":" + source + "}");
        assertThat(created.path("status").has("SuccessValue"))
                .as(created.toString())
                .isTrue();
    }

    private static ObjectNode project(String projectId) {
        return JsonCodec.object().put("type", "Project").put("project_id", projectId);
    }

    /** alice's profile {@code profile} under {@code accessor}, readable by everyone. */
    private void store(String profile, ObjectNode accessor, String secrets) throws Exception {
        ExecutionSecretsTest.storeProfile(
                client, API_KEY, OWNER, profile, accessor, JsonCodec.MAPPER.readTree("\"AllowAll\""), secrets);
    }

    private static String secretsRef(String profile) {
        return "{\"profile\":\"" + profile + "\",\"account_id\":\"" + OWNER + "\"}";
    }

    /** The environment env_json printed for request_execution of {@code source} naming alice's {@code profile}. */
    private JsonNode onChain(String source, String profile) throws Exception {
        JsonNode outcome = call(
                "request_execution",
                "{\"source\":" + source + ",\"resource_limits\":" + LIMITS + ",\"input_data\":\"{}\",\"secrets_ref\":"
                        + secretsRef(profile) + ",\"response_format\":\"Json\"}");
        assertThat(outcome.path("status").has("SuccessValue"))
                .as("the run succeeded: %s", outcome)
                .isTrue();
        return JsonCodec.MAPPER.readTree(Base64.getDecoder()
                .decode(outcome.path("status").path("SuccessValue").asText()));
    }

    private static String projectSource(String projectId) {
        return "{\"Project\":{\"project_id\":\"" + projectId + "\"}}";
    }

    @Test
    void aProjectsProfileIsInjectedIntoItsOnChainRunsOnly() throws Exception {
        JsonNode ran = onChain(projectSource(agent), "proj");
        assertThat(ran.path("PROJECT_SECRET").asText()).as("%s", ran).isEqualTo("agent-only");
        assertThat(ran.path("OUTLAYER_PROJECT_ID").asText()).isEqualTo(agent);

        assertThat(onChain(projectSource(other), "proj").has("PROJECT_SECRET"))
                .as("another project of the same code: no profile of it, the program runs without")
                .isFalse();
        String wasmUrl = "{\"WasmUrl\":{\"url\":\"https://example.org/env.wasm\",\"hash\":\"" + env
                + "\",\"build_target\":\"wasm32-wasip1\"}}";
        assertThat(onChain(wasmUrl, "proj").has("PROJECT_SECRET"))
                .as("the project's code requested by its hash: no project, its hash's profile is asked for")
                .isFalse();

        assertThat(onChain(wasmUrl, "byhash").path("HASH_SECRET").asText())
                .as("a WasmUrl request: its wasm hash's profile, as before")
                .isEqualTo("this-wasm");
        assertThat(onChain(projectSource(agent), "byhash").has("HASH_SECRET"))
                .as("a project's run of that wasm asks for the project's profile, not the hash's")
                .isFalse();
    }

    @Test
    void aGitHubProjectsRunAsksForTheProjectsProfileAndNoBranch() throws Exception {
        int before = github.calls().size();
        assertThat(onChain(projectSource(gh), "ghproj")
                        .path("GH_PROJECT_SECRET")
                        .asText())
                .isEqualTo("gh-only");
        assertThat(onChain(projectSource(gh), "byrepo").has("REPO_SECRET"))
                .as("a project's run of a repository asks for the project's profile, not the repository's")
                .isFalse();
        assertThat(github.calls())
                .as("no branch is resolved for a project's run, though its commit is a SHA")
                .hasSize(before);

        String direct =
                "{\"GitHub\":{\"repo\":\"" + REPO + "\",\"commit\":\"main\",\"build_target\":\"wasm32-wasip1\"}}";
        assertThat(onChain(direct, "byrepo").path("REPO_SECRET").asText())
                .as("the repository requested as a GitHub source: its profile, as before")
                .isEqualTo("every-branch");
    }

    private List<String> fundedKey;

    /** alice's payment key, stored in the keystore (System scope, nonce 9) and funded, for every project. */
    private synchronized List<String> paymentKey() throws Exception {
        if (fundedKey == null) {
            fundedKey = ExecutionSecretsTest.fundedPaymentKey(client, API_KEY, OWNER, 9, PAYMENT_KEY, "100000", TOKEN);
        }
        return fundedKey;
    }

    @Test
    void anHttpsCallOfAProjectGetsThatProjectsProfile() throws Exception {
        List<String> key = paymentKey();

        JsonNode called = client.send(
                "POST", "/call/" + agent, "{\"input\":{},\"secrets_ref\":" + secretsRef("proj") + "}", key, 200);
        assertThat(called.path("status").asText()).as("%s", called).isEqualTo("completed");
        assertThat(called.path("output").path("PROJECT_SECRET").asText()).isEqualTo("agent-only");

        JsonNode another = client.send(
                "POST", "/call/" + other, "{\"input\":{},\"secrets_ref\":" + secretsRef("proj") + "}", key, 200);
        assertThat(another.path("status").asText()).as("%s", another).isEqualTo("completed");
        assertThat(another.path("output").has("PROJECT_SECRET"))
                .as("another project's call: no profile of it, the program runs without")
                .isFalse();
        assertThat(another.path("output").path("OUTLAYER_PROJECT_ID").asText()).isEqualTo(other);

        JsonNode byHash = client.send(
                "POST", "/call/" + agent, "{\"input\":{},\"secrets_ref\":" + secretsRef("byhash") + "}", key, 200);
        assertThat(byHash.path("output").has("HASH_SECRET"))
                .as("an HTTPS call of a project asks for the project's profile, not its wasm hash's")
                .isFalse();
        assertThat(byHash.path("output").path("OUTLAYER_PROJECT_ID").asText()).isEqualTo(agent);
    }

    /**
     * Over HTTPS no contract relays the call: OutLayer's worker sends the payer (the payment key's owner)
     * as the calling account, so there {@code Predecessor{X}} is {@code X} judged on the payer.
     */
    @Test
    void anHttpsCallsCallingAccountIsThePayer() throws Exception {
        List<String> key = paymentKey();
        ExecutionSecretsTest.storeProfile(
                client,
                API_KEY,
                OWNER,
                "payer",
                project(agent),
                JsonCodec.MAPPER.readTree(
                        "{\"Predecessor\":{\"condition\":{\"Whitelist\":{\"accounts\":[\"" + OWNER + "\"]}}}}"),
                "{\"PAYER_SECRET\":\"paid-by-alice\"}");
        ExecutionSecretsTest.storeProfile(
                client,
                API_KEY,
                OWNER,
                "relay-only",
                project(agent),
                JsonCodec.MAPPER.readTree(
                        "{\"Predecessor\":{\"condition\":{\"Whitelist\":{\"accounts\":[\"relay.test.near\"]}}}}"),
                "{\"RELAY_SECRET\":\"not-over-https\"}");

        JsonNode paid = client.send(
                "POST", "/call/" + agent, "{\"input\":{},\"secrets_ref\":" + secretsRef("payer") + "}", key, 200);
        assertThat(paid.path("status").asText()).as("%s", paid).isEqualTo("completed");
        assertThat(paid.path("output").path("PAYER_SECRET").asText()).isEqualTo("paid-by-alice");

        var relayOnly = client.send(
                "POST", "/call/" + agent, "{\"input\":{},\"secrets_ref\":" + secretsRef("relay-only") + "}", key);
        assertThat(relayOnly.body())
                .as("no contract stood between the payer and the call")
                .contains("Access denied by access condition")
                .doesNotContain("not-over-https");
    }

    /**
     * OutLayer's newest coordinator refuses at its door a reference no row of the contract could match
     * (call.rs, well_formed_secrets_ref): 400 {@code {"error":"invalid_secrets_ref","message":<the
     * rule in the worker's words>}}, with no rate window counted, nothing reserved, no call and no
     * job. A shape serde refuses (a missing, null or non-string half) is axum's 422; an extra member
     * is ignored.
     */
    @Test
    void anHttpsCallNamingSecretsNoRowCouldHoldIsRefusedAtTheDoorAndChangesNothing() throws Exception {
        List<String> key = paymentKey();
        ExecutionSecretsTest.KeyState before = ExecutionSecretsTest.KeyState.of(client, OWNER, 9);

        String profileRule = "secrets_ref.profile must be 1–64 bytes of letters, digits, '-' or '_' (";
        String profileEnd = "); the contract stores no such profile";
        String accountEnd = " is not a NEAR account id (2–64 lowercase letters, digits, '_', '-', '.'); no secret can"
                + " be stored under it";
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put(
                "{\"profile\":\"sec/../author\",\"account_id\":\"" + OWNER + "\"}",
                profileRule + "it contains '/'" + profileEnd);
        refused.put(
                "{\"profile\":\"   \",\"account_id\":\"" + OWNER + "\"}", profileRule + "it contains ' '" + profileEnd);
        refused.put("{\"profile\":\"\",\"account_id\":\"\"}", profileRule + "got 0 bytes" + profileEnd);
        refused.put(
                "{\"profile\":\"" + "p".repeat(10_240) + "\",\"account_id\":\"" + OWNER + "\"}",
                profileRule + "got 10240 bytes" + profileEnd);
        refused.put(
                "{\"profile\":\"proj\",\"account_id\":\"Alice.Test.Near\"}",
                "secrets_ref.account_id \"Alice.Test.Near\"" + accountEnd);
        refused.put(
                "{\"profile\":\"proj\",\"account_id\":\"" + OWNER + ":proj\"}",
                "secrets_ref.account_id \"" + OWNER + ":proj\"" + accountEnd);
        for (Map.Entry<String, String> bad : refused.entrySet()) {
            for (String async : List.of("false", "true")) {
                HttpResponse<String> answer = client.send(
                        "POST",
                        "/call/" + agent,
                        "{\"input\":{},\"async\":" + async + ",\"secrets_ref\":" + bad.getKey() + "}",
                        key);
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
                JsonNode body = JsonCodec.MAPPER.readTree(answer.body());
                assertThat(body.path("error").asText()).isEqualTo("invalid_secrets_ref");
                assertThat(body.path("message").asText()).isEqualTo(bad.getValue());
                assertThat(body.size())
                        .as("OutLayer's coded error: error and message only")
                        .isEqualTo(2);
            }
        }
        // the door's order: a missing payment key is still the key's refusal, not the reference's
        HttpResponse<String> noKey = client.send(
                "POST",
                "/call/" + agent,
                "{\"input\":{},\"secrets_ref\":{\"profile\":\"a/b\",\"account_id\":\"" + OWNER + "\"}}",
                List.of());
        assertThat(noKey.statusCode()).as(noKey.body()).isEqualTo(401);
        // serde's shapes: a half missing, null or not a string is axum's 422
        for (String shape : List.of(
                "{\"account_id\":\"" + OWNER + "\"}",
                "{\"profile\":null,\"account_id\":\"" + OWNER + "\"}",
                "{\"profile\":\"proj\",\"account_id\":42}")) {
            HttpResponse<String> answer =
                    client.send("POST", "/call/" + agent, "{\"input\":{},\"secrets_ref\":" + shape + "}", key);
            assertThat(answer.statusCode()).as(shape + " " + answer.body()).isEqualTo(422);
        }

        before.assertUnchanged(client, OWNER, 9);

        // well formed: passes the door, and an extra member beside it is ignored
        JsonNode extra = client.send(
                "POST",
                "/call/" + agent,
                "{\"input\":{},\"secrets_ref\":{\"profile\":\"proj\",\"account_id\":\"" + OWNER + "\",\"extra\":1}}",
                key,
                200);
        assertThat(extra.path("status").asText()).as("%s", extra).isEqualTo("completed");
        assertThat(extra.path("output").path("PROJECT_SECRET").asText()).isEqualTo("agent-only");
    }
}
