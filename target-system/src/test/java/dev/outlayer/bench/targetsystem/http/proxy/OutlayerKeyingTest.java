package dev.outlayer.bench.targetsystem.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.TargetOptions;
import dev.outlayer.bench.targetsystem.TargetSystem;
import dev.outlayer.bench.targetsystem.throttle.ThrottleFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --throttle-keying outlayer} against OutLayer's coordinator (middleware/throttle.rs): one bucket per
 * route and class shared by every caller, any Bearer token keyed, plain-text 429 with Retry-After: 5.
 */
class OutlayerKeyingTest {
    @TempDir
    Path dir;

    private TargetSystem system;

    @AfterEach
    void stop() {
        if (system != null) {
            system.close();
        }
    }

    private RpcClient start(String upstream) {
        ThrottleFixture fixture = new ThrottleFixture(dir);
        TargetOptions options = new TargetOptions();
        options.host = "127.0.0.1";
        options.coordinatorPort = 0;
        options.rpcPort = 0;
        options.components = upstream == null
                ? EnumSet.of(TargetOptions.Component.coordinator, TargetOptions.Component.rpc)
                : EnumSet.of(TargetOptions.Component.coordinator);
        options.upstreamRpc = upstream == null ? "" : upstream;
        options.upstreamTimeoutMillis = 10_000;
        options.tiersFile = fixture.tiers;
        options.apiKeysFile = fixture.keys;
        options.shutdownGraceMillis = 5000;
        options.throttleKeying = "outlayer";
        system = TargetSystem.start(options);
        return new RpcClient(system.coordinatorUrl());
    }

    /** Sends until the first 429, at most {@code max} calls; returns the admitted count and the refusal. */
    private static Object[] untilRefused(RpcClient client, int max, String... headersByCall) throws Exception {
        int admitted = 0;
        for (int i = 0; i < max; i++) {
            String header = headersByCall[i % headersByCall.length];
            HttpResponse<String> response = header.isEmpty()
                    ? client.post(RpcClient.STATUS)
                    : client.post(
                            RpcClient.STATUS,
                            header.substring(0, header.indexOf(':')),
                            header.substring(header.indexOf(':') + 1));
            if (response.statusCode() != 200) {
                return new Object[] {admitted, response};
            }
            assertThat(response.headers().firstValue("RateLimit")).isEmpty();
            assertThat(response.headers().firstValue("X-RateLimit-Remaining")).isEmpty();
            admitted++;
        }
        return new Object[] {admitted, null};
    }

    @SuppressWarnings("unchecked")
    @Test
    void everyBearerTokenDrawsOnOneSharedKeyedBucketAndTheAnonymousOneIsApart() throws Exception {
        RpcClient client = start(null);
        long started = System.nanoTime();
        // Two valid keys of different tiers and one that is in no file: all one keyed class (standard: 20 rps, burst
        // 40).
        Object[] keyed = untilRefused(
                client,
                200,
                "Authorization:Bearer key-a",
                "Authorization:Bearer key-wide",
                "Authorization:Bearer nope");
        double elapsed = (System.nanoTime() - started) / 1e9;
        assertThat((int) keyed[0]).isBetween(40, 40 + (int) Math.ceil(elapsed * 20) + 1);
        HttpResponse<String> refused = (HttpResponse<String>) keyed[1];
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).isEqualTo("Rate limit exceeded: Rate limit exceeded (20rps)");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(refused.headers().firstValue("X-RateLimit-Limit")).hasValue("20");
        assertThat(refused.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        // A query api_key is keyed too: it counts on the keyed (standard) tier, not the anonymous one.
        long keyedBefore = decided("standard");
        long anonymousBefore = decided("anonymous");
        HttpResponse<String> byQuery = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(system.coordinatorUrl() + "/near-rpc?api_key=x"))
                                .POST(HttpRequest.BodyPublishers.ofString(RpcClient.STATUS))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(byQuery.statusCode()).isIn(200, 429);
        assertThat(decided("standard")).isEqualTo(keyedBefore + 1);
        assertThat(decided("anonymous")).isEqualTo(anonymousBefore);

        // Anonymous callers, X-API-Key included (OutLayer does not read it), share the anonymous bucket: burst 10.
        long anonymousStart = System.nanoTime();
        Object[] anonymous = untilRefused(client, 100, "", "X-API-Key:key-a");
        double anonymousElapsed = (System.nanoTime() - anonymousStart) / 1e9;
        assertThat((int) anonymous[0]).isBetween(10, 10 + (int) Math.ceil(anonymousElapsed * 5) + 1);
        HttpResponse<String> anonymousRefused = (HttpResponse<String>) anonymous[1];
        assertThat(anonymousRefused.body()).isEqualTo("Rate limit exceeded: Rate limit exceeded (5rps)");
        assertThat(anonymousRefused.headers().firstValue("X-RateLimit-Limit")).hasValue("5");
        assertThat(anonymousRefused.headers().firstValue("Retry-After")).hasValue("5");
    }

    /** Calls the tier admitted or refused so far, from GET /throttle/metrics. */
    private long decided(String tier) throws Exception {
        HttpResponse<String> metrics = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(system.coordinatorUrl() + "/throttle/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        JsonNode row = RpcClient.json(metrics).path(tier);
        return row.path("admitted").asLong() + row.path("rejected").asLong();
    }

    @Test
    void theSharedInFlightCapRefusesInPlainText() throws Exception {
        try (SlowUpstream upstream = new SlowUpstream()) {
            RpcClient client = start(upstream.url());
            List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                held.add(client.postAsync(RpcClient.STATUS));
            }
            upstream.awaitArrivals(4);
            HttpResponse<String> fifth = client.post(RpcClient.STATUS, "X-API-Key", "key-wide");
            assertThat(fifth.statusCode()).isEqualTo(429);
            assertThat(fifth.body()).isEqualTo("Rate limit exceeded: Concurrency limit reached (4/4)");
            assertThat(fifth.headers().firstValue("Retry-After")).hasValue("5");
            upstream.releaseAll();
            for (CompletableFuture<HttpResponse<String>> f : held) {
                assertThat(f.get().statusCode()).isEqualTo(200);
            }
        }
    }
}
