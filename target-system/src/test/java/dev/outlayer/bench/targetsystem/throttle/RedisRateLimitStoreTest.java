package dev.outlayer.bench.targetsystem.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.testing.HangGuard;
import dev.outlayer.bench.targetsystem.testing.LeakGuard;
import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import io.github.bucket4j.ConsumptionProbe;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The Redis store against a real redis-server, in one JVM: sharing, keys, expiry, reloads, failures. */
@Tag(RequiredTools.REDIS)
@ExtendWith(RequiredTools.class)
class RedisRateLimitStoreTest {
    static RedisServerProcess redis;
    static RedisClient client;
    static RedisCommands<String, String> commands;

    @TempDir
    Path dir;

    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServerProcess.start();
        client = RedisClient.create(redis.url());
        StatefulRedisConnection<String, String> connection = client.connect();
        commands = connection.sync();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (client != null) {
            client.shutdown();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void emptyRedis() throws Exception {
        redis.startAgain();
        commands.flushall();
    }

    private RedisRateLimitStore store(StoreFailurePolicy policy, Duration timeout) {
        return new RedisRateLimitStore(
                new RedisRateLimitStore.Settings(redis.url(), policy, timeout, Duration.ofMillis(100), 16, 10_000),
                registry);
    }

    private Tier tier(String name, long rate, long burst) {
        return new Tier(name, rate, burst, 8, new TierStats(name, registry));
    }

    @Test
    void closeReturnsOnceTheStoresThreadsHaveStopped() {
        LeakGuard.Snapshot before = LeakGuard.Snapshot.take();
        RedisRateLimitStore store = store(StoreFailurePolicy.closed, Duration.ofSeconds(1));
        assertThat(store.tryConsume(new ClientState("key:close", tier("small", 1, 5)))
                        .isConsumed())
                .isTrue();
        assertThat(before.leftAfter(0).threadNames())
                .anyMatch(name -> name.startsWith("lettuce-"))
                .contains("throttle-store-probe");

        store.close();

        assertThat(store.threadsStopped())
                .as("Lettuce's event loops ended before close returned")
                .isTrue();
        assertThat(before.leftAfter(HangGuard.BOUND.toMillis()).threadNames())
                .noneMatch(name -> name.startsWith("lettuce-") || name.equals("throttle-store-probe"));
    }

    @Test
    void twoStoresShareOneBucket() {
        Tier tier = tier("small", 1, 5);
        try (RedisRateLimitStore a = store(StoreFailurePolicy.closed, Duration.ofSeconds(1));
                RedisRateLimitStore b = store(StoreFailurePolicy.closed, Duration.ofSeconds(1))) {
            int admitted = 0;
            for (int i = 0; i < 10; i++) {
                RedisRateLimitStore store = i % 2 == 0 ? a : b;
                // Each "coordinator" has its own ClientState (and local bucket), as separate processes would.
                ConsumptionProbe probe = store.tryConsume(new ClientState("key:shared", tier));
                admitted += probe.isConsumed() ? 1 : 0;
            }
            // Burst 5, one token a second: ten calls in well under a second admit five, maybe six.
            assertThat(admitted).isBetween(5, 6);
            assertThat(a.available(new ClientState("key:shared", tier))).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void keysHideApiKeysCarryTierLimitsAndExpireWhenIdle() {
        Tier tier = tier("standard", 20, 40);
        try (RedisRateLimitStore store = store(StoreFailurePolicy.closed, Duration.ofSeconds(1))) {
            assertThat(store.tryConsume(new ClientState("key:very-secret-api-key", tier))
                            .isConsumed())
                    .isTrue();
            assertThat(store.tryConsume(new ClientState("ip:127.0.0.1", tier)).isConsumed())
                    .isTrue();
        }
        List<String> keys = commands.keys(RedisRateLimitStore.KEY_PREFIX + "*");
        assertThat(keys)
                .hasSize(2)
                .noneMatch(k -> k.contains("very-secret-api-key"))
                .allMatch(k -> k.startsWith("outlayer:throttle:20r40b:"))
                .contains("outlayer:throttle:20r40b:ip:127.0.0.1");
        for (String key : keys) {
            // One token short of full: it refills in 50 ms, then the key lingers 5 s more.
            assertThat(commands.pttl(key)).isBetween(1L, 5_050L + 100L);
        }
    }

    @Test
    void reloadedLimitsMoveClientsToAFreshBucket() throws Exception {
        Path tiers = dir.resolve("tiers.csv");
        Path keys = dir.resolve("keys.csv");
        Files.writeString(tiers, "tier,rate_per_second,burst,max_in_flight\nanonymous,5,10,4\nstandard,1,3,8\n");
        Files.writeString(keys, "api_key,tier,owner\nk1,standard,alice.test.near\n");
        try (Throttle throttle = new Throttle(
                tiers, keys, registry, store(StoreFailurePolicy.closed, Duration.ofSeconds(1)), 1000, 1_000_000_000L)) {
            InetAddress address = InetAddress.getLoopbackAddress();
            long admitted = 0;
            for (int i = 0; i < 5; i++) {
                Decision decision = throttle.decide("k1", address);
                decision.release();
                admitted += decision.admitted() ? 1 : 0;
            }
            assertThat(admitted).isEqualTo(3);

            Files.writeString(tiers, "tier,rate_per_second,burst,max_in_flight\nanonymous,5,10,4\nstandard,2,6,8\n");
            Files.setLastModifiedTime(tiers, FileTime.from(Instant.now().plusSeconds(5)));
            assertThat(throttle.reloadIfChanged()).isTrue();
            Decision afterReload = throttle.decide("k1", address);
            afterReload.release();
            assertThat(afterReload.admitted()).isTrue();
            assertThat(afterReload.remaining()).isEqualTo(5);
            assertThat(commands.keys(RedisRateLimitStore.KEY_PREFIX + "*"))
                    .anyMatch(k -> k.startsWith("outlayer:throttle:1r3b:key:"))
                    .anyMatch(k -> k.startsWith("outlayer:throttle:2r6b:key:"));
        }
    }

    @Test
    void failsClosedWhileUnreachableAndRecoversWithoutRestart() throws Exception {
        Tier tier = tier("standard", 20, 40);
        redis.kill();
        // A generous timeout: the first call on a fresh connection loads bucket4j's script, cold.
        try (RedisRateLimitStore store = store(StoreFailurePolicy.closed, Duration.ofSeconds(1))) {
            ClientState client = new ClientState("key:k", tier);
            // Fails, and does not wait forever: the store's own 1 s timeout is what ends a call that
            // gets no answer, so the wait here is only a hang guard, not a second race with it.
            assertThat(store.tryConsumeAsync(client))
                    .failsWithin(HangGuard.BOUND)
                    .withThrowableOfType(Exception.class)
                    .withCauseInstanceOf(StoreUnavailableException.class)
                    .withMessageContaining("rate-limit store unavailable")
                    .withMessageNotContaining("Redis");
            Map<?, ?> health = (Map<?, ?>) store.health();
            assertThat(health.get("state")).isEqualTo("degraded");
            assertThat(health.get("failure_policy")).isEqualTo("closed");
            assertThat((String) health.get("last_error")).isNotEmpty();

            redis.startAgain();
            awaitState(store, "up");
            assertThat(store.tryConsume(client).isConsumed()).isTrue();
            assertThat(commands.keys(RedisRateLimitStore.KEY_PREFIX + "*")).hasSize(1);
        }
    }

    @Test
    void slowRedisFailsOpenToTheLocalBucketThenResumes() throws Exception {
        // The local bucket on a clock that stands still: it refills not at all while the test counts
        // its tokens (on the real clock, a second of 200 ms timeouts refilled one of them).
        Tier tier = tier("standard", 1, 40);
        try (RedisRateLimitStore store = store(StoreFailurePolicy.open, Duration.ofMillis(200))) {
            ClientState client = new ClientState("key:k", tier, new FakeClock());
            // Warm-up until a call is answered by Redis: on a loaded machine a cold call can pass the 200 ms
            // timeout (a fallback of its own), and the circuit forgets failures at the next answer.
            assertThat(HangGuard.until(() -> {
                        long answered = latency("ok").count();
                        assertThat(store.tryConsume(client).isConsumed()).isTrue();
                        return latency("ok").count() > answered;
                    }))
                    .as("a call answered by Redis")
                    .isTrue();
            double fallbacksBefore = fallbackDecisions().count();
            long failedBefore = latency("failed").count();
            // Every client of Redis waits 1.5 s: slower than the 200 ms timeout.
            assertThat(redis.command("CLIENT PAUSE 1500 ALL")).isEqualTo("+OK");
            for (int i = 0; i < StoreCircuit.FAILURES_TO_OPEN; i++) {
                long before = client.localBucket().getAvailableTokens();
                assertThat(store.tryConsume(client).isConsumed()).isTrue();
                assertThat(client.localBucket().getAvailableTokens()).isEqualTo(before - 1);
            }
            Map<?, ?> health = (Map<?, ?>) store.health();
            assertThat(health.get("state")).isEqualTo("degraded");
            assertThat((String) health.get("last_error")).contains("no reply within 200 ms");
            assertThat(fallbackDecisions().count() - fallbacksBefore).isEqualTo(StoreCircuit.FAILURES_TO_OPEN);
            assertThat(latency("failed").count() - failedBefore).isEqualTo(StoreCircuit.FAILURES_TO_OPEN);

            awaitState(store, "up");
            long localBefore = client.localBucket().getAvailableTokens();
            assertThat(store.tryConsume(client).isConsumed()).isTrue();
            assertThat(client.localBucket().getAvailableTokens())
                    .as("back on Redis")
                    .isEqualTo(localBefore);
        }
    }

    private Counter fallbackDecisions() {
        return registry.get("outlayer_throttle_store_fallback_decisions").counter();
    }

    private Timer latency(String outcome) {
        return registry.get("outlayer_throttle_store_latency")
                .tag("outcome", outcome)
                .timer();
    }

    private static void awaitState(RedisRateLimitStore store, String state) throws Exception {
        assertThat(HangGuard.until(() -> state.equals(((Map<?, ?>) store.health()).get("state"))))
                .as("store %s: %s", state, store.health())
                .isTrue();
    }
}
