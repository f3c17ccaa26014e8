package dev.outlayer.bench.targetsystem.locks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.executions.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The {@link LockStore} rules in memory, on a clock the test moves, and its deadlines to the millisecond. */
class InMemoryLockStoreTest extends LockStoreContractTest {
    private ManualClock clock;

    @Override
    protected LockStore newStore() {
        clock = new ManualClock(Instant.parse("2026-03-01T12:00:00Z"));
        return new InMemoryLockStore(clock);
    }

    @Override
    protected void pass(Duration time) {
        clock.advance(time);
    }

    @Test
    void aLockIsHeldUntilTheMillisecondItsTimeEnds() {
        assertThat(locks.acquire("k", "worker-1", 30)).isTrue();
        pass(Duration.ofSeconds(30).minusMillis(1));
        assertThat(locks.acquire("k", "worker-2", 30)).isFalse();
        pass(Duration.ofMillis(1));
        assertThat(locks.acquire("k", "worker-2", 30))
                .as("Redis expires the key at its deadline")
                .isTrue();
    }

    @Test
    void theLongestTimeToLiveRedisTakesIsTaken() {
        long now = clock.millis();
        long longest = (Long.MAX_VALUE - now) / 1000;
        assertThat(locks.acquire("k", "worker-1", longest + 1)).isFalse();
        assertThat(locks.acquire("k", "worker-1", longest)).isTrue();
    }

    @Test
    void expiredLocksAreForgottenBySweepsAndLiveOnesKept() {
        InMemoryLockStore store = (InMemoryLockStore) locks;
        for (int i = 0; i < 100; i++) {
            assertThat(store.acquire("short-" + i, "w", 1)).isTrue();
        }
        assertThat(store.acquire("long", "w", 3600)).isTrue();
        pass(Duration.ofSeconds(2));
        assertThat(store.kept()).as("expired, not yet forgotten").isEqualTo(101);
        for (int i = 0; i < InMemoryLockStore.SWEEP_EVERY; i++) {
            assertThat(store.acquire("other-" + i, "w", 1)).isTrue();
            store.release("other-" + i);
        }
        assertThat(store.kept())
                .as("a sweep forgot every expired lock, the live one kept")
                .isEqualTo(1);
        assertThat(store.acquire("long", "other", 3600)).isFalse();
    }
}
