package dev.outlayer.bench.targetsystem.tee;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.executions.ManualClock;
import org.junit.jupiter.api.Test;

/** The {@link Attestations} rules in memory, and what it forgets to stay bounded. */
class InMemoryAttestationsTest extends AttestationsContractTest {
    @Override
    protected Attestations newAttestations(ManualClock clock) {
        return new InMemoryAttestations(clock);
    }

    @Test
    void theOldestAttestationsAreForgottenPastTheCountOrTheQuoteBytes() {
        Attestations few = new InMemoryAttestations(clock, 3, 2_000);
        long first = few.store(compile(1), null);
        few.store(compile(1), null);
        few.store(compile(2), null);
        few.store(compile(3), null);
        assertThat(few.first(1).orElseThrow().id())
                .as("the fourth pushed out the first: task 1's second is its first now")
                .isGreaterThan(first);

        few.store(compile(4), null);
        assertThat(few.first(1)).as("task 1 is gone").isEmpty();
        assertThat(few.first(2)).isPresent();

        Attestations small = new InMemoryAttestations(clock, 100, 2_000);
        for (long task = 1; task <= 4; task++) {
            small.store(compile(task), null); // 600 bytes each: the fourth passes 2,000
        }
        assertThat(small.first(1))
                .as("past 2,000 bytes of quotes the oldest goes")
                .isEmpty();
        small.store(httpsExecute(5, null), null); // 700 more
        assertThat(small.first(2)).isEmpty();
        assertThat(small.first(3)).as("1,900 bytes kept").isPresent();
        assertThat(small.first(5)).isPresent();
    }
}
