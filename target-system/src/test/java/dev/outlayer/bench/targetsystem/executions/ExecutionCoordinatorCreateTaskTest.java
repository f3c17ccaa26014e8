package dev.outlayer.bench.targetsystem.executions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * OutLayer's {@code POST /executions/create} (handlers/tasks.rs create_task), as its workers'
 * event monitors call it: a task of the contract's pending request is queued once; one the
 * contract does not have as pending, or with other code or input, is refused.
 */
class ExecutionCoordinatorCreateTaskTest {
    private final InMemoryJobStore store = new InMemoryJobStore(Duration.ofSeconds(30));
    private final AtomicReference<String> pending = new AtomicReference<>();
    private final ExecutionCoordinator coordinator = new ExecutionCoordinator(
            new ExecutionCoordinator.Settings("test", "outlayer.test.near", 0, Duration.ZERO, 100),
            store,
            null,
            null,
            null,
            (method, args) -> {
                String json = pending.get();
                if (json == null) {
                    return Optional.empty();
                }
                try {
                    return Optional.of(JsonCodec.MAPPER.readTree(json));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            },
            new SimpleMeterRegistry());

    @AfterEach
    void close() {
        store.close();
    }

    /** The contract's get_request of JobStoreContractTest.task(id) (data_id "data-N" is not hex: use bytes of "ab"). */
    private static String pendingRequest(long id, String input) {
        StringBuilder dataId = new StringBuilder("[");
        for (int i = 0; i < 32; i++) {
            dataId.append(i == 0 ? "" : ",").append(0xab);
        }
        dataId.append(']');
        return "{\"request_id\":" + id + ",\"data_id\":" + dataId + ",\"sender_id\":\"alice.test.near\","
                + "\"execution_source\":{\"WasmUrl\":{\"url\":\"program://abc\",\"hash\":\"" + "ab".repeat(32)
                + "\",\"build_target\":\"wasm32-wasip1\"}},\"resolved_source\":{\"WasmUrl\":{\"url\":"
                + "\"program://abc\",\"hash\":\"" + "ab".repeat(32) + "\",\"build_target\":\"wasm32-wasip1\"}},"
                + "\"resource_limits\":{\"max_instructions\":1000000,\"max_memory_mb\":64,\"max_execution_seconds\":10},"
                + "\"payment\":\"1000\",\"timestamp\":1,\"secrets_ref\":{\"profile\":\"default\",\"account_id\":"
                + "\"alice.test.near\"},\"response_format\":\"Text\",\"input_data\":"
                + JsonCodec.MAPPER.valueToTree(input)
                + "}";
    }

    private static ExecutionTask task(long id) {
        ExecutionTask t = JobStoreContractTest.task(id);
        return new ExecutionTask(
                t.requestId(),
                "ab".repeat(32),
                t.codeSource(),
                t.resourceLimits(),
                t.inputData(),
                t.secretsRef(),
                t.responseFormat(),
                t.context(),
                t.userAccountId(),
                t.nearPaymentYocto(),
                t.transactionHash(),
                t.blockHeight());
    }

    @Test
    void aTaskOfAPendingRequestIsQueuedOnce() throws Exception {
        pending.set(pendingRequest(5, "{\"n\":5}"));
        assertThat(coordinator.createTask(task(5))).isTrue();
        assertThat(coordinator.createTask(task(5))).as("known").isFalse();
        assertThat(store.poll(Set.of(TaskQueue.COMPILE), Duration.ZERO)).contains(task(5));
        assertThat(coordinator.phases().view(5)).isPresent();
    }

    @Test
    void aTaskTheContractDoesNotHaveAsPendingIsRefusedAndQueuesNothing() throws Exception {
        pending.set("null");
        assertThatThrownBy(() -> coordinator.createTask(task(6)))
                .isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).kind()).isEqualTo(ApiException.Kind.CONFLICT));
        pending.set(pendingRequest(6, "{\"other\":true}"));
        assertThatThrownBy(() -> coordinator.createTask(task(6))).hasMessageContaining("input_data");
        pending.set(null);
        assertThatThrownBy(() -> coordinator.createTask(task(6)))
                .satisfies(e -> assertThat(((ApiException) e).kind()).isEqualTo(ApiException.Kind.UNAVAILABLE));
        assertThat(store.poll(Duration.ZERO)).isEmpty();
    }
}
