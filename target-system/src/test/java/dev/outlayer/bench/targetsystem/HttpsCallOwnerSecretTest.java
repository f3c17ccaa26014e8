package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.testing.ErrorBodies;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * OutLayer's {@code X-Use-Owner-Secret} (its newest coordinator's {@code agent_secrets_ref}; docs/CONNECTORS.md
 * §4.2): a call naming no {@code secrets_ref} has nothing looked up unless it asks with the header, and then the
 * coordinator builds {@code {account_id: owner, profile: owner}} from the payment key's owner, the row a custody
 * wallet (an implicit account) stored for itself under the project; a body reference wins; a named owner gets
 * nothing built. Through the real routes: the keystore's {@code PUT /secrets}, {@code POST /call}, {@code GET
 * /calls/{id}}, and the in-process worker, whose program prints its environment.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpsCallOwnerSecretTest {
    private static final String TOKEN = "owner-secret-worker-token-01234567";
    private static final String OUTLAYER = "outlayer.test.near";
    private static final String ALICE = "alice.test.near";
    private static final String ALICE_API_KEY = "test-api-key-123";
    /** A custody wallet's account: NEAR-implicit, 64 lowercase hex. */
    private static final String AGENT = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";

    private static final String AGENT_API_KEY = "agent-api-key-0001";
    private static final String AGENT_KEY = "5a".repeat(32);
    private static final String ALICE_KEY = "6b".repeat(32);
    private static final String HEADER = "X-Use-Owner-Secret";

    private final AtomicLong nonce = new AtomicLong(1000);

    @TempDir
    static Path dir;

    private LifecycleClient client;
    private String agentProject;
    private String bareProject;
    private String lockedProject;

    @BeforeAll
    void start() throws Exception {
        Path keys = dir.resolve("api-keys.csv");
        Files.writeString(
                keys,
                "api_key,tier,owner\n" + ALICE_API_KEY + ",standard," + ALICE + "\n" + AGENT_API_KEY + ",standard,"
                        + AGENT + "\n");
        TargetOptions options = LifecycleClient.fastBlocks(1);
        LifecycleClient.withKeystore(options, dir.resolve("ks"));
        options.apiKeysFile = keys;
        options.workerToken = TOKEN;
        client = new LifecycleClient(options);
        String env = client.upload("env_json");
        String user = client.user.signerId();
        for (String name : List.of("agent", "bare", "locked")) {
            JsonNode created = client.signed(
                    client.user,
                    nonce.incrementAndGet(),
                    OUTLAYER,
                    "create_project",
                    "{\"name\":\"" + name + "\",\"source\":{\"WasmUrl\":{\"url\":\"https://example.org/env.wasm\","
                            + "\"hash\":\"" + env + "\"}}}",
                    LifecycleClient.DEPOSIT);
            assertThat(created.path("status").has("SuccessValue"))
                    .as(created.toString())
                    .isTrue();
        }
        agentProject = user + "/agent";
        bareProject = user + "/bare";
        lockedProject = user + "/locked";

        // the agent's own rows, as store_agent_secret leaves them: owner and profile its implicit account, one
        // per project (OutLayer's row is (accessor, profile, owner))
        store(AGENT_API_KEY, AGENT, AGENT, agentProject, "\"AllowAll\"", "{\"AGENT_TOKEN\":\"agents-own\"}");
        store(
                AGENT_API_KEY,
                AGENT,
                AGENT,
                lockedProject,
                "{\"Whitelist\":{\"accounts\":[\"" + ALICE + "\"]}}",
                "{\"AGENT_TOKEN\":\"not-for-the-agent\"}");
        // alice's row, granted to the agent by name: what a body reference names
        store(
                ALICE_API_KEY,
                ALICE,
                "shared",
                agentProject,
                "{\"Whitelist\":{\"accounts\":[\"" + ALICE + "\",\"" + AGENT + "\"]}}",
                "{\"AGENT_TOKEN\":\"from-alices-row\"}");

        fund(AGENT_API_KEY, AGENT, AGENT_KEY);
        fund(ALICE_API_KEY, ALICE, ALICE_KEY);
    }

    @AfterAll
    void stop() {
        if (client != null) {
            client.close();
        }
    }

    private static ObjectNode project(String projectId) {
        return JsonCodec.object().put("type", "Project").put("project_id", projectId);
    }

    private void store(String apiKey, String owner, String profile, String projectId, String access, String secrets)
            throws Exception {
        ExecutionSecretsTest.storeProfile(
                client, apiKey, owner, profile, project(projectId), JsonCodec.MAPPER.readTree(access), secrets);
    }

    /** {@code owner}'s payment key at nonce 1, stored in the keystore for every project and funded. */
    private void fund(String apiKey, String owner, String key) throws Exception {
        ExecutionSecretsTest.fundedPaymentKey(client, apiKey, owner, 1, key, "1000000", TOKEN);
    }

    private static List<String> agentKey(String... more) {
        return headers(AGENT + ":1:" + AGENT_KEY, more);
    }

    private static List<String> headers(String paymentKey, String... more) {
        List<String> headers = new ArrayList<>(List.of("X-Payment-Key", paymentKey));
        headers.addAll(List.of(more));
        return headers;
    }

    /** A sync call's answer, which must be 200 {@code completed}; its output (the program's environment). */
    private JsonNode ran(String projectId, String body, List<String> headers) throws Exception {
        JsonNode called = client.send("POST", "/call/" + projectId, body, headers, 200);
        assertThat(called.path("status").asText()).as("%s", called).isEqualTo("completed");
        return called.path("output");
    }

    @Test
    void withoutTheHeaderNothingIsLookedUp() throws Exception {
        assertThat(ran(agentProject, "{\"input\":{}}", agentKey()).has("AGENT_TOKEN"))
                .as("no header, no body reference: the program runs without secrets")
                .isFalse();
        for (String off : List.of("0", "false", "FALSE")) {
            assertThat(ran(agentProject, "{\"input\":{}}", agentKey(HEADER, off))
                            .has("AGENT_TOKEN"))
                    .as("X-Use-Owner-Secret: %s", off)
                    .isFalse();
        }
    }

    @Test
    void theHeaderBringsTheAgentsOwnRowIntoSyncAndAsyncCalls() throws Exception {
        JsonNode sync = ran(agentProject, "{\"input\":{}}", agentKey(HEADER, "1"));
        assertThat(sync.path("AGENT_TOKEN").asText()).as("%s", sync).isEqualTo("agents-own");
        assertThat(sync.path("NEAR_SENDER_ID").asText()).isEqualTo(AGENT);

        JsonNode pending = client.send(
                "POST", "/call/" + agentProject, "{\"input\":{},\"async\":true}", agentKey(HEADER, "true"), 200);
        assertThat(pending.path("status").asText()).as("%s", pending).isEqualTo("pending");
        JsonNode polled = poll(pending.path("poll_url").asText(), agentKey());
        assertThat(polled.path("status").asText()).as("%s", polled).isEqualTo("completed");
        assertThat(polled.path("output").path("AGENT_TOKEN").asText()).isEqualTo("agents-own");
    }

    /** The answer of {@code GET pollUrl} once the call is no longer pending (backing off to 400 ms). */
    private JsonNode poll(String pollUrl, List<String> key) throws Exception {
        JsonNode result = null;
        for (int i = 0; i < 60; i++) {
            result = client.send("GET", pollUrl, null, key, 200);
            if (!result.path("status").asText().equals("pending")) {
                return result;
            }
            Thread.sleep(Math.min(50L << i, 400));
        }
        return result;
    }

    @Test
    void aBodyReferenceWinsOverTheHeader() throws Exception {
        String body = "{\"input\":{},\"secrets_ref\":{\"profile\":\"shared\",\"account_id\":\"" + ALICE + "\"}}";
        assertThat(ran(agentProject, body, agentKey(HEADER, "1"))
                        .path("AGENT_TOKEN")
                        .asText())
                .as("the body's row, not the agent's own")
                .isEqualTo("from-alices-row");
    }

    @Test
    void anAgentWithNoRowForTheProjectRunsWithoutSecrets() throws Exception {
        JsonNode env = ran(bareProject, "{\"input\":{}}", agentKey(HEADER, "1"));
        assertThat(env.has("AGENT_TOKEN"))
                .as("a row is the project's: the agent's row for another project is not this one's")
                .isFalse();
        assertThat(env.path("OUTLAYER_PROJECT_ID").asText()).isEqualTo(bareProject);
    }

    @Test
    void theRowsConditionIsJudgedOnThePayer() throws Exception {
        JsonNode refused = client.send("POST", "/call/" + lockedProject, "{\"input\":{}}", agentKey(HEADER, "1"), 200);
        assertThat(refused.path("status").asText()).as("%s", refused).isEqualTo("failed");
        assertThat(refused.path("error").asText())
                .as("the agent's own row for this project, whitelisting alice only, does not admit the agent who"
                        + " stored it")
                .contains("Access denied by access condition");
        assertThat(refused.toString()).doesNotContain("not-for-the-agent");
        assertThat(ran(agentProject, "{\"input\":{}}", agentKey(HEADER, "1"))
                        .path("AGENT_TOKEN")
                        .asText())
                .as("its row for another project is another row")
                .isEqualTo("agents-own");
    }

    /**
     * A named account's holder names their rows in the body: for their key the header builds nothing (a reference
     * {alice.test.near, alice.test.near} would not even pass the contract's profile rule, and the call would fail).
     */
    @Test
    void aNamedOwnersKeyHasNothingBuilt() throws Exception {
        JsonNode env = ran(agentProject, "{\"input\":{}}", headers(ALICE + ":1:" + ALICE_KEY, HEADER, "1"));
        assertThat(env.has("AGENT_TOKEN")).isFalse();
        assertThat(env.path("NEAR_SENDER_ID").asText()).isEqualTo(ALICE);
    }

    @Test
    void aHeaderOfAnotherValueIsRefusedAndChangesNothing() throws Exception {
        ExecutionSecretsTest.KeyState before = ExecutionSecretsTest.KeyState.of(client, AGENT, 1);

        String shared = ",\"secrets_ref\":{\"profile\":\"shared\",\"account_id\":\"" + ALICE + "\"}";
        for (String value : List.of("yes", "2", "on")) {
            for (String body :
                    List.of("{\"input\":{}}", "{\"input\":{},\"async\":true}", "{\"input\":{}" + shared + "}")) {
                HttpResponse<String> answer =
                        client.send("POST", "/call/" + agentProject, body, agentKey(HEADER, value));
                assertThat(answer.statusCode())
                        .as(value + " " + body + " " + answer.body())
                        .isEqualTo(400);
                assertThat(ErrorBodies.message(answer.body()))
                        .isEqualTo("Invalid X-Use-Owner-Secret header: 1 or true uses the secrets the payment key's"
                                + " owner stored for itself; 0, false or no header uses none");
            }
        }
        HttpResponse<String> noKey =
                client.send("POST", "/call/" + agentProject, "{\"input\":{}}", List.of(HEADER, "yes"));
        assertThat(noKey.statusCode())
                .as("the payment key is checked first: %s", noKey.body())
                .isEqualTo(401);

        before.assertUnchanged(client, AGENT, 1);
    }
}
