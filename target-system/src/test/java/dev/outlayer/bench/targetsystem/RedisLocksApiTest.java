package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import dev.outlayer.bench.targetsystem.throttle.RedisServerProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link LocksAndSystemLogsApiTest} with the locks in Redis ({@code --locks-store redis://...}): the same answers,
 * on OutLayer's keys, expiring in Redis (time passes by bringing their deadlines nearer); while Redis is down a
 * lock call is a 500, as OutLayer's handler answers without a connection.
 */
@Tag(RequiredTools.REDIS)
@ExtendWith(RequiredTools.class)
class RedisLocksApiTest extends LocksAndSystemLogsApiTest {
    private RedisServerProcess redis;
    private RedisClient redisClient;
    private RedisCommands<String, String> commands;

    @Override
    protected TargetOptions options() {
        if (redis == null) {
            try {
                redis = RedisServerProcess.start();
            } catch (Exception e) {
                throw new IllegalStateException("no redis-server", e);
            }
            redisClient = RedisClient.create(redis.url());
            commands = redisClient.connect().sync();
        }
        TargetOptions options = super.options();
        options.locksStore = redis.url();
        return options;
    }

    @Override
    protected void pass(Duration time) {
        super.pass(time); // the system logs' clock
        for (String key : commands.keys("lock:*")) {
            // 0 or less: Redis expires it at once
            commands.pexpire(key, Math.max(0, commands.pttl(key) - time.toMillis()));
        }
    }

    @AfterAll
    void stopRedis() throws Exception {
        if (redisClient != null) {
            redisClient.shutdown();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void theLocksAreOutLayersRedisKeysAndARedisOutageIsA500() throws Exception {
        String body = "{\"lock_key\":\"redis-seen\",\"worker_id\":\"worker-1\",\"ttl_seconds\":60}";
        HttpResponse<String> taken = send(body);
        assertThat(taken.body()).isEqualTo("{\"acquired\":true}");
        assertThat(commands.get("lock:redis-seen")).isEqualTo("worker-1");

        redis.kill();
        try {
            HttpResponse<String> down = send(body);
            assertThat(down.statusCode()).as(down.body()).isEqualTo(500);
            assertThat(down.body()).doesNotContain("Redis").doesNotContain("lettuce");
        } finally {
            redis.startAgain();
        }
        // Lettuce reconnects by itself (within a second of Redis answering), for the tests that follow
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        HttpResponse<String> again = send(body);
        while (again.statusCode() == 500 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            again = send(body);
        }
        assertThat(again.body()).as("Redis restarted empty").isEqualTo("{\"acquired\":true}");
    }

    private HttpResponse<String> send(String body) throws Exception {
        return LifecycleClient.HTTP.send(
                HttpRequest.newBuilder(URI.create(client.system.coordinatorUrl() + "/locks/acquire"))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + TOKEN)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
