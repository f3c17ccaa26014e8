package dev.outlayer.bench.targetsystem;

import static dev.outlayer.bench.targetsystem.KeystoreUserSecretsUpdateTest.WORKER_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program's persistent storage as OutLayer's worker keeps it, across the two services: the keystore
 * seals the key and value ({@code /storage/encrypt}), the coordinator stores the sealed bytes ({@code
 * /storage/set}, as serde's number arrays) and gives them back ({@code /storage/get}), and the keystore
 * opens them ({@code /storage/decrypt}) to the plaintext stored. Each half has its own tests; this one
 * checks that what one answers is what the other takes.
 */
class WorkerStorageRoundTripTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String PROJECT_UUID = "0b6a3f52-6d1e-4c55-9a59-2f4f9a7e3c11";
    private static final String WASM_HASH = "9c".repeat(32);
    private static final String ACCOUNT = "player.test.near";

    private static JsonNode post(String url, ObjectNode body) throws Exception {
        HttpResponse<String> answer = HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + WORKER_TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(url + ": " + answer.body()).isEqualTo(200);
        return answer.body().isEmpty() ? null : JsonCodec.MAPPER.readTree(answer.body());
    }

    private static ObjectNode slot() {
        return JsonCodec.object()
                .put("project_uuid", PROJECT_UUID)
                .put("wasm_hash", WASM_HASH)
                .put("account_id", ACCOUNT);
    }

    /** serde's {@code Vec<u8>}: each byte a number from 0 to 255. */
    private static JsonNode numbers(String base64) {
        var array = JsonCodec.MAPPER.createArrayNode();
        for (byte b : Base64.getDecoder().decode(base64)) {
            array.add(b & 0xff);
        }
        return array;
    }

    private static String base64(JsonNode numbers) {
        byte[] bytes = new byte[numbers.size()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) numbers.get(i).asInt();
        }
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Test
    void anEntrySealedByTheKeystoreIsStoredByTheCoordinatorAndOpensToWhatWasStored(@TempDir Path dir) throws Exception {
        TargetOptions options = KeystoreUserSecretsUpdateTest.options(
                dir, "--components", "coordinator,keystore,rpc", "--rpc-port", "0", "--worker-token", WORKER_TOKEN);
        try (TargetSystem system = TargetSystem.start(options)) {
            String value = Base64.getEncoder().encodeToString("{\"count\":7}".getBytes(StandardCharsets.UTF_8));
            JsonNode sealed = post(
                    system.keystoreUrl() + "/storage/encrypt",
                    slot().put("key", "counter").put("value_base64", value));
            assertThat(new String(
                            Base64.getDecoder()
                                    .decode(sealed.path("encrypted_value_base64")
                                            .asText()),
                            StandardCharsets.ISO_8859_1))
                    .as("sealed")
                    .doesNotContain("count");

            ObjectNode set = slot().put("key_hash", sealed.path("key_hash").asText());
            set.set("encrypted_key", numbers(sealed.path("encrypted_key_base64").asText()));
            set.set(
                    "encrypted_value",
                    numbers(sealed.path("encrypted_value_base64").asText()));
            post(system.coordinatorUrl() + "/storage/set", set);

            ObjectNode get = JsonCodec.object()
                    .put("project_uuid", PROJECT_UUID)
                    .put("account_id", ACCOUNT)
                    .put("key_hash", sealed.path("key_hash").asText());
            JsonNode stored = post(system.coordinatorUrl() + "/storage/get", get);
            assertThat(stored.path("exists").asBoolean()).isTrue();
            assertThat(stored.path("wasm_hash").asText()).isEqualTo(WASM_HASH);

            JsonNode opened = post(
                    system.keystoreUrl() + "/storage/decrypt",
                    slot().put("encrypted_key_base64", base64(stored.path("encrypted_key")))
                            .put("encrypted_value_base64", base64(stored.path("encrypted_value"))));
            assertThat(opened.path("key").asText()).isEqualTo("counter");
            assertThat(opened.path("value_base64").asText()).isEqualTo(value);
        }
    }
}
