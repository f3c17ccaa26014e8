package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.linux.TestPrograms;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secret locked to one build over the real worker path: OutLayer's worker sends the SHA-256 it
 * measured on the module it runs ({@code executed_wasm_sha256}) with every decrypt (worker main.rs
 * {@code handle_execute_job}), and the keystore judges a {@code WasmHash} leaf against it. A project's
 * profile, shared by every version, locked to version 1's wasm: injected into a run of version 1,
 * refused for version 2 (another wasm that behaves the same), access_denied with the keystore's sentence.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExecutionWasmHashSecretsTest {
    private static final String OUTLAYER = "outlayer.test.near";
    private static final String OWNER = "alice.test.near";
    private static final String API_KEY = "test-api-key-123"; // alice.test.near's (feeders/api-keys.csv)
    private static final String LIMITS = "{\"max_instructions\":100000000,\"max_execution_seconds\":5}";

    private final AtomicLong nonce = new AtomicLong(2000);

    @TempDir
    static Path dir;

    private LifecycleClient client;
    private String v1;
    private String v2;
    private String project;

    @BeforeAll
    void start() throws Exception {
        TargetOptions options = LifecycleClient.fastBlocks(1);
        LifecycleClient.withKeystore(options, dir.resolve("ks"));
        client = new LifecycleClient(options);
        v1 = client.upload("env_json");
        v2 = uploadRebuilt("env_json_rebuilt", TestPrograms.wasm("env_json"));
        assertThat(v2).as("the rebuild is another wasm").isNotEqualTo(v1);
        project = client.user.signerId() + "/locked";
        JsonNode created = call(
                "create_project",
                "{\"name\":\"locked\",\"source\":{\"WasmUrl\":{\"url\":\"https://example.org/v1.wasm\",\"hash\":\"" + v1
                        + "\"}}}");
        assertThat(created.path("status").has("SuccessValue"))
                .as(created.toString())
                .isTrue();
        ObjectNode accessor = JsonCodec.object().put("type", "Project").put("project_id", project);
        ExecutionSecretsTest.storeProfile(
                client,
                API_KEY,
                OWNER,
                "build",
                accessor,
                JsonCodec.MAPPER.readTree("{\"WasmHash\":{\"hash\":\"" + v1 + "\"}}"),
                "{\"BUILD_SECRET\":\"v1-only\"}");
    }

    @AfterAll
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
    }

    /**
     * The same program with a custom section appended (id 0, name "rebuilt"): it runs as before, and
     * its bytes, so its SHA-256, are another build's, as a rebuild of the same source may be.
     */
    private String uploadRebuilt(String name, byte[] wasm) throws Exception {
        return client.upload(name, TestPrograms.withCustomSection(wasm, "rebuilt", new byte[0]));
    }

    private JsonNode call(String method, String args) throws Exception {
        return client.signed(client.user, nonce.incrementAndGet(), OUTLAYER, method, args, LifecycleClient.DEPOSIT);
    }

    private JsonNode runProject() throws Exception {
        return call(
                "request_execution",
                "{\"source\":{\"Project\":{\"project_id\":\"" + project + "\"}},\"resource_limits\":" + LIMITS
                        + ",\"input_data\":\"{}\",\"secrets_ref\":{\"profile\":\"build\",\"account_id\":\"" + OWNER
                        + "\"},\"response_format\":\"Json\"}");
    }

    @Test
    void aSecretLockedToABuildIsInjectedIntoThatBuildOnly() throws Exception {
        JsonNode first = runProject();
        assertThat(first.path("status").has("SuccessValue"))
                .as("version 1 ran: %s", first)
                .isTrue();
        JsonNode env = JsonCodec.MAPPER.readTree(Base64.getDecoder()
                .decode(first.path("status").path("SuccessValue").asText()));
        assertThat(env.path("BUILD_SECRET").asText())
                .as("the build the secret is locked to gets it: %s", env)
                .isEqualTo("v1-only");

        JsonNode added = call(
                "add_version",
                "{\"project_name\":\"locked\",\"source\":{\"WasmUrl\":{\"url\":\"https://example.org/v2.wasm\",\"hash\":\""
                        + v2 + "\"}},\"set_active\":true}");
        assertThat(added.path("status").has("SuccessValue"))
                .as(added.toString())
                .isTrue();

        JsonNode second = runProject();
        JsonNode event = LifecycleClient.completedEvent(second);
        assertThat(event.path("success").asBoolean(true))
                .as("the rebuild is refused the secret: %s", event)
                .isFalse();
        assertThat(event.path("error_message").asText())
                .isEqualTo("Access denied by access condition: this secret is locked to build " + v1
                        + " and the running build is " + v2
                        + ". Check the access conditions configured by the secret owner.");
        assertThat(event.path("resources_used").path("time_ms").asLong())
                .as("nothing ran")
                .isZero();
        assertThat(ExecutionSecretsTest.execute(client, second).errorCategory()).isEqualTo("access_denied");
    }
}
