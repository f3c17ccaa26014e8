package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertAll;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.executions.AcceptedResolution;
import dev.outlayer.bench.targetsystem.executions.ExecutionCoordinator;
import dev.outlayer.bench.targetsystem.executions.ForwardingJobStore;
import dev.outlayer.bench.targetsystem.executions.Job;
import dev.outlayer.bench.targetsystem.executions.JobStatus;
import dev.outlayer.bench.targetsystem.executions.JobStore;
import dev.outlayer.bench.targetsystem.executions.JobType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The take-over's last gap on the real contract, chain and event monitor: the worker whose
 * resolution the contract accepted (the yield resumed, the callback ran) dies before it records
 * it. The job ends as the chain says, by that worker, counted once, and nobody runs the request
 * again; without the monitor's record the job would go stale and be taken over by the other
 * worker, whose resolution the contract refuses, and end failed.
 */
@Timeout(120)
class WorkerDiesAfterItsResolutionLandedTest {
    private static final long STALE_CLAIM_MILLIS = 2000;

    /** The jobs, but the first worker to record an accepted resolution dies on the way (its record throws). */
    static final class FirstResolverDies extends ForwardingJobStore {
        final AtomicReference<String> died = new AtomicReference<>();

        FirstResolverDies(JobStore store) {
            super(store);
        }

        @Override
        public AcceptedResolution.Recorded recordResolution(AcceptedResolution resolution) {
            if (!resolution.fromChain() && died.compareAndSet(null, resolution.workerId())) {
                throw new IllegalStateException(resolution.workerId() + " died before recording its resolution");
            }
            return super.recordResolution(resolution);
        }
    }

    @Test
    void theJobEndsAsTheChainSaysByTheWorkerThatDiedCountedOnce() throws Exception {
        TargetOptions options = LifecycleClient.fastBlocks(0);
        options.outlayerStaleClaimMillis = STALE_CLAIM_MILLIS;
        try (LifecycleClient client = new LifecycleClient(options)) {
            JobStore jobs = client.system.executions().store();
            FirstResolverDies dying = new FirstResolverDies(jobs);
            // two workers: the one left takes the job over if it goes stale
            ExecutionCoordinator coordinator =
                    client.system.addCoordinator("dying", dying, 2, new SimpleMeterRegistry());
            String echo = client.upload("echo_json");

            JsonNode outcome = client.finalOutcome(client.requestExecution(echo, "{\"n\":1}", 10));
            long requestId = client.requestIdOf(outcome);
            assertThat(LifecycleClient.completedEvent(outcome).path("success").asBoolean())
                    .isTrue();
            assertThat(dying.died.get()).as("the worker that died").isNotNull();

            // long enough for a take-over, had the job been left to one
            Thread.sleep(STALE_CLAIM_MILLIS * 2);
            Job execute = waitForEnd(jobs, requestId);

            assertAll(
                    () -> assertThat(execute.status()).as("execute job").isEqualTo(JobStatus.COMPLETED),
                    () -> assertThat(execute.workerId()).as("its worker").isEqualTo(dying.died.get()),
                    () -> assertThat(execute.attempt()).as("claims").isEqualTo(1),
                    () -> assertThat(jobs.resolutions(requestId))
                            .as("resolutions")
                            .isEqualTo(1),
                    () -> assertThat(coordinator.phases().executedTwiceCount()).isZero(),
                    () -> assertThat(coordinator.monitor().health()).containsEntry("resolutions_from_chain", 1L));
        }
    }

    /** The request's execute job once it is no longer in progress (or as it is after 30 s). */
    private static Job waitForEnd(JobStore jobs, long requestId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Optional<Job> execute;
        do {
            execute = jobs.jobs(requestId).stream()
                    .filter(j -> j.jobType() == JobType.EXECUTE)
                    .findFirst();
            if (execute.isPresent() && execute.get().status() != JobStatus.IN_PROGRESS) {
                return execute.get();
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return execute.orElseThrow();
    }
}
