package dev.outlayer.bench.targetsystem.systemlogs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.executions.ManualClock;
import dev.outlayer.bench.targetsystem.systemlogs.SystemLogs.Entry;
import dev.outlayer.bench.targetsystem.systemlogs.SystemLogs.Stored;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rules every {@link SystemLogs} keeps (OutLayer's handlers/internal.rs), run against each implementation. */
public abstract class SystemLogsContractTest {
    protected static final Instant START = Instant.parse("2026-03-01T12:00:00.123456789Z");

    protected ManualClock clock;
    protected SystemLogs logs;

    /** A fresh, empty store on {@code clock}. */
    protected abstract SystemLogs newLogs(ManualClock clock);

    @BeforeEach
    void open() {
        clock = new ManualClock(START);
        logs = newLogs(clock);
    }

    private static Entry compile(long requestId, Long jobId, String stderr) {
        return new Entry(requestId, jobId, SystemLogs.COMPILATION, stderr, "", 101, null);
    }

    @Test
    void aJobsLogsComeBackNewestFirstWithEveryMember() {
        long first = logs.store(compile(7, 70L, "error[E0425]: cannot find value `x`"));
        clock.advance(Duration.ofSeconds(1));
        long second = logs.store(new Entry(7, 70L, "execution", null, "out", null, "wasm trap: unreachable"));
        logs.store(compile(8, 80L, "other job"));
        assertThat(second).isGreaterThan(first);

        List<Stored> found = logs.forJob(70);
        assertThat(found).extracting(Stored::id).containsExactly(second, first);
        assertThat(found.get(0).entry())
                .isEqualTo(new Entry(7, 70L, "execution", null, "out", null, "wasm trap: unreachable"));
        assertThat(found.get(1).entry()).isEqualTo(compile(7, 70L, "error[E0425]: cannot find value `x`"));
        assertThat(found.get(1).createdAt())
                .as("kept to the microsecond, as PostgreSQL keeps a timestamp")
                .isEqualTo(Instant.parse("2026-03-01T12:00:00.123456Z"));
        assertThat(found.get(0).createdAt()).isEqualTo(Instant.parse("2026-03-01T12:00:01.123456Z"));
    }

    @Test
    void logsStoredInTheSameMicrosecondComeNewestIdFirst() {
        long a = logs.store(compile(1, 10L, "a"));
        long b = logs.store(compile(1, 10L, "b"));
        assertThat(logs.forJob(10)).extracting(Stored::id).containsExactly(b, a);
    }

    @Test
    void aJobWithoutLogsAndALogWithoutAJobFindNothing() {
        logs.store(compile(3, null, "no job"));
        assertThat(logs.forJob(3)).as("looked up by job, not by request").isEmpty();
        assertThat(logs.forJob(0)).isEmpty();
        assertThat(logs.forJob(-1)).isEmpty();
    }

    @Test
    void largeOutputIsKeptWhole() {
        String stderr = "warning: unused variable\n".repeat(40_000); // 1 MB, as a long cargo build prints
        logs.store(compile(4, 40L, stderr));
        assertThat(logs.forJob(40).get(0).entry().stderr()).isEqualTo(stderr);
    }
}
