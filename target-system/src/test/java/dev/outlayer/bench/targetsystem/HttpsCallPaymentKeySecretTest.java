package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.keystore.Ecies;
import dev.outlayer.bench.targetsystem.payments.PaymentKeys;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A payment key created as OutLayer's are: its owner encrypts the key with its metadata to the
 * keystore's System (payment_key) scope for the nonce and stores it; the coordinator then knows
 * the key by its hash with balance 0 (OutLayer's init after the store_secrets event), a top-up funds
 * it, and deleting the secret deletes the key.
 */
class HttpsCallPaymentKeySecretTest {
    private static final String TOKEN = "payment-key-secret-worker-token-01234";
    private static final String API_KEY = "test-api-key-123"; // alice.test.near's (feeders/api-keys.csv)
    private static final String OWNER = "alice.test.near";
    private static final String KEY = "3e".repeat(32);

    @TempDir
    Path dir;

    private static HttpResponse<String> send(String method, String url, JsonNode body, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body.toString()));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return LifecycleClient.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> storeSecret(LifecycleClient client, String nonce, String plaintext)
            throws Exception {
        ObjectNode accessor = JsonCodec.object().put("type", "System").put("secret_type", "payment_key");
        ObjectNode keyRequest = JsonCodec.object().put("owner", OWNER).put("profile", nonce);
        keyRequest.set("accessor", accessor);
        HttpResponse<String> pubkey = send("POST", client.system.keystoreUrl() + "/pubkey", keyRequest);
        assertThat(pubkey.statusCode()).as(pubkey.body()).isEqualTo(200);
        String hex = JsonCodec.MAPPER.readTree(pubkey.body()).path("pubkey").asText();
        ObjectNode store = JsonCodec.object()
                .put(
                        "encrypted_secrets_base64",
                        Base64.getEncoder()
                                .encodeToString(Ecies.encrypt(
                                        HexFormat.of().parseHex(hex), plaintext.getBytes(StandardCharsets.UTF_8))));
        store.set("accessor", accessor);
        store.set("access", JsonCodec.MAPPER.readTree("\"AllowAll\""));
        return send(
                "PUT", client.system.keystoreUrl() + "/secrets/" + OWNER + "/" + nonce, store, "X-API-Key", API_KEY);
    }

    @Test
    void aKeyStoredInTheKeystoreIsKnownToTheCoordinatorFundedByATopUpAndGoneWhenDeleted() throws Exception {
        TargetOptions options = LifecycleClient.fastBlocks(1);
        LifecycleClient.withKeystore(options, dir.resolve("ks"));
        options.workerToken = TOKEN;
        try (LifecycleClient client = new LifecycleClient(options)) {
            String echo = client.upload("echo_json");
            JsonNode created = HttpsCallEndToEndTest.createProject(client, 1, "keyed", echo);
            assertThat(created.path("status").has("SuccessValue"))
                    .as(created.toString())
                    .isTrue();
            String project = client.system.coordinatorUrl() + "/" + client.user.signerId() + "/keyed";
            JsonNode input = JsonCodec.MAPPER.readTree("{\"input\":\"hi\"}");
            String header = OWNER + ":5:" + KEY;

            HttpResponse<String> envStyle = storeSecret(client, "6", "{\"API_KEY\":\"v\"}");
            assertThat(envStyle.statusCode()).as(envStyle.body()).isEqualTo(400);
            HttpResponse<String> notANonce = storeSecret(client, "five", "{\"key\":\"" + KEY + "\"}");
            assertThat(notANonce.statusCode()).as(notANonce.body()).isEqualTo(400);
            assertThat(send("POST", project, input, "X-Payment-Key", header).statusCode())
                    .as("no key yet")
                    .isEqualTo(401);

            HttpResponse<String> stored = storeSecret(
                    client,
                    "5",
                    "{\"key\":\"" + KEY + "\",\"project_ids\":[\"" + client.user.signerId()
                            + "/keyed\"],\"max_per_call\":null,\"initial_balance\":\"0\"}");
            assertThat(stored.statusCode()).as(stored.body()).isBetween(200, 201);
            HttpResponse<String> unfunded = send("POST", project, input, "X-Payment-Key", header);
            assertThat(unfunded.statusCode()).as(unfunded.body()).isEqualTo(402);
            assertThat(unfunded.body()).contains("Insufficient balance: available=0, required=10000");

            ObjectNode topUp = JsonCodec.object()
                    .put("owner", OWNER)
                    .put("nonce", 5)
                    .put("new_initial_balance", "20000")
                    .put("amount", "20000")
                    .put("key_hash", PaymentKeys.keyHash(KEY));
            topUp.putArray("project_ids").add(client.user.signerId() + "/keyed");
            HttpResponse<String> funded = send(
                    "POST",
                    client.system.coordinatorUrl() + "/topup/complete",
                    topUp,
                    "Authorization",
                    "Bearer " + TOKEN);
            assertThat(funded.statusCode()).as(funded.body()).isEqualTo(200);
            HttpResponse<String> ran = send("POST", project, input, "X-Payment-Key", header);
            assertThat(ran.statusCode()).as(ran.body()).isEqualTo(200);
            JsonNode answer = JsonCodec.MAPPER.readTree(ran.body());
            assertThat(answer.path("status").asText()).isEqualTo("completed");
            assertThat(answer.path("output").path("input").asText()).isEqualTo("hi");

            HttpResponse<String> deleted = send(
                    "DELETE", client.system.keystoreUrl() + "/secrets/" + OWNER + "/5", null, "X-API-Key", API_KEY);
            assertThat(deleted.statusCode()).as(deleted.body()).isBetween(200, 204);
            assertThat(send("POST", project, input, "X-Payment-Key", header).statusCode())
                    .as("a deleted key is no key")
                    .isEqualTo(401);
        }
    }
}
