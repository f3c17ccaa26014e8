package dev.outlayer.bench.results.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.results.recorder.ServerTimingHeader.Phase;
import org.junit.jupiter.api.Test;

class ServerTimingHeaderTest {

    @Test
    void readsMicrosecondDurations() {
        assertThat(ServerTimingHeader.parse("throttle;dur=0.004, upstream;dur=0.312"))
                .containsExactly(new Phase("throttle", 4), new Phase("upstream", 312));
    }

    @Test
    void toleratesDescriptionsQuotesAndJunk() {
        assertThat(ServerTimingHeader.parse(
                        "queue;desc=\"wait, then run\";dur=1.5,exec;dur=\"0.25\", cache, bad;dur=x, ;dur=3"))
                .containsExactly(new Phase("queue", 1500), new Phase("exec", 250));
        assertThat(ServerTimingHeader.parse(null)).isEmpty();
        assertThat(ServerTimingHeader.parse("  ")).isEmpty();
    }
}
