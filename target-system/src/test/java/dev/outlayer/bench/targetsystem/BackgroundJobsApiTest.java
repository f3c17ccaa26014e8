package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.executions.ManualClock;
import dev.outlayer.bench.targetsystem.executions.WasmCacheEviction;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.payments.PaymentKeys;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * OutLayer's coordinator background jobs on a running coordinator (main.rs): the payment-key cleanup
 * gives a key back the reservation of a call whose worker died (background_jobs.rs), and the wasm cache's
 * LRU eviction removes the least recently used upload once the cache is over its limit
 * (storage/lru_eviction.rs), as the worker API then shows. No in-process workers: the test is the
 * external worker. The payment keys' clock is the test's, moved by hand.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackgroundJobsApiTest {
    private static final String TOKEN = "background-jobs-worker-token-0123456789";
    private static final String KEY = "5e".repeat(32);
    private static final String OWNER = "background-payer.test.near";
    /** 1,073 bytes: two 400-byte uploads fit, three do not. */
    private static final String LIMIT_GB = "0.000001";

    private final ManualClock clock = new ManualClock(Instant.now());
    private LifecycleClient client;

    @BeforeAll
    void start() {
        TargetOptions options = LifecycleClient.fastBlocks(0);
        options.workerToken = TOKEN;
        options.wasmCacheMaxSizeGb = new BigDecimal(LIMIT_GB);
        client = new LifecycleClient(options, clock).outcomesOnceExecuted();
    }

    @AfterAll
    void stop() {
        client.close();
    }

    /** A request to the coordinator with the worker token and / or the payment key (null: without). */
    private HttpResponse<String> call(String method, String path, String body, String token, String key)
            throws Exception {
        List<String> headers = new java.util.ArrayList<>();
        if (token != null) {
            headers.addAll(List.of("Authorization", "Bearer " + token));
        }
        if (key != null) {
            headers.addAll(List.of("X-Payment-Key", key));
        }
        return client.send(method, path, body, headers);
    }

    private static JsonNode ok(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JsonCodec.MAPPER.readTree(response.body());
    }

    /** A key of OWNER with this nonce, funded with 20,000 through the worker API (OutLayer's init and top-up). */
    private void fundedKey(int nonce) throws Exception {
        String hash = PaymentKeys.keyHash(KEY);
        ok(call(
                "POST",
                "/payment-keys/init",
                "{\"owner\":\"" + OWNER + "\",\"nonce\":" + nonce + ",\"key_hash\":\"" + hash + "\"}",
                TOKEN,
                null));
        ok(call(
                "POST",
                "/topup/complete",
                "{\"owner\":\"" + OWNER + "\",\"nonce\":" + nonce + ",\"new_initial_balance\":\"20000\","
                        + "\"amount\":\"20000\",\"key_hash\":\"" + hash + "\"}",
                TOKEN,
                null));
    }

    private JsonNode balance(int nonce) throws Exception {
        return ok(call("GET", "/public/payment-keys/" + OWNER + "/" + nonce + "/balance", null, null, null));
    }

    @Test
    void aCallWhoseWorkerDiedHasItsReservationClearedAfterTenMinutesAndAFreshOneIsKept() throws Exception {
        String echo = client.upload("echo_json");
        JsonNode created = HttpsCallEndToEndTest.createProject(client, 1, "stuck", echo);
        assertThat(created.path("status").has("SuccessValue"))
                .as(created.toString())
                .isTrue();
        String project = client.user.signerId() + "/stuck";
        fundedKey(3);
        fundedKey(4);

        JsonNode pending =
                ok(call("POST", "/call/" + project, "{\"input\":{},\"async\":true}", null, OWNER + ":3:" + KEY));
        String callId = pending.path("call_id").asText();
        // the worker takes the call and dies: nobody reports it
        JsonNode task =
                ok(call("GET", "/executions/poll?capabilities=compilation,execution&timeout=5", null, TOKEN, null));
        assertThat(task.path("call_id").asText()).isEqualTo(callId);
        assertThat(balance(3).path("reserved").asText()).isEqualTo("10000");
        assertThat(balance(3).path("available").asText()).isEqualTo("10000");

        clock.advance(Duration.ofMinutes(10));
        assertThat(client.system.paymentKeyCleanup().run())
                .as("10 minutes is not past the threshold")
                .isZero();
        ok(call("POST", "/call/" + project, "{\"input\":{},\"async\":true}", null, OWNER + ":4:" + KEY));
        clock.advance(Duration.ofSeconds(1));

        assertThat(client.system.paymentKeyCleanup().run()).isEqualTo(1);
        JsonNode cleared = balance(3);
        assertThat(cleared.path("reserved").asText()).isEqualTo("0");
        assertThat(cleared.path("spent").asText()).isEqualTo("0");
        assertThat(cleared.path("available").asText())
                .as("the key's balance is back")
                .isEqualTo("20000");
        assertThat(balance(4).path("reserved").asText())
                .as("the fresh reservation stays")
                .isEqualTo("10000");

        // a report that comes after all is still billed; the reservation it releases is gone already
        String report =
                "{\"call_id\":\"" + callId + "\",\"success\":true,\"output\":{}," + "\"instructions\":0,\"time_ms\":0}";
        assertThat(ok(call("POST", "/https-calls/complete", report, TOKEN, null))
                        .path("finalized")
                        .asBoolean())
                .isTrue();
        JsonNode billed = balance(3);
        assertThat(billed.path("reserved").asText()).isEqualTo("0");
        assertThat(billed.path("spent").asText()).as("the base fee").isEqualTo("1000");
        assertThat(billed.path("available").asText()).isEqualTo("19000");
    }

    private static Map<String, String> uploadFields(String checksum) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("checksum", checksum);
        fields.put("repo_url", "https://github.com/alice/program");
        fields.put("commit_hash", "0123abcd");
        fields.put("build_target", "wasm32-wasip1");
        return fields;
    }

    private void upload(String checksum) throws Exception {
        HttpResponse<String> uploaded = client.uploadWasm(uploadFields(checksum), new byte[400], TOKEN);
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
    }

    private int download(String checksum) throws Exception {
        return call("GET", "/wasm/" + checksum, null, TOKEN, null).statusCode();
    }

    private boolean exists(String checksum, boolean publicRoute) throws Exception {
        return ok(call(
                        "GET",
                        (publicRoute ? "/public/wasm/exists/" : "/wasm/exists/") + checksum,
                        null,
                        publicRoute ? null : TOKEN,
                        null))
                .path("exists")
                .asBoolean();
    }

    @Test
    void overTheLimitTheLeastRecentlyUsedUploadIsEvictedAndThenNotFound() throws Exception {
        String a = "a7".repeat(32);
        String b = "b7".repeat(32);
        String c = "c7".repeat(32);
        WasmCacheEviction eviction = client.system.wasmEviction();
        assertThat(eviction.maxBytes()).isEqualTo(1073);

        upload(a);
        upload(b);
        assertThat(download(a))
                .as("a is used again: b is now the least recently used")
                .isEqualTo(200);
        upload(c); // 1,200 bytes: the check after the upload evicts b

        assertThat(download(b)).isEqualTo(404);
        assertThat(exists(b, false)).isFalse();
        assertThat(exists(b, true)).isFalse();
        for (String kept : List.of(a, c)) {
            assertThat(download(kept)).isEqualTo(200);
            assertThat(exists(kept, false)).isTrue();
        }
        assertThat(eviction.checkAndEvict())
                .as("the periodic check finds it within the limit")
                .isEmpty();
        // uploaded again, b is the most recently used: now a is the least
        upload(b);
        assertThat(download(a)).isEqualTo(404);
        assertThat(exists(b, true)).isTrue();
        assertThat(download(c)).isEqualTo(200);
    }

    @Test
    void aBadValueOfTheirFlagsIsRefusedAtStartNamingTheFlag(@TempDir Path noContracts) {
        List<java.util.function.Consumer<TargetOptions>> bad = List.of(
                o -> o.paymentKeyStaleReservationSeconds = 0,
                o -> o.paymentKeyCleanupIntervalSeconds = -1,
                o -> o.lruEvictionCheckIntervalSeconds = -1,
                o -> o.wasmCacheMaxSizeGb = new BigDecimal("-0.5"));
        List<String> flags = List.of(
                "--payment-key-stale-reservation-seconds must be at least 1, not 0",
                "--payment-key-cleanup-interval-seconds must not be negative, not -1",
                "--lru-eviction-check-interval-seconds must not be negative, not -1",
                "--wasm-cache-max-size-gb must not be negative, not -0.5");
        for (int i = 0; i < bad.size(); i++) {
            TargetOptions options = LifecycleClient.fastBlocks(0);
            // the flags are read after the contracts are deployed: none to deploy, as none is called
            options.contractsDir = noContracts;
            bad.get(i).accept(options);
            assertThatThrownBy(() -> TargetSystem.start(options))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(flags.get(i));
        }
    }
}
