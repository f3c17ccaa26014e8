package dev.outlayer.bench.targetsystem.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BlockClockTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final BlockClock clock = new BlockClock(1_000_000, 500, now::get);

    @Test
    void heightsAdvanceOneBlockPerBlockTime() {
        assertThat(clock.latestHeight()).isEqualTo(BlockClock.GENESIS_HEIGHT);
        now.addAndGet(499);
        assertThat(clock.latestHeight()).isEqualTo(BlockClock.GENESIS_HEIGHT);
        now.addAndGet(1);
        assertThat(clock.latestHeight()).isEqualTo(BlockClock.GENESIS_HEIGHT + 1);
        now.addAndGet(5_000);
        assertThat(clock.latestHeight()).isEqualTo(BlockClock.GENESIS_HEIGHT + 11);
        assertThat(clock.timestampNanos(BlockClock.GENESIS_HEIGHT + 11))
                .isEqualTo((1_000_000L + 11 * 500) * 1_000_000L);
    }

    @Test
    void blocksReceiptsProduceAheadOfTheClockCarryTheWallTimeTheyWereProducedAt() {
        long genesis = BlockClock.GENESIS_HEIGHT;
        now.addAndGet(1_200); // the clock's head: genesis + 2, produced at 1,001,000 ms
        for (int i = 1; i <= 1_000; i++) { // a load of receipts: 1,000 blocks in 10 ms
            clock.advanceTo(genesis + 2 + i);
            if (i % 100 == 0) {
                now.incrementAndGet();
            }
        }
        assertThat(clock.latestHeight()).isEqualTo(genesis + 1_002);
        long nowNanos = now.get() * 1_000_000L;
        long previous = clock.timestampNanos(genesis + 2);
        assertThat(previous).isEqualTo((1_000_000L + 2 * 500) * 1_000_000L);
        for (long h = genesis + 3; h <= genesis + 1_002; h++) {
            long stamp = clock.timestampNanos(h);
            assertThat(stamp).as("height %d", h).isGreaterThan(previous).isLessThanOrEqualTo(nowNanos);
            previous = stamp;
        }
        assertThat(clock.timestampNanos(genesis + 1_002))
                .as("height x block time put it 500 s into the future")
                .isLessThan((1_000_000L + 1_002 * 500) * 1_000_000L)
                .isGreaterThanOrEqualTo((1_001_200L + 9) * 1_000_000L);

        now.addAndGet(500); // the clock makes the next block, 1,000 blocks ahead of its own count
        assertThat(clock.latestHeight()).isEqualTo(genesis + 1_003);
        assertThat(clock.timestampNanos(genesis + 1_003)).isEqualTo((1_000_000L + 3 * 500) * 1_000_000L);
        assertThat(clock.timestampNanos(genesis + 1_003)).isGreaterThan(previous);
        assertThat(clock.clockHeight()).isEqualTo(genesis + 3);
    }

    @Test
    void hashesAreStableDistinctAndResolveOnlyOnceProduced() {
        long next = BlockClock.GENESIS_HEIGHT + 1;
        byte[] hash = Base58.decode(clock.hash(next));

        assertThat(hash).hasSize(32);
        assertThat(clock.hash(next)).isEqualTo(new BlockClock(0, 1).hash(next));
        assertThat(clock.hash(next)).isNotEqualTo(clock.hash(next + 1));
        assertThat(clock.heightOf(hash)).isEmpty();

        now.addAndGet(500);
        assertThat(clock.heightOf(hash)).hasValue(next);

        hash[0] ^= 1;
        assertThat(clock.heightOf(hash)).isEmpty();
    }

    @Test
    void epochsAreFortyThreeThousandTwoHundredBlocks() {
        assertThat(clock.epochHeight(BlockClock.GENESIS_HEIGHT)).isEqualTo(1);
        assertThat(clock.epochHeight(BlockClock.GENESIS_HEIGHT + 43_199)).isEqualTo(1);
        assertThat(clock.epochHeight(BlockClock.GENESIS_HEIGHT + 43_200)).isEqualTo(2);
        assertThat(clock.epochStartHeight(BlockClock.GENESIS_HEIGHT + 50_000))
                .isEqualTo(BlockClock.GENESIS_HEIGHT + 43_200);
        assertThat(clock.nextEpochId(BlockClock.GENESIS_HEIGHT))
                .isEqualTo(clock.epochId(BlockClock.GENESIS_HEIGHT + 43_200));
    }

    @Test
    void aFastForwardMovesTheHeadAndTheClockHeightAndReceiptsStillRunAheadOfBoth() {
        clock.advanceTo(BlockClock.GENESIS_HEIGHT + 5); // five blocks of receipts ahead of the clock

        assertThat(clock.fastForward(300)).isTrue();

        assertThat(clock.clockHeight()).isEqualTo(BlockClock.GENESIS_HEIGHT + 300);
        assertThat(clock.latestHeight()).isEqualTo(BlockClock.GENESIS_HEIGHT + 305);
        now.addAndGet(500);
        assertThat(clock.clockHeight()).isEqualTo(BlockClock.GENESIS_HEIGHT + 301);
        assertThat(clock.latestHeight()).isEqualTo(BlockClock.GENESIS_HEIGHT + 306);
        assertThat(clock.isProduced(BlockClock.GENESIS_HEIGHT + 306)).isTrue();

        assertThat(clock.fastForward(Long.MAX_VALUE - 1))
                .as("timestamps would overflow")
                .isFalse();
        assertThat(clock.latestHeight()).isEqualTo(BlockClock.GENESIS_HEIGHT + 306);
    }
}
