package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.testing.ErrorBodies;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * OutLayer's project storage API through a running coordinator, as OutLayer's worker calls it (its storage
 * client, worker/src/.../storage): the worker token, axum's {@code Json} and {@code Query} refusals, bytes as
 * serde's {@code Vec<u8>} (arrays of numbers), and the public reads of what a program stored unencrypted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProjectStorageApiTest {
    private static final String TOKEN = "storage-api-worker-token-0123456";
    private static final String DATA = "Failed to deserialize the JSON body into the target type: ";
    private static final String V1 = "a".repeat(64);
    private static final String V2 = "b".repeat(64);
    private static final AtomicInteger PROJECTS = new AtomicInteger();

    /** The worker routes whose OutLayer handler takes {@code Json<...>} ({@link OutlayerJsonBodiesTest} has them too). */
    static final List<String> WORKER_JSON_ROUTES = List.of(
            "/storage/set",
            "/storage/set-if-absent",
            "/storage/set-if-equals",
            "/storage/get",
            "/storage/get-by-version",
            "/storage/has",
            "/storage/delete",
            "/storage/clear-all",
            "/storage/clear-version",
            "/storage/clear-project",
            "/storage/get-public");

    private static LifecycleClient client;

    /** The options of the system under test: in memory here, a subclass's store otherwise. */
    protected TargetOptions options() {
        TargetOptions options = LifecycleClient.options(0);
        options.workerToken = TOKEN;
        return options;
    }

    @BeforeAll
    void start() {
        client = new LifecycleClient(options());
    }

    @AfterAll
    void stop() {
        client.close();
    }

    /** A project of the test's own, so that tests sharing the coordinator do not see each other's rows. */
    private static String project() {
        return String.format("p%016x", 0x5700 + PROJECTS.incrementAndGet());
    }

    private static HttpResponse<String> post(String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(client.system.coordinatorUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return LifecycleClient.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return post(path, body, TOKEN);
    }

    private static HttpResponse<String> get(String pathAndQuery, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(client.system.coordinatorUrl() + pathAndQuery))
                .timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return LifecycleClient.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body().isEmpty() ? null : JsonCodec.MAPPER.readTree(response.body());
    }

    private static String set(String project, String account, String keyHash, String key, String value)
            throws Exception {
        return "{\"project_uuid\":\"" + project + "\",\"wasm_hash\":\"" + V1 + "\",\"account_id\":\"" + account
                + "\",\"key_hash\":\"" + keyHash + "\",\"encrypted_key\":" + key + ",\"encrypted_value\":" + value
                + "}";
    }

    private static String slot(String project, String account, String keyHash) {
        return "{\"project_uuid\":\"" + project + "\",\"account_id\":\"" + account + "\",\"key_hash\":\"" + keyHash
                + "\"}";
    }

    private static String sha256(String key) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void bytesRoundTripAsArraysOfNumbersAndAnUpsertKeepsTheFirstKey() throws Exception {
        String p = project();
        HttpResponse<String> stored = post("/storage/set", set(p, "alice.near", "k", "[0,1,255]", "[7,128]"));
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
        assertThat(stored.body()).as("axum's StatusCode::OK has no body").isEmpty();
        ok(post("/storage/set", set(p, "alice.near", "k", "[9]", "[8]").replace(V1, V2)));

        JsonNode row = ok(post("/storage/get", slot(p, "alice.near", "k")));
        assertThat(row.toString())
                .isEqualTo("{\"exists\":true,\"encrypted_key\":[0,1,255],\"encrypted_value\":[8],\"wasm_hash\":\"" + V2
                        + "\",\"is_encrypted\":true}");
        assertThat(ok(post("/storage/get", slot(p, "alice.near", "none"))).toString())
                .isEqualTo("{\"exists\":false,\"encrypted_key\":null,\"encrypted_value\":null,\"wasm_hash\":null,"
                        + "\"is_encrypted\":true}");
        assertThat(ok(post("/storage/has", slot(p, "alice.near", "k")))
                        .path("exists")
                        .asBoolean())
                .isTrue();
        assertThat(ok(post("/storage/has", slot(p, "bob.near", "k")))
                        .path("exists")
                        .asBoolean())
                .isFalse();
        JsonNode byVersion = ok(post(
                "/storage/get-by-version",
                "{\"wasm_hash\":\"" + V2 + "\",\"account_id\":\"alice.near\",\"key_hash\":\"k\"}"));
        assertThat(byVersion.path("encrypted_value").toString()).isEqualTo("[8]");
        assertThat(ok(post(
                                "/storage/get-by-version",
                                "{\"wasm_hash\":\"" + V1 + "\",\"account_id\":\"alice.near\",\"key_hash\":\"k\"}"))
                        .path("exists")
                        .asBoolean())
                .isFalse();
    }

    @Test
    void setIfAbsentAndCompareAndSwapAnswerAsOutLayers() throws Exception {
        String p = project();
        assertThat(ok(post("/storage/set-if-absent", set(p, "alice.near", "c", "[1]", "[5]")))
                        .toString())
                .isEqualTo("{\"inserted\":true}");
        assertThat(ok(post("/storage/set-if-absent", set(p, "alice.near", "c", "[1]", "[6]")))
                        .toString())
                .isEqualTo("{\"inserted\":false}");

        String swap = "{\"project_uuid\":\"" + p + "\",\"wasm_hash\":\"" + V2
                + "\",\"account_id\":\"alice.near\",\"key_hash\":\"c\",\"expected_encrypted_value\":%s,"
                + "\"new_encrypted_key\":[2],\"new_encrypted_value\":[6]}";
        assertThat(ok(post("/storage/set-if-equals", String.format(swap, "[4]")))
                        .toString())
                .isEqualTo("{\"updated\":false,\"current_encrypted_value\":[5],\"current_encrypted_key\":[1]}");
        assertThat(ok(post("/storage/set-if-equals", String.format(swap, "[5]")))
                        .toString())
                .isEqualTo("{\"updated\":true,\"current_encrypted_value\":null,\"current_encrypted_key\":null}");
        JsonNode row = ok(post("/storage/get", slot(p, "alice.near", "c")));
        assertThat(row.path("encrypted_key").toString()).isEqualTo("[2]");
        assertThat(row.path("wasm_hash").asText()).isEqualTo(V2);
    }

    @Test
    void deleteListUsageAndClears() throws Exception {
        String p = project();
        for (int i = 0; i < 3; i++) {
            ok(post("/storage/set", set(p, "alice.near", "k" + i, "[1]", "[1,2]")));
        }
        ok(post("/storage/set", set(p, "bob.near", "b", "[1]", "[1]")));
        String who = "project_uuid=" + p + "&account_id=alice.near";

        JsonNode page = ok(get("/storage/list?" + who + "&limit=1&offset=1", TOKEN));
        assertThat(page.path("total").asLong()).isEqualTo(3);
        assertThat(page.path("keys").toString())
                .isEqualTo("[{\"key_hash\":\"k1\",\"encrypted_key\":[1],\"encrypted_value\":[1,2],\"wasm_hash\":\"" + V1
                        + "\"}]");
        JsonNode refused = ok(get("/storage/list?" + who + "&offset=-1", TOKEN));
        assertThat(refused.path("keys").size())
                .as("OutLayer's failed query lists nothing")
                .isZero();
        assertThat(refused.path("total").asLong()).isEqualTo(3);
        assertThat(ok(get("/storage/usage?" + who, TOKEN)).toString()).isEqualTo("{\"total_bytes\":9,\"key_count\":3}");

        HttpResponse<String> deleted = post("/storage/delete", slot(p, "alice.near", "k0"));
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        HttpResponse<String> again = post("/storage/delete", slot(p, "alice.near", "k0"));
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(again.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(ok(get("/storage/usage?" + who, TOKEN)).toString()).isEqualTo("{\"total_bytes\":6,\"key_count\":2}");
        assertThat(ok(get("/public/projects/storage?project_uuid=" + p, null)).toString())
                .isEqualTo("{\"project_uuid\":\"" + p + "\",\"total_bytes\":8,\"key_count\":3}");

        ok(post("/storage/clear-version", "{\"wasm_hash\":\"" + V1 + "\",\"account_id\":\"alice.near\"}"));
        assertThat(ok(get("/storage/list?" + who, TOKEN)).path("total").asLong())
                .isZero();
        ok(post("/storage/clear-all", "{\"project_uuid\":\"" + p + "\",\"account_id\":\"alice.near\"}"));
        assertThat(ok(get("/storage/usage?" + who, TOKEN)).toString()).isEqualTo("{\"total_bytes\":0,\"key_count\":0}");
        assertThat(ok(post("/storage/has", slot(p, "bob.near", "b")))
                        .path("exists")
                        .asBoolean())
                .isTrue();
        ok(post("/storage/clear-project", "{\"project_uuid\":\"" + p + "\"}"));
        assertThat(ok(post("/storage/has", slot(p, "bob.near", "b")))
                        .path("exists")
                        .asBoolean())
                .isFalse();
        assertThat(ok(get("/public/projects/storage?project_uuid=" + p, null))
                        .path("key_count")
                        .asInt())
                .isZero();
    }

    @Test
    void publicStorageIsReadableByAnyoneAndEncryptedStorageIsNot() throws Exception {
        String p = project();
        String price = "{\"price\":5}";
        // the worker's set_public: plaintext key and value, is_encrypted false, account @worker
        StringBuilder value = new StringBuilder("[");
        for (byte b : price.getBytes(StandardCharsets.UTF_8)) {
            value.append(value.length() > 1 ? "," : "").append(b & 0xFF);
        }
        value.append(']');
        ok(post(
                "/storage/set",
                set(p, "@worker", sha256("price:near"), "[112]", value.toString())
                        .replace("}", ",\"is_encrypted\":false}")));
        ok(post("/storage/set", set(p, "@worker", sha256("secret"), "[1]", "[2]")));

        JsonNode own = ok(post("/storage/get", slot(p, "@worker", sha256("price:near"))));
        assertThat(own.path("is_encrypted").asBoolean()).isFalse();

        String base64 = Base64.getEncoder().encodeToString(price.getBytes(StandardCharsets.UTF_8));
        assertThat(ok(get("/public/storage/get?project_uuid=" + p + "&key=price%3Anear", null))
                        .toString())
                .isEqualTo("{\"exists\":true,\"value\":\"" + base64 + "\"}");
        HttpResponse<String> raw = get("/public/storage/get?project_uuid=" + p + "&key=price%3Anear&format=raw", null);
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(raw.body()).isEqualTo(price);
        assertThat(ok(get("/public/storage/get?project_uuid=" + p + "&key=none", null))
                        .toString())
                .isEqualTo("{\"exists\":false}");
        assertThat(get("/public/storage/get?project_uuid=" + p + "&key=none&format=raw", null)
                        .statusCode())
                .isEqualTo(404);
        assertThat(get("/public/storage/get?project_uuid=" + p + "&key=secret", null)
                        .statusCode())
                .isEqualTo(403);

        HttpResponse<String> batch = post(
                "/public/storage/batch",
                "{\"project_uuid\":\"" + p + "\",\"keys\":[\"price:near\",\"secret\",\"none\",\"price:near\"]}",
                null);
        assertThat(ok(batch).toString())
                .isEqualTo("{\"results\":{\"price:near\":{\"exists\":true,\"value\":\"" + base64 + "\"},"
                        + "\"secret\":{\"exists\":true,\"error\":\"encrypted\"},\"none\":{\"exists\":false}}}");

        // another project's program reads it through its worker
        String other = "{\"project_uuid\":\"" + p + "\",\"key_hash\":\"%s\"}";
        assertThat(ok(post("/storage/get-public", String.format(other, sha256("price:near"))))
                        .toString())
                .isEqualTo("{\"exists\":true,\"value\":" + value + "}");
        assertThat(ok(post("/storage/get-public", String.format(other, sha256("none"))))
                        .toString())
                .isEqualTo("{\"exists\":false,\"value\":null}");
        assertThat(post("/storage/get-public", String.format(other, sha256("secret")))
                        .statusCode())
                .isEqualTo(403);
    }

    @Test
    void aBatchIsHeldToOutLayersLimits() throws Exception {
        String p = project();
        HttpResponse<String> none = post("/public/storage/batch", "{\"project_uuid\":\"" + p + "\",\"keys\":[]}", null);
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(ErrorBodies.message(none.body())).isEqualTo("No keys provided");
        String many = "[" + String.join(",", java.util.Collections.nCopies(51, "\"k\"")) + "]";
        HttpResponse<String> tooMany =
                post("/public/storage/batch", "{\"project_uuid\":\"" + p + "\",\"keys\":" + many + "}", null);
        assertThat(ErrorBodies.message(tooMany.body())).isEqualTo("Maximum 50 keys allowed per request");
        HttpResponse<String> tooLong = post(
                "/public/storage/batch",
                "{\"project_uuid\":\"" + p + "\",\"keys\":[\"" + "x".repeat(1025) + "\"]}",
                null);
        assertThat(ErrorBodies.message(tooLong.body())).isEqualTo("Key too long: 1025 bytes (max 1024)");
    }

    @Test
    void everyWorkerRouteNeedsTheWorkerToken() throws Exception {
        for (String route : WORKER_JSON_ROUTES) {
            assertThat(post(route, "{}", null).statusCode()).as(route).isEqualTo(401);
            assertThat(post(route, "{}", "not-the-token").statusCode())
                    .as(route)
                    .isEqualTo(401);
        }
        String query = "?project_uuid=p&account_id=a";
        assertThat(get("/storage/list" + query, null).statusCode()).isEqualTo(401);
        assertThat(get("/storage/usage" + query, "wrong").statusCode()).isEqualTo(401);
    }

    @Test
    void bodiesAndQueriesAreRefusedInAxumsWords() throws Exception {
        String p = project();
        HttpResponse<String> missing = post("/storage/set", "{\"project_uuid\":\"" + p + "\"}");
        assertThat(missing.statusCode()).isEqualTo(422);
        assertThat(ErrorBodies.message(missing.body())).isEqualTo(DATA + "missing field `wasm_hash`");

        HttpResponse<String> base64 = post("/storage/set", set(p, "alice.near", "k", "\"AAE=\"", "[1]"));
        assertThat(base64.statusCode()).as("a Vec<u8> is no base64 string").isEqualTo(422);
        assertThat(ErrorBodies.message(base64.body())).startsWith(DATA).contains("encrypted_key");
        for (String notAByte : List.of("[256]", "[-1]", "[1.5]", "[\"1\"]", "[null]")) {
            HttpResponse<String> refused = post("/storage/set", set(p, "alice.near", "k", "[1]", notAByte));
            assertThat(refused.statusCode())
                    .as(notAByte + ": " + refused.body())
                    .isEqualTo(422);
            assertThat(ErrorBodies.message(refused.body())).contains("encrypted_value");
        }
        HttpResponse<String> notBool =
                post("/storage/set", set(p, "alice.near", "k", "[1]", "[1]").replace("}", ",\"is_encrypted\":1}"));
        assertThat(notBool.statusCode()).isEqualTo(422);
        assertThat(ok(post("/storage/has", slot(p, "alice.near", "k")))
                        .path("exists")
                        .asBoolean())
                .as("refused writes stored nothing")
                .isFalse();

        HttpResponse<String> nul = post("/storage/set", set(p, "alice.near", "k\\u0000", "[1]", "[1]"));
        assertThat(nul.statusCode())
                .as("refused alike in memory and in PostgreSQL")
                .isEqualTo(422);
        assertThat(ErrorBodies.message(nul.body())).isEqualTo(DATA + "'key_hash' cannot hold a NUL character (U+0000)");

        HttpResponse<String> noAccount = get("/storage/list?project_uuid=" + p, TOKEN);
        assertThat(noAccount.statusCode()).isEqualTo(400);
        assertThat(ErrorBodies.message(noAccount.body()))
                .isEqualTo("Failed to deserialize query string: missing field `account_id`");
        HttpResponse<String> badLimit = get(
                "/storage/usage?project_uuid=" + p + "&account_id=a&limit="
                        + URLEncoder.encode("x", StandardCharsets.UTF_8),
                TOKEN);
        assertThat(badLimit.statusCode()).isEqualTo(400);
        assertThat(ErrorBodies.message(badLimit.body()))
                .isEqualTo("Failed to deserialize query string: invalid digit found in string");
        HttpResponse<String> noKey = get("/public/storage/get?project_uuid=" + p, null);
        assertThat(noKey.statusCode()).isEqualTo(400);
        assertThat(ErrorBodies.message(noKey.body()))
                .isEqualTo("Failed to deserialize query string: missing field `key`");
    }

    @Test
    void thePublicReadsShareOutLayersLimitOf100RequestsAMinutePerAddress() throws Exception {
        String p = project();
        String address = "203.0.113.50";
        for (int i = 0; i < 100; i++) {
            assertThat(fromAddress(address, "/public/storage/get?project_uuid=" + p + "&key=none", null)
                            .statusCode())
                    .as("request " + (i + 1))
                    .isEqualTo(200);
        }
        HttpResponse<String> limited =
                fromAddress(address, "/public/storage/get?project_uuid=" + p + "&key=none", null);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.body()).isEqualTo("Rate limit exceeded: 100 requests/minute allowed. Try again later.");
        assertThat(fromAddress(address, "/public/storage/batch", "{\"project_uuid\":\"" + p + "\",\"keys\":[]}")
                        .statusCode())
                .as("the batch read shares the window")
                .isEqualTo(429);
        assertThat(fromAddress(address, "/public/projects/storage?project_uuid=" + p, null)
                        .statusCode())
                .as("the project's usage is outside the group")
                .isNotEqualTo(429);
        assertThat(fromAddress("203.0.113.51", "/public/storage/get?project_uuid=" + p + "&key=none", null)
                        .statusCode())
                .isEqualTo(200);
    }

    /** A public read as a client at {@code address} sends it through a proxy: a GET, or a POST of {@code body}. */
    private static HttpResponse<String> fromAddress(String address, String pathAndQuery, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(client.system.coordinatorUrl() + pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .header("X-Forwarded-For", address + ", 10.0.0.1");
        if (body != null) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        }
        return LifecycleClient.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
