package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.executions.Job;
import dev.outlayer.bench.targetsystem.executions.JobStatus;
import dev.outlayer.bench.targetsystem.executions.JobType;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.keystore.Ecies;
import dev.outlayer.bench.targetsystem.payments.PaymentKeys;
import dev.outlayer.bench.targetsystem.testing.HangGuard;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request's secrets as OutLayer's worker treats them (main.rs handle_execute_job,
 * report_refusal, secrets_failure_category; keystore_client.rs): a profile that does not exist
 * is no secrets, a refused access condition is access_denied with the keystore's own sentence,
 * a keystore that cannot be asked fails the request without naming where it is.
 */
class ExecutionSecretsTest {
    @TempDir
    Path dir;

    private static String args(String hash, String profile, String owner) {
        return "{\"source\":{\"WasmUrl\":{\"url\":\"https://example.org/p.wasm\",\"hash\":\"" + hash
                + "\",\"build_target\":\"wasm32-wasip1\"}},\"resource_limits\":{\"max_instructions\":100000000,"
                + "\"max_execution_seconds\":5},\"input_data\":\"{}\",\"secrets_ref\":{\"profile\":\"" + profile
                + "\",\"account_id\":\"" + owner + "\"},\"response_format\":\"Json\"}";
    }

    /**
     * The request's execute job once its worker recorded how it ended. The callback can run before that,
     * and the event monitor then records the end from the callback as {@code failed} (the chain keeps no
     * category: ChainResolutions.outcomeOf) until the worker's own report replaces it.
     */
    static Job execute(LifecycleClient client, JsonNode outcome) throws Exception {
        long requestId = client.requestIdOf(outcome);
        Callable<Optional<Job>> job = () -> client.system.executions().store().jobs(requestId).stream()
                .filter(j -> j.jobType() == JobType.EXECUTE)
                .findFirst();
        HangGuard.until(() -> client.system.executions().phases().resolutionRecordedFor(requestId)
                && job.call().filter(j -> j.status() != JobStatus.IN_PROGRESS).isPresent());
        return job.call().orElseThrow();
    }

    @Test
    void aMissingProfileRunsWithoutSecretsAndARefusedOneIsAccessDenied() throws Exception {
        TargetOptions options = LifecycleClient.fastBlocks(1);
        LifecycleClient.withKeystore(options, dir.resolve("ks"));
        try (LifecycleClient client = new LifecycleClient(options)) {
            String echo = client.upload("echo_json");

            JsonNode noProfile =
                    client.finalOutcome(client.requestExecutionWith(args(echo, "missing", "alice.test.near")));
            JsonNode ran = LifecycleClient.completedEvent(noProfile);
            assertThat(ran.path("success").asBoolean())
                    .as("OutLayer: no such secret is not fatal, the module runs without: %s", ran)
                    .isTrue();

            // alice's secrets for this wasm, readable by bob only
            storeProfile(
                    client,
                    "test-api-key-123",
                    "alice.test.near",
                    "bobs",
                    JsonCodec.object().put("type", "WasmHash").put("hash", echo),
                    JsonCodec.MAPPER.readTree("{\"Whitelist\":{\"accounts\":[\"bob.test.near\"]}}"),
                    "{\"API_KEY\":\"s3cret\"}");

            JsonNode refused = client.finalOutcome(client.requestExecutionWith(args(echo, "bobs", "alice.test.near")));
            JsonNode event = LifecycleClient.completedEvent(refused);
            assertThat(event.path("success").asBoolean(true)).isFalse();
            assertThat(event.path("error_message").asText())
                    .endsWith(". Check the access conditions configured by the secret owner.")
                    .doesNotContain("secrets could not be fetched");
            assertThat(event.path("resources_used").path("time_ms").asLong())
                    .as("nothing ran")
                    .isZero();
            Job job = execute(client, refused);
            assertThat(job.errorCategory()).isEqualTo("access_denied");
        }
    }

    @Test
    void aKeystoreThatCannotBeAskedFailsTheRequestWithoutItsAddress() throws Exception {
        TargetOptions options = LifecycleClient.fastBlocks(1);
        options.keystoreUrl = "http://127.0.0.1:9"; // nothing listens
        try (LifecycleClient client = new LifecycleClient(options)) {
            String echo = client.upload("echo_json");
            JsonNode outcome = client.finalOutcome(client.requestExecutionWith(args(echo, "any", "alice.test.near")));
            JsonNode event = LifecycleClient.completedEvent(outcome);
            assertThat(event.path("success").asBoolean(true)).isFalse();
            assertThat(event.path("error_message").asText())
                    .isEqualTo("Secrets decryption failed: the keystore is unavailable")
                    .doesNotContain("127.0.0.1");
            assertThat(execute(client, outcome).errorCategory()).isEqualTo("failed");
        }
    }

