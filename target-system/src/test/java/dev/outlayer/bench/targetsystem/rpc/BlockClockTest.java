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
}
