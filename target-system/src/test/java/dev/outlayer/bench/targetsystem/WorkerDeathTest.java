package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.executions.ExecutionWorker;
import dev.outlayer.bench.targetsystem.executions.JobType;
import dev.outlayer.bench.targetsystem.executions.OperatorChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A worker that dies mid-job: its claim goes stale, the other worker takes the job over and
 * resolves it; the request is resolved exactly once, and a second resolution is refused by the
 * contract.
 */
class WorkerDeathTest {

    @Test
    void aDeadWorkersJobIsTakenOverAndResolvedOnce() throws Exception {
        TargetOptions options = LifecycleClient.fastBlocks(2);
        // long enough for heartbeats to arrive on a loaded machine, short for the test
        options.outlayerStaleClaimMillis = 3000;
        try (LifecycleClient client = new LifecycleClient(options)) {
            // no argv in the lifecycle: misbehave spins until its 1 s limit kills it
            String loop = client.upload("misbehave");
            String tx = client.requestExecution(loop, "", 1);
            long requestId = waitForExecuting(client);
            String victim =
                    client.get("/executions/" + requestId).path("worker_id").asText();
            ExecutionWorker dying = client.system.executions().workers().stream()
                    .filter(w -> w.id().equals(victim))
                    .findFirst()
                    .orElseThrow();
            dying.kill();

            JsonNode outcome = client.finalOutcome(tx);
            // OutLayer's callback logs a failed execution and returns null: the user sees null
            assertThat(outcome.path("status").path("SuccessValue").asText()).isEqualTo("bnVsbA==");
            JsonNode view = client.resolvedView(requestId);
            assertThat(view.path("status").asText()).isEqualTo("failed");
            assertThat(view.path("worker_id").asText()).isNotEqualTo(victim);
            assertThat(client.system.executions().store().jobs(requestId))
                    .filteredOn(job -> job.jobType() == JobType.EXECUTE)
                    .singleElement()
                    .satisfies(job -> {
                        assertThat(job.attempt()).isGreaterThan(1);
                        assertThat(job.workerId()).isNotEqualTo(victim);
                    });
            assertThat(client.system.executions().store().resolutions(requestId))
                    .isEqualTo(1);

            // the contract refuses a second resolution of the same request
            OperatorChannel chain = client.system.operatorChannel();
            String again =
                    "{\"request_id\":" + requestId + ",\"response\":{\"success\":true,\"output\":{\"Text\":\"x\"},"
                            + "\"error\":null,\"resources_used\":{\"instructions\":1,\"time_ms\":1,\"compile_time_ms\":null}}}";
            OperatorChannel.Sent second =
                    chain.send(chain.sign("late-worker", "resolve_execution", again.getBytes(StandardCharsets.UTF_8)));
            assertThat(second.accepted()).isFalse();
            assertThat(second.error()).contains("not found");
            assertThat(client.system.executions().phases().executedTwiceCount()).isZero();
        }
    }

    /** The request id once a worker is executing it. */
    private static long waitForExecuting(LifecycleClient client) throws Exception {
        for (int attempt = 0; attempt < 200; attempt++) {
            for (long id = 0; id < 3; id++) {
                JsonNode view = client.get("/executions/" + id);
                if ("executing".equals(view.path("status").asText())) {
                    return id;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no request reached executing");
    }
}