    /**
     * Stores {@code owner}'s profile under {@code accessor} as a dashboard does: the keystore's key for the
     * scope ({@code POST /pubkey} with the profile's name), the variables encrypted to it, {@code PUT
     * /secrets/{owner}/{profile}} with the owner's API key.
     */
    static void storeProfile(
            LifecycleClient client,
            String apiKey,
            String owner,
            String profile,
            ObjectNode accessor,
            JsonNode access,
            String secretsJson)
            throws Exception {
        ObjectNode keyRequest = JsonCodec.object().put("owner", owner).put("profile", profile);
        keyRequest.set("accessor", accessor);
        String pubkey = JsonCodec.MAPPER
                .readTree(send("POST", client.system.keystoreUrl() + "/pubkey", null, keyRequest))
                .path("pubkey")
                .asText();
        ObjectNode store = JsonCodec.object()
                .put(
                        "encrypted_secrets_base64",
                        Base64.getEncoder()
                                .encodeToString(Ecies.encrypt(
                                        HexFormat.of().parseHex(pubkey),
                                        secretsJson.getBytes(StandardCharsets.UTF_8))));
        store.set("accessor", accessor);
        store.set("access", access);
        send("PUT", client.system.keystoreUrl() + "/secrets/" + owner + "/" + profile, apiKey, store);
    }

    /**
     * {@code owner}'s payment key {@code key} at {@code nonce}, for every project: stored in the keystore (System
     * scope, as its owner stores one) with {@code apiKey}, then funded with {@code amount} through the worker's
     * {@code POST /topup/complete} ({@code workerToken}). Returns the call's {@code X-Payment-Key} header.
     */
    static List<String> fundedPaymentKey(
            LifecycleClient client,
            String apiKey,
            String owner,
            int nonce,
            String key,
            String amount,
            String workerToken)
            throws Exception {
        ObjectNode system = JsonCodec.object().put("type", "System").put("secret_type", "payment_key");
        storeProfile(
                client,
                apiKey,
                owner,
                String.valueOf(nonce),
                system,
                JsonCodec.MAPPER.readTree("\"AllowAll\""),
                "{\"key\":\"" + key + "\",\"project_ids\":[],\"max_per_call\":null,\"initial_balance\":\"0\"}");
        ObjectNode topUp = JsonCodec.object()
                .put("owner", owner)
                .put("nonce", nonce)
                .put("new_initial_balance", amount)
                .put("amount", amount)
                .put("key_hash", PaymentKeys.keyHash(key));
        topUp.putArray("project_ids");
        client.send(
                "POST", "/topup/complete", topUp.toString(), List.of("Authorization", "Bearer " + workerToken), 200);
        return List.of("X-Payment-Key", owner + ":" + nonce + ":" + key);
    }

    /**
     * What a refused HTTPS call must leave as it found: the key's balance and usage (OutLayer's public routes) and
     * {@code /public/stats}'s job counts.
     */
    record KeyState(JsonNode balance, JsonNode usage, JsonNode stats) {
        static KeyState of(LifecycleClient client, String owner, int nonce) throws Exception {
            String key = "/public/payment-keys/" + owner + "/" + nonce;
            return new KeyState(
                    client.send("GET", key + "/balance", null, List.of(), 200),
                    client.send("GET", key + "/usage", null, List.of(), 200),
                    client.send("GET", "/public/stats", null, List.of(), 200));
        }

        void assertUnchanged(LifecycleClient client, String owner, int nonce) throws Exception {
            KeyState now = of(client, owner, nonce);
            assertThat(now.balance).as("nothing spent or reserved").isEqualTo(balance);
            assertThat(now.usage).as("no call recorded").isEqualTo(usage);
            assertThat(now.stats).as("no job").isEqualTo(stats);
        }
    }

    /** A keystore call that must succeed (200 or 201); its body. */
    static String send(String method, String url, String apiKey, JsonNode body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        HttpResponse<String> response =
                LifecycleClient.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
        return response.body();
    }
}
