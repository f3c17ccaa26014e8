package dev.outlayer.bench.targetsystem.locks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import dev.outlayer.bench.targetsystem.throttle.RedisServerProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@link LockStore} rules on a real redis-server, on OutLayer's keys: time passes for a lock by bringing its
 * deadline nearer (PEXPIRE), so Redis itself expires it, without sleeping.
 */
@Tag(RequiredTools.REDIS)
@ExtendWith(RequiredTools.class)
class RedisLockStoreTest extends LockStoreContractTest {
    static RedisServerProcess redis;
    static RedisClient client;
    static RedisCommands<String, String> commands;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServerProcess.start();
        client = RedisClient.create(redis.url());
        commands = client.connect().sync();
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

    @Override
    protected LockStore newStore() {
        return new RedisLockStore(redis.url());
    }

    /** Every lock's remaining time shortened by {@code time}; one whose time is up is gone, as Redis expires it. */
    @Override
    protected void pass(Duration time) {
        for (String key : commands.keys(RedisLockStore.KEY_PREFIX + "*")) {
            // 0 or less: Redis expires it at once
            commands.pexpire(key, Math.max(0, commands.pttl(key) - time.toMillis()));
        }
    }

    @Test
    void aLockIsOutLayersKeyHoldingTheWorkerIdWithRedisExpiry() {
        assertThat(locks.acquire("compile:repo:abc", "worker-1", 60)).isTrue();
        assertThat(commands.get("lock:compile:repo:abc")).isEqualTo("worker-1");
        assertThat(commands.ttl("lock:compile:repo:abc")).isBetween(1L, 60L);
        locks.release("compile:repo:abc");
        assertThat(commands.exists("lock:compile:repo:abc")).isZero();
    }

    @Test
    void aLockTakenByAnOutLayerCoordinatorOnTheServerIsSeenAndTheOtherWayRound() {
        // OutLayer's acquire_lock: SET lock:<key> <worker_id> NX EX <ttl>
        assertThat(commands.set(
                        "lock:shared", "outlayer-worker", SetArgs.Builder.nx().ex(60)))
                .isEqualTo("OK");
        assertThat(locks.acquire("shared", "stand-in-worker", 60)).isFalse();
        assertThat(locks.acquire("mine", "stand-in-worker", 60)).isTrue();
        assertThat(commands.set(
                        "lock:mine", "outlayer-worker", SetArgs.Builder.nx().ex(60)))
                .isNull();
    }

    @Test
    void twoStoresOnOneServerShareTheLocks() {
        try (LockStore other = newStore()) {
            assertThat(locks.acquire("k", "worker-1", 60)).isTrue();
            assertThat(other.acquire("k", "worker-2", 60)).isFalse();
            assertThat(other.releaseIfHeldBy("k", "worker-2")).isEqualTo(LockStore.Release.HELD_BY_ANOTHER);
            other.release("k");
            assertThat(locks.acquire("k", "worker-1", 60)).isTrue();
        }
    }

    @Test
    void whileRedisIsDownCallsFailAndAStoreStartedThenConnectsWhenItAnswers() throws Exception {
        redis.kill();
        assertThatThrownBy(() -> locks.acquire("k", "worker-1", 60)).isInstanceOf(RedisLockStore.Unavailable.class);
        assertThatThrownBy(() -> locks.release("k")).isInstanceOf(RedisLockStore.Unavailable.class);
        try (LockStore startedWhileDown = newStore()) {
            assertThatThrownBy(() -> startedWhileDown.acquire("k", "worker-1", 60))
                    .isInstanceOf(RedisLockStore.Unavailable.class);
            redis.startAgain();
            assertThat(startedWhileDown.acquire("k", "worker-1", 60)).isTrue();
        }
    }
}
