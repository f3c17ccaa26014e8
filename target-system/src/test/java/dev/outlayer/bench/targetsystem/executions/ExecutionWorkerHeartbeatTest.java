package dev.outlayer.bench.targetsystem.executions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.threads.OwnedThreads;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A claim's heartbeat lives as long as the work on the claim, on the scheduler the coordinator's workers share. */
class ExecutionWorkerHeartbeatTest {
    private final OwnedThreads thread = OwnedThreads.named("test-heartbeats");
    private final ScheduledThreadPoolExecutor heartbeats = ExecutionWorkers.heartbeatScheduler(thread);
    private final InMemoryJobStore store =
            new InMemoryJobStore(Duration.ofSeconds(30), new ManualClock(Instant.parse("2026-12-07T00:00:00Z")));
    private final ExecutionWorkerTakeoverTest.RecordingChannel chain =
            new ExecutionWorkerTakeoverTest.RecordingChannel();

    @AfterEach
    void stop() {
        thread.stopNow(heartbeats);
    }

    @Test
    void aFinishedClaimLeavesNoBeatQueued() throws Exception {
        ExecutionWorker worker = new ExecutionWorker(
                "worker-a",
                store,
                new ExecutionWorkerResolutionTest.Program("hello".getBytes(StandardCharsets.UTF_8)),
                chain,
                new PhaseClock(new SimpleMeterRegistry(), 100),
                heartbeats,
                Duration.ZERO);
        int requests = 200;
        for (long id = 1; id <= requests; id++) {
            store.enqueue(JobStoreContractTest.task(id));
            for (Optional<ExecutionTask> next = store.poll(Duration.ZERO);
                    next.isPresent();
                    next = store.poll(Duration.ZERO)) {
                worker.handle(next.get());
            }
        }

        assertThat(chain.sent).as("every request resolved").hasSize(requests);
        // A cancelled beat stayed queued until its next firing (10 s here), holding its claim.
        assertThat(heartbeats.getQueue())
                .as("beats still queued after their claims' work ended")
                .isEmpty();
    }
}
