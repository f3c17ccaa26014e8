package dev.outlayer.bench.targetsystem.systemlogs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.executions.ManualClock;
import org.junit.jupiter.api.Test;

/** The {@link SystemLogs} rules in memory, and what it forgets to stay bounded. */
class InMemorySystemLogsTest extends SystemLogsContractTest {
    @Override
    protected SystemLogs newLogs(ManualClock clock) {
        return new InMemorySystemLogs(clock);
    }

    private static SystemLogs.Entry log(long job, String stderr) {
        return new SystemLogs.Entry(1, job, SystemLogs.COMPILATION, stderr, null, null, null);
    }

    @Test
    void theOldestLogsAreForgottenPastTheCountOrTheText() {
        SystemLogs few = new InMemorySystemLogs(clock, 3, 1_000);
        for (long job = 1; job <= 4; job++) {
            few.store(log(job, "x"));
        }
        assertThat(few.forJob(1)).as("the fourth log pushed out the first").isEmpty();
        assertThat(few.forJob(2)).hasSize(1);

        few.store(log(5, "y".repeat(990)));
        assertThat(few.forJob(2)).as("past 1,000 characters the oldest go").isEmpty();
        assertThat(few.forJob(4))
                .as("log_type and stderr: 1,000 characters with the newest")
                .isEmpty();
        assertThat(few.forJob(5)).hasSize(1);

        few.store(log(6, "z".repeat(5_000)));
        assertThat(few.forJob(6))
                .as("a log larger than the budget is kept alone")
                .hasSize(1);
        assertThat(few.forJob(5)).isEmpty();
    }
}
