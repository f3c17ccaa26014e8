package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.http.admin.AdminAuth;
import dev.outlayer.bench.targetsystem.payments.PaymentKeys;
import dev.outlayer.bench.targetsystem.testing.ErrorBodies;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import picocli.CommandLine;

/**
 * OutLayer's admin routes on a running coordinator (main.rs's admin router; handlers/grant_keys.rs,
 * workers.rs delete_worker, middleware/admin_auth.rs): a grant funds a key its owner created, the
 * HTTPS call path then treats it as OutLayer's call.rs treats a grant key (charged for compute, no
 * {@code X-Attached-Deposit}), the list shows its balance, a deleted grant key is refused; a deleted
 * worker leaves {@code /public/workers}; the bearer token and axum's refusals, each changing nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutLayerAdminApiTest {
    private static final String WORKER_TOKEN = "admin-api-worker-token-0123456789";
    private static final String ADMIN_TOKEN = "admin-api-test-token";
    private static final String KEY = "6b".repeat(32);
    private static final String OWNER = "granted.test.near";
    private static final String DATA = "Failed to deserialize the JSON body into the target type: ";

    private final AtomicLong nonces = new AtomicLong(10);
    private final AtomicLong txNonce = new AtomicLong(100);
    private LifecycleClient client;
    private String project;

    /** The options of the system under test: in memory here, a subclass's store otherwise. */
    protected TargetOptions options() {
        TargetOptions options = LifecycleClient.fastBlocks(2);
        options.workerToken = WORKER_TOKEN;
        options.adminToken = ADMIN_TOKEN;
        options.admin = true; // the stand-in's own /admin/heap beside OutLayer's admin routes
        return options;
    }

    @BeforeAll
    void start() throws Exception {
        client = new LifecycleClient(options());
        String echo = client.upload("echo_json");
        project = client.user.signerId() + "/grant-echo";
        JsonNode created = HttpsCallEndToEndTest.createProject(client, txNonce.incrementAndGet(), "grant-echo", echo);
        assertThat(created.path("status").has("SuccessValue"))
                .as(created.toString())
                .isTrue();
    }

    @AfterAll
    void stop() {
        client.close();
    }

    private static List<String> admin() {
        return List.of("Authorization", "Bearer " + ADMIN_TOKEN);
    }

    private static List<String> worker() {
        return List.of("Authorization", "Bearer " + WORKER_TOKEN);
    }

    private static List<String> key(long nonce) {
        return List.of("X-Payment-Key", OWNER + ":" + nonce + ":" + KEY);
    }

    private HttpResponse<String> send(String method, String path, String body, List<String> headers) throws Exception {
        return client.send(method, path, body, headers);
    }

    /** A payment key its owner stored (balance 0), as OutLayer's worker reports it: a fresh nonce. */
    private long ownersKey() throws Exception {
        long nonce = nonces.incrementAndGet();
        client.send(
                "POST",
                "/payment-keys/init",
                "{\"owner\":\"" + OWNER + "\",\"nonce\":" + nonce + ",\"key_hash\":\"" + PaymentKeys.keyHash(KEY)
                        + "\"}",
                worker(),
                200);
        return nonce;
    }

    private static String grantBody(long nonce, String amount) {
        return "{\"owner\":\"" + OWNER + "\",\"nonce\":" + nonce + ",\"amount\":\"" + amount
                + "\",\"note\":\"admin api test\"}";
    }

    private JsonNode balance(long nonce) throws Exception {
        return client.send("GET", "/payment-keys/balance", null, key(nonce), 200);
    }

    /** The grant keys the list shows of {@link #OWNER}'s {@code nonce} (none, or one). */
    private List<JsonNode> listed(long nonce) throws Exception {
        JsonNode list = client.send("GET", "/admin/grant-keys", null, admin(), 200);
        assertThat(list.isArray()).as(list.toString()).isTrue();
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode key : list) {
            if (key.path("owner").asText().equals(OWNER) && key.path("nonce").asLong() == nonce) {
                found.add(key);
            }
        }
        return found;
    }

    private List<String> workerIds() throws Exception {
        List<String> ids = new ArrayList<>();
        for (JsonNode worker : client.send("GET", "/public/workers", null, List.of(), 200)) {
            ids.add(worker.path("worker_id").asText());
        }
        return ids;
    }

    @Test
    void aGrantFundsTheOwnersKeyWhichPaysForComputeButNoDepositUntilTheGrantIsDeleted() throws Exception {
        long nonce = ownersKey();
        assertThat(balance(nonce).path("is_grant").asBoolean()).isFalse();

        JsonNode granted = client.send("POST", "/admin/grant-payment-key", grantBody(nonce, "50000"), admin(), 200);
        assertThat(granted.toString())
                .isEqualTo("{\"owner\":\"" + OWNER + "\",\"nonce\":" + nonce
                        + ",\"initial_balance\":\"50000\",\"is_grant\":true}");
        JsonNode toppedUp = client.send("POST", "/admin/grant-payment-key", grantBody(nonce, "10000"), admin(), 200);
        assertThat(toppedUp.path("initial_balance").asText())
                .as("a grant key is topped up")
                .isEqualTo("60000");

        JsonNode listedKey = listed(nonce).get(0);
        assertThat(listedKey.path("initial_balance").asText()).isEqualTo("60000");
        assertThat(listedKey.path("spent").asText()).isEqualTo("0");
        assertThat(listedKey.path("reserved").asText()).isEqualTo("0");
        assertThat(listedKey.path("available").asText()).isEqualTo("60000");
        assertThat(listedKey.path("project_ids")).isEmpty();
        assertThat(listedKey.has("max_per_call")).isTrue();
        assertThat(listedKey.path("max_per_call").isNull()).isTrue();
        assertThat(listedKey.path("created_at").asText())
                .as("PostgreSQL's text of a UTC timestamptz")
                .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d{1,6})?\\+00");
        JsonNode keyBalance = balance(nonce);
        assertThat(keyBalance.path("is_grant").asBoolean()).isTrue();
        assertThat(keyBalance.path("available").asText()).isEqualTo("60000");

        // the key pays for compute as any key
        JsonNode answer = client.send("POST", "/call/" + project, "{\"input\":{\"granted\":true}}", key(nonce), 200);
        assertThat(answer.path("status").asText()).as(answer.toString()).isEqualTo("completed");
        assertThat(answer.path("output").path("input").path("granted").asBoolean())
                .isTrue();
        long cost = answer.path("compute_cost").asLong();
        assertThat(cost).isGreaterThanOrEqualTo(1000);

        // but never a developer: OutLayer's 403, nothing reserved
        List<String> withDeposit = new ArrayList<>(key(nonce));
        withDeposit.addAll(List.of("X-Attached-Deposit", "1"));
        HttpResponse<String> deposit = send("POST", "/call/" + project, "{\"input\":1}", withDeposit);
        assertThat(deposit.statusCode()).as(deposit.body()).isEqualTo(403);
        assertThat(ErrorBodies.message(deposit.body())).isEqualTo("Grant keys cannot use X-Attached-Deposit");
        List<String> zeroDeposit = new ArrayList<>(key(nonce));
        zeroDeposit.addAll(List.of("X-Attached-Deposit", "0"));
        assertThat(client.send("POST", "/call/" + project, "{\"input\":2}", zeroDeposit, 200)
                        .path("status")
                        .asText())
                .as("no deposit is no deposit")
                .isEqualTo("completed");
        long secondCost = balance(nonce).path("spent").asLong() - cost;

        JsonNode spent = listed(nonce).get(0);
        assertThat(spent.path("spent").asLong()).isEqualTo(cost + secondCost);
        assertThat(spent.path("reserved").asText()).isEqualTo("0");
        assertThat(spent.path("available").asLong()).isEqualTo(60000 - cost - secondCost);

        HttpResponse<String> deleted = send("DELETE", "/admin/grant-keys/" + OWNER + "/" + nonce, null, admin());
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertThat(listed(nonce)).isEmpty();
        HttpResponse<String> refused = send("POST", "/call/" + project, "{\"input\":3}", key(nonce));
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(ErrorBodies.message(refused.body())).isEqualTo("Invalid payment key");
        HttpResponse<String> again = send("DELETE", "/admin/grant-keys/" + OWNER + "/" + nonce, null, admin());
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(ErrorBodies.message(again.body())).isEqualTo("Grant key not found or already deleted");
        HttpResponse<String> regrant = send("POST", "/admin/grant-payment-key", grantBody(nonce, "1"), admin());
        assertThat(regrant.statusCode()).isEqualTo(404);
        assertThat(ErrorBodies.message(regrant.body()))
                .isEqualTo("Payment key not found: owner=" + OWNER + " nonce=" + nonce
                        + ". User must create it first via store_secrets.");
    }

    @Test
    void refusedGrantsAnswerOutLayersAndAxumsStatusesAndChangeNothing() throws Exception {
        long unfunded = ownersKey();
        long userFunded = ownersKey();
        client.send(
                "POST",
                "/topup/complete",
                "{\"owner\":\"" + OWNER + "\",\"nonce\":" + userFunded + ",\"new_initial_balance\":\"700\","
                        + "\"amount\":\"700\",\"key_hash\":\"" + PaymentKeys.keyHash(KEY) + "\"}",
                worker(),
                200);

        HttpResponse<String> funded = send("POST", "/admin/grant-payment-key", grantBody(userFunded, "5"), admin());
        assertThat(funded.statusCode()).isEqualTo(409);
        assertThat(ErrorBodies.message(funded.body()))
                .isEqualTo("Cannot grant to user-funded key. Current balance: 700. Grants can only be applied to"
                        + " unfunded keys or existing grant keys.");
        HttpResponse<String> notAGrant = send("DELETE", "/admin/grant-keys/" + OWNER + "/" + userFunded, null, admin());
        assertThat(notAGrant.statusCode()).isEqualTo(404);
        assertThat(ErrorBodies.message(notAGrant.body())).isEqualTo("Grant key not found or already deleted");
        assertThat(balance(userFunded).path("initial_balance").asText()).isEqualTo("700");

        HttpResponse<String> unknown = send(
                "POST",
                "/admin/grant-payment-key",
                "{\"owner\":\"nobody.test.near\",\"nonce\":1,\"amount\":\"5\"}",
                admin());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(ErrorBodies.message(unknown.body()))
                .isEqualTo("Payment key not found: owner=nobody.test.near nonce=1. User must create it first via"
                        + " store_secrets.");

        // OutLayer's own checks of the amount
        for (String amount : List.of("abc", "-5", "1.5", "")) {
            HttpResponse<String> bad = send("POST", "/admin/grant-payment-key", grantBody(unfunded, amount), admin());
            assertThat(bad.statusCode()).as(amount).isEqualTo(400);
            assertThat(ErrorBodies.message(bad.body())).isEqualTo("Invalid amount format");
        }
        HttpResponse<String> zero = send("POST", "/admin/grant-payment-key", grantBody(unfunded, "0"), admin());
        assertThat(zero.statusCode()).isEqualTo(400);
        assertThat(ErrorBodies.message(zero.body())).isEqualTo("Amount must be greater than 0");

        // axum's Json extractor: 415, 400, 422
        HttpResponse<String> noType = LifecycleClient.HTTP.send(
                HttpRequest.newBuilder(URI.create(client.system.coordinatorUrl() + "/admin/grant-payment-key"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + ADMIN_TOKEN)
                        .POST(HttpRequest.BodyPublishers.ofString(grantBody(unfunded, "5")))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noType.statusCode()).isEqualTo(415);
        assertThat(ErrorBodies.message(noType.body()))
                .isEqualTo("Expected request with `Content-Type: application/json`");
        HttpResponse<String> notJson = send("POST", "/admin/grant-payment-key", "{", admin());
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(ErrorBodies.message(notJson.body()))
                .isEqualTo("Failed to parse the request body as JSON: EOF while parsing an object at line 1 column 1");
        for (String body : List.of(
                "{\"owner\":\"" + OWNER + "\",\"nonce\":" + unfunded + "}",
                "{\"owner\":\"" + OWNER + "\",\"nonce\":-1,\"amount\":\"5\"}",
                "{\"owner\":\"" + OWNER + "\",\"nonce\":\"" + unfunded + "\",\"amount\":\"5\"}",
                "{\"owner\":\"" + OWNER + "\",\"nonce\":" + unfunded + ",\"amount\":5}",
                "{\"nonce\":" + unfunded + ",\"amount\":\"5\"}",
                "[]")) {
            HttpResponse<String> misfit = send("POST", "/admin/grant-payment-key", body, admin());
            assertThat(misfit.statusCode()).as(body + " -> " + misfit.body()).isEqualTo(422);
            assertThat(ErrorBodies.message(misfit.body())).startsWith(DATA);
        }
        assertThat(ErrorBodies.message(send(
                                "POST",
                                "/admin/grant-payment-key",
                                "{\"owner\":\"" + OWNER + "\",\"nonce\":" + unfunded + "}",
                                admin())
                        .body()))
                .isEqualTo(DATA + "amount is required (a string of minimal units)");

        // axum's Path<(String, i32)>
        HttpResponse<String> word = send("DELETE", "/admin/grant-keys/" + OWNER + "/abc", null, admin());
        assertThat(word.statusCode()).isEqualTo(400);
        assertThat(ErrorBodies.message(word.body()))
                .isEqualTo("Invalid URL: Cannot parse value at index 1 with value `\"abc\"` to a `i32`");
        assertThat(send("DELETE", "/admin/grant-keys/" + OWNER + "/4294967295", null, admin())
                        .statusCode())
                .as("a u32 nonce past i32")
                .isEqualTo(400);

        JsonNode untouched = balance(unfunded);
        assertThat(untouched.path("is_grant").asBoolean()).isFalse();
        assertThat(untouched.path("initial_balance").asText()).isEqualTo("0");
        assertThat(listed(unfunded)).isEmpty();
    }

    @Test
    void everyAdminRouteNeedsTheAdminBearerTokenBeforeItReadsAnything() throws Exception {
        long nonce = ownersKey();
        String grant = grantBody(nonce, "5");
        List<String[]> routes = List.of(
                new String[] {"POST", "/admin/grant-payment-key", grant},
                new String[] {"POST", "/admin/grant-payment-key", "not json"},
                new String[] {"GET", "/admin/grant-keys", null},
                new String[] {"DELETE", "/admin/grant-keys/" + OWNER + "/" + nonce, null},
                new String[] {"DELETE", "/admin/grant-keys/" + OWNER + "/abc", null},
                new String[] {"DELETE", "/admin/workers/anyone", null});
        for (String[] route : routes) {
            String what = route[0] + " " + route[1] + " " + route[2];
            for (List<String> credentials : List.of(
                    List.<String>of(),
                    List.of("Authorization", "bearer " + ADMIN_TOKEN),
                    List.of("Authorization", "Basic " + ADMIN_TOKEN),
                    List.of("Authorization", "Bearer"))) {
                HttpResponse<String> refused = send(route[0], route[1], route[2], credentials);
                assertThat(refused.statusCode()).as(what + " " + credentials).isEqualTo(401);
                assertThat(ErrorBodies.message(refused.body())).contains("admin token");
            }
            for (List<String> credentials : List.of(
                    List.of("Authorization", "Bearer wrong-token"),
                    List.of("Authorization", "Bearer " + AdminAuth.OUTLAYER_DEFAULT_TOKEN),
                    List.of("Authorization", "Bearer " + WORKER_TOKEN))) {
                HttpResponse<String> forbidden = send(route[0], route[1], route[2], credentials);
                assertThat(forbidden.statusCode()).as(what + " " + credentials).isEqualTo(403);
                assertThat(ErrorBodies.message(forbidden.body())).isEqualTo("invalid admin token");
            }
        }
        JsonNode untouched = balance(nonce);
        assertThat(untouched.path("is_grant").asBoolean()).isFalse();
        assertThat(untouched.path("initial_balance").asText()).isEqualTo("0");

        // the stand-in's own admin routes (--admin) keep answering without it
        JsonNode heap = client.send("GET", "/admin/heap", null, List.of(), 200);
        assertThat(heap.path("heap_used_bytes").asLong()).isPositive();
    }

    @Test
    void aDeletedWorkerIsGoneFromPublicWorkersUntilItsNextHeartbeat() throws Exception {
        String beat = "{\"worker_id\":\"retired-worker\",\"worker_name\":\"retired\",\"status\":\"online\"}";
        client.send("POST", "/workers/heartbeat", beat, worker(), 200);
        client.send("POST", "/workers/heartbeat", beat.replace("retired", "kept"), worker(), 200);
        assertThat(workerIds()).contains("retired-worker", "kept-worker");

        HttpResponse<String> deleted = send("DELETE", "/admin/workers/retired-worker", null, admin());
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(deleted.body()).isEmpty();
        assertThat(workerIds()).doesNotContain("retired-worker").contains("kept-worker");
        HttpResponse<String> again = send("DELETE", "/admin/workers/retired-worker", null, admin());
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(ErrorBodies.message(again.body())).isEqualTo("worker retired-worker not found");

        // OutLayer's heartbeat is an upsert: a worker still running comes back
        client.send("POST", "/workers/heartbeat", beat, worker(), 200);
        assertThat(workerIds()).contains("retired-worker");
    }

    @Test
    void theAdminTokenIsAFlagWithOutLayersDefaultWhenUnset() {
        TargetOptions unset = new TargetOptions();
        new CommandLine(unset).parseArgs();
        assertThat(unset.adminToken).isEqualTo(AdminAuth.OUTLAYER_DEFAULT_TOKEN).isEqualTo("change-this-in-production");
        TargetOptions set = new TargetOptions();
        new CommandLine(set).parseArgs("--admin-token", "s3cret");
        assertThat(set.adminToken).isEqualTo("s3cret");
    }
}
