package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.contracts.TestContracts;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secret locked to a calling account over the real worker path: OutLayer's worker sends the
 * predecessor the contract's event names ({@code predecessor_id}) with every decrypt, and the keystore
 * judges a {@code Predecessor} leaf against it rather than the signer. The owner signs both runs; one
 * calls OutLayer's contract directly, one through a relay contract (relay.wat), which is then the
 * predecessor: the secret locked to the relay is injected into the relayed run only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExecutionPredecessorSecretsTest {
    private static final String OUTLAYER = "outlayer.test.near";
    private static final String RELAY = "relay.test.near";
    private static final String OWNER = "alice.test.near";
    private static final String API_KEY = "test-api-key-123"; // alice.test.near's (feeders/api-keys.csv)
    private static final String LIMITS = "{\"max_instructions\":100000000,\"max_execution_seconds\":5}";

    private final AtomicLong nonce = new AtomicLong(3000);

    @TempDir
    static Path dir;

    private LifecycleClient client;
    private String project;

    @BeforeAll
    void start() throws Exception {
        TargetOptions options = LifecycleClient.fastBlocks(1);
        LifecycleClient.withKeystore(options, dir.resolve("ks"));
        client = new LifecycleClient(options);
        String wasm = client.upload("env_json");
        client.system.contracts().deploy(RELAY, TestContracts.wasm("relay"));
        project = client.user.signerId() + "/relayed";
        JsonNode created = call(
                OUTLAYER,
                "create_project",
                "{\"name\":\"relayed\",\"source\":{\"WasmUrl\":{\"url\":\"https://example.org/v1.wasm\",\"hash\":\""
                        + wasm + "\"}}}");
        assertThat(created.path("status").has("SuccessValue"))
                .as(created.toString())
                .isTrue();
        ObjectNode accessor = JsonCodec.object().put("type", "Project").put("project_id", project);
        ExecutionSecretsTest.storeProfile(
                client,
                API_KEY,
                OWNER,
                "relayed",
                accessor,
                JsonCodec.MAPPER.readTree(
                        "{\"Predecessor\":{\"condition\":{\"Whitelist\":{\"accounts\":[\"" + RELAY + "\"]}}}}"),
                "{\"RELAY_SECRET\":\"through-the-relay\"}");
    }

    @AfterAll
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
    }

    private JsonNode call(String receiver, String method, String args) throws Exception {
        return client.signed(client.user, nonce.incrementAndGet(), receiver, method, args, LifecycleClient.DEPOSIT);
    }

    private String requestArgs() {
        return "{\"source\":{\"Project\":{\"project_id\":\"" + project + "\"}},\"resource_limits\":" + LIMITS
                + ",\"input_data\":\"{}\",\"secrets_ref\":{\"profile\":\"relayed\",\"account_id\":\"" + OWNER
                + "\"},\"response_format\":\"Json\"}";
    }

    @Test
    void aSecretLockedToACallingContractIsInjectedIntoARunThatContractRelaysOnly() throws Exception {
        JsonNode relayed = call(RELAY, "relay", requestArgs());
        assertThat(relayed.path("status").has("SuccessValue"))
                .as("the relayed run succeeded: %s", relayed)
                .isTrue();
        JsonNode env = JsonCodec.MAPPER.readTree(Base64.getDecoder()
                .decode(relayed.path("status").path("SuccessValue").asText()));
        assertThat(env.path("RELAY_SECRET").asText())
                .as("the relay called OutLayer, so the secret is the run's: %s", env)
                .isEqualTo("through-the-relay");
        assertThat(env.path("NEAR_PREDECESSOR_ID").asText())
                .as("the run sees the relay as its predecessor too")
                .isEqualTo(RELAY);

        JsonNode direct = call(OUTLAYER, "request_execution", requestArgs());
        JsonNode event = LifecycleClient.completedEvent(direct);
        assertThat(event.path("success").asBoolean(true))
                .as("the same signer calling directly is refused the secret: %s", event)
                .isFalse();
        assertThat(event.path("error_message").asText())
                .as("the keystore's sentence names the run's two accounts (OutLayer's types.rs denial_message_in)")
                .isEqualTo("Access denied by access condition \u2014 signer " + client.user.signerId()
                        + ", called from " + client.user.signerId()
                        + ". Check the access conditions configured by the secret owner.");
        assertThat(ExecutionSecretsTest.execute(client, direct).errorCategory()).isEqualTo("access_denied");
    }
}
