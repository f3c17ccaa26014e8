package dev.outlayer.bench.targetsystem.locks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.locks.LockStore.Release;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rules every {@link LockStore} keeps (OutLayer's handlers/locks.rs on Redis), run against each implementation. */
public abstract class LockStoreContractTest {
    protected LockStore locks;

    /** A fresh store holding no locks. */
    protected abstract LockStore newStore();

    /** Lets {@code time} pass for the store's locks (its clock moves, or their deadlines come nearer). */
    protected abstract void pass(Duration time);

    @BeforeEach
    void open() {
        locks = newStore();
    }

    @AfterEach
    void close() {
        locks.close();
    }

    @Test
    void aHeldLockRefusesEveryOtherAcquirerItsHolderIncluded() {
        assertThat(locks.acquire("compile:repo:abc", "worker-1", 60)).isTrue();
        assertThat(locks.acquire("compile:repo:abc", "worker-2", 60)).isFalse();
        assertThat(locks.acquire("compile:repo:abc", "worker-1", 60))
                .as("not re-entrant: SET NX refuses its own holder too")
                .isFalse();
        assertThat(locks.acquire("compile:repo:def", "worker-2", 60))
                .as("another key is another lock")
                .isTrue();
    }

    @Test
    void aReleasedLockCanBeTakenByAnother() {
        assertThat(locks.acquire("k", "worker-1", 60)).isTrue();
        locks.release("k");
        assertThat(locks.acquire("k", "worker-2", 60)).isTrue();
    }

    @Test
    void releaseFreesTheLockWhoeverHoldsItAndAFreeKeyIsNoError() {
        locks.release("never-taken");
        assertThat(locks.acquire("k", "worker-1", 60)).isTrue();
        locks.release("k"); // OutLayer's DEL: no holder is named
        locks.release("k");
        assertThat(locks.acquire("k", "worker-3", 60)).isTrue();
    }

    @Test
    void aLockWhoseTimePassedIsFreeForAnotherWorker() {
        assertThat(locks.acquire("k", "worker-1", 10)).isTrue();
        pass(Duration.ofSeconds(5));
        assertThat(locks.acquire("k", "worker-2", 10)).as("5 s into its 10").isFalse();
        pass(Duration.ofSeconds(6));
        assertThat(locks.acquire("k", "worker-2", 10))
                .as("11 s after a 10 s lock")
                .isTrue();
        assertThat(locks.acquire("k", "worker-1", 10)).as("now worker-2's").isFalse();
    }

    @Test
    void aTimeToLiveRedisRefusesIsNotAcquiredAndTakesNothing() {
        assertThat(locks.acquire("k", "worker-1", 0)).isFalse();
        assertThat(locks.acquire("k", "worker-1", Long.MAX_VALUE))
                .as("its deadline overflows")
                .isFalse();
        assertThat(locks.acquire("k", "worker-2", 1)).as("the key stayed free").isTrue();
    }

    @Test
    void aHolderCheckedReleaseFreesOnlyTheHoldersLock() {
        assertThat(locks.releaseIfHeldBy("k", "worker-1")).isEqualTo(Release.NOT_HELD);
        assertThat(locks.acquire("k", "worker-1", 60)).isTrue();
        assertThat(locks.releaseIfHeldBy("k", "worker-2")).isEqualTo(Release.HELD_BY_ANOTHER);
        assertThat(locks.acquire("k", "worker-2", 60)).as("still worker-1's").isFalse();
        assertThat(locks.releaseIfHeldBy("k", "worker-1")).isEqualTo(Release.RELEASED);
        assertThat(locks.acquire("k", "worker-2", 60)).isTrue();
    }

    @Test
    void anExpiredLockIsNotHeldByAnyone() {
        assertThat(locks.acquire("k", "worker-1", 10)).isTrue();
        pass(Duration.ofSeconds(11));
        assertThat(locks.releaseIfHeldBy("k", "worker-2")).isEqualTo(Release.NOT_HELD);
        assertThat(locks.releaseIfHeldBy("k", "worker-1")).isEqualTo(Release.NOT_HELD);
    }

    @Test
    void keysAndHoldersAreTakenAsTheyAre() {
        String key = "compile:https://github.com/alice/app:0123abcd é \u0000";
        assertThat(locks.acquire(key, "w\u00e9", 60)).isTrue();
        assertThat(locks.acquire(key.toUpperCase(), "other", 60)).isTrue();
        assertThat(locks.releaseIfHeldBy(key, "w\u00e9")).isEqualTo(Release.RELEASED);
    }
}
