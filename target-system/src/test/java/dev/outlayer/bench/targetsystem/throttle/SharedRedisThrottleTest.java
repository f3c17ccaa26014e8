package dev.outlayer.bench.targetsystem.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outlayer.bench.targetsystem.testing.HangGuard;
import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import dev.outlayer.bench.targetsystem.throttle.LoadDriver.Caller;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two coordinator processes behind one real redis-server: a key and the anonymous tier driven
 * through both stay within one tier's limits; Redis killed mid-run and restarted: the open
 * instance keeps admitting within its local bucket, the closed one answers 503, neither crashes,
 * and shared enforcement resumes once Redis is back.
 */
@Tag(RequiredTools.REDIS)
@ExtendWith(RequiredTools.class)
class SharedRedisThrottleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "shared-standard-key";
    private static final long RATE = 20;
    private static final long BURST = 40;
    private static final long ANON_RATE = 5;
    private static final long ANON_BURST = 10;
    private static final Duration PAUSE = Duration.ofMillis(10);

    @TempDir
    static Path dir;

    static RedisServerProcess redis;
    static CoordinatorProcess open;
    static CoordinatorProcess closed;

    @BeforeAll
    static void start() throws Exception {
        Files.writeString(
                dir.resolve("tiers.csv"),
                "tier,rate_per_second,burst,max_in_flight\n"
                        + "anonymous," + ANON_RATE + "," + ANON_BURST + ",4\n"
                        + "standard," + RATE + "," + BURST + ",8\n"
                        + "warm,100000,100000,64\n");
        Files.writeString(
                dir.resolve("keys.csv"),
                "api_key,tier,owner\n" + KEY + ",standard,alice.test.near\n" + "warm-up-key,warm,bench.test.near\n");
        redis = RedisServerProcess.start();
        // Two JVM starts side by side: a few seconds less of a CI run's 15 minutes.
        ExecutorService starter = Executors.newFixedThreadPool(2);
        try {
            Future<CoordinatorProcess> openStart = starter.submit(() -> coordinator("open", "open"));
            Future<CoordinatorProcess> closedStart = starter.submit(() -> coordinator("closed", "closed"));
            try {
                open = openStart.get();
            } finally {
                closed = closedStart.get();
            }
        } finally {
            starter.shutdown();
        }
        // Load classes, JIT and bucket4j's Lua script on a key of its own before anything is measured.
        new LoadDriver()
                .run(
                        List.of(new Caller("warm-up-key", List.of(open.url(), closed.url()), 2)),
                        Duration.ofMillis(1500),
                        Duration.ofMillis(2));
    }

    private static CoordinatorProcess coordinator(String name, String policy) throws Exception {
        return CoordinatorProcess.start(
                dir,
                name,
                "--tiers-file",
                dir.resolve("tiers.csv").toString(),
                "--api-keys-file",
                dir.resolve("keys.csv").toString(),
                "--throttle-store",
                redis.url(),
                "--throttle-store-failure",
                policy,
                // Generous for a busy shared CI machine (a 50 ms default is for real deployments): a
                // timeout while Redis is up would fail open or closed and blur the shared count.
                // Killing Redis fails calls at once, so the outage phase does not wait on it.
                "--throttle-store-timeout-ms",
                "2000",
                "--throttle-store-retry-ms",
                "250");
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {open, closed, redis}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    void twoInstancesShareLimitsSurviveRedisLossAndResume() throws Exception {
        List<String> both = List.of(open.url(), closed.url());
        Caller key = new Caller(KEY, both, 2);
        Caller anonymous = new Caller(null, both, 2);

        // 1. Shared enforcement: both instances together admit one tier's worth, not two.
        LoadDriver.Result shared = new LoadDriver().run(List.of(key, anonymous), Duration.ofSeconds(4), PAUSE);
        assertWithinSharedLimit(shared, key, BURST, RATE);
        assertWithinSharedLimit(shared, anonymous, ANON_BURST, ANON_RATE);
        assertThat(health(open).path("state").asText()).isEqualTo("up");

        // 2. Redis killed: the open instance admits within its local bucket, the closed one refuses.
        redis.kill();
        LoadDriver.Result outage = new LoadDriver().run(List.of(key), Duration.ofSeconds(2), PAUSE);
        LoadDriver.Tally openOutage = outage.tally(key, open.url());
        LoadDriver.Tally closedOutage = outage.tally(key, closed.url());
        System.out.printf("outage %.1f s: open %s, closed %s%n", outage.seconds(), openOutage, closedOutage);
        assertThat(openOutage.count(200))
                .isPositive()
                .isLessThanOrEqualTo(BURST + (long) (RATE * outage.seconds()) + 1);
        assertThat(openOutage.count(200) + openOutage.count(429)).isEqualTo(openOutage.total());
        assertThat(closedOutage.count(503)).isEqualTo(closedOutage.total()).isPositive();
        JsonNode refusal = JSON.readTree(closedOutage.otherBodies.peek().substring(4));
        System.out.println("closed instance answers: " + refusal);
        assertThat(refusal.path("error").path("code").asInt()).isEqualTo(-32000);
        assertThat(refusal.path("error").path("data").path("reason").asText()).isEqualTo("store_unavailable");
        assertThat(refusal.path("id").asText()).isEqualTo("t");

        JsonNode openHealth = health(open);
        assertThat(openHealth.path("state").asText()).isEqualTo("degraded");
        assertThat(openHealth.path("failure_policy").asText()).isEqualTo("open");
        assertThat(openHealth.path("last_error").asText()).isNotEmpty();
        assertThat(health(closed).path("failure_policy").asText()).isEqualTo("closed");
        String metrics = LoadDriver.get(open.url() + "/metrics");
        assertThat(metrics).contains("outlayer_throttle_store_latency_seconds_bucket");
        assertThat(metricValue(metrics, "outlayer_throttle_store_fallback_decisions_total"))
                .isPositive();

        // 3. Redis back (empty, as after a crash without persistence): both recover without a restart.
        redis.startAgain();
        awaitUp(open);
        awaitUp(closed);
        LoadDriver.Result resumed = new LoadDriver().run(List.of(key), Duration.ofSeconds(3), PAUSE);
        assertWithinSharedLimit(resumed, key, BURST, RATE);
        assertThat(open.isAlive()).isTrue();
        assertThat(closed.isAlive()).isTrue();
    }

    private static void assertWithinSharedLimit(LoadDriver.Result result, Caller caller, long burst, long rate) {
        long bound = burst + (long) Math.floor(rate * result.seconds()) + 1;
        long admitted = result.admitted(caller);
        System.out.printf(
                "%s over %.2f s: admitted %d (bound %d) %s%n",
                caller.apiKey() == null ? "anonymous" : caller.apiKey(),
                result.seconds(),
                admitted,
                bound,
                result.tallies().get(caller));
        for (LoadDriver.Tally tally : result.tallies().get(caller).values()) {
            assertThat(tally.otherBodies)
                    .as("only 200 and 429 while Redis is up")
                    .isEmpty();
            assertThat(tally.count(200))
                    .as("each instance admits part of the shared budget")
                    .isPositive();
        }
        assertThat(admitted).isLessThanOrEqualTo(bound).isGreaterThanOrEqualTo((long) Math.ceil(0.9 * bound));
    }

    private static JsonNode health(CoordinatorProcess coordinator) throws Exception {
        return JSON.readTree(LoadDriver.get(coordinator.url() + "/health")).path("throttle");
    }

    private static void awaitUp(CoordinatorProcess coordinator) throws Exception {
        assertThat(HangGuard.until(
                        () -> health(coordinator).path("state").asText().equals("up")))
                .as("%s back up: %s", coordinator.url(), health(coordinator))
                .isTrue();
    }

    private static double metricValue(String metrics, String name) {
        return metrics.lines()
                .filter(line -> line.startsWith(name))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
