package dev.outlayer.bench.targetsystem.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.executions.InMemorySystemCallbacks;
import dev.outlayer.bench.targetsystem.executions.SystemCallbacks;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.storage.InMemoryProjectStorage;
import dev.outlayer.bench.targetsystem.storage.ProjectStorage;
import org.junit.jupiter.api.Test;

/**
 * A ProjectStorageCleanup task (OutLayer's {@code create_project_storage_cleanup_task}): queued once per project
 * uuid, handed out in OutLayer's {@code SystemCallbackTask} shape, and done by the system-callback worker as
 * OutLayer's worker does it, by clearing the project's storage (its {@code POST /storage/clear-project}).
 */
class SystemCallbackWorkerCleanupTest {
    private static final String UUID = "p0000000000000cafe";

    @Test
    void aCleanupTaskIsQueuedOnceInOutLayersShapeAndClearsTheProjectsStorage() throws Exception {
        SystemCallbacks queue = new InMemorySystemCallbacks();
        SystemCallbacks.Created created = queue.createProjectCleanup("alice.near/app", UUID);
        assertThat(created.created()).isTrue();
        assertThat(queue.createProjectCleanup("alice.near/app", UUID))
                .as("its uuid's task exists")
                .isEqualTo(new SystemCallbacks.Created(created.taskId(), false));
        assertThat(queue.createProjectCleanup("alice.near/other", "p0000000000000beef")
                        .created())
                .isTrue();

        SystemCallbacks.Task task = queue.poll().orElseThrow();
        assertThat(JsonCodec.MAPPER.writeValueAsString(task))
                .isEqualTo("{\"task_type\":\"project_storage_cleanup\",\"task_id\":" + created.taskId()
                        + ",\"project_id\":\"alice.near/app\",\"project_uuid\":\"" + UUID + "\",\"created_at\":"
                        + task.createdAt() + "}");

        ProjectStorage storage = new InMemoryProjectStorage();
        ProjectStorage.Slot alice = new ProjectStorage.Slot(UUID, "alice.near", "k");
        ProjectStorage.Slot other = new ProjectStorage.Slot("p0000000000000beef", "alice.near", "k");
        storage.set(new ProjectStorage.Entry(alice, "a".repeat(64), new byte[] {1}, new byte[] {2}, true));
        storage.set(new ProjectStorage.Entry(
                new ProjectStorage.Slot(UUID, ProjectStorage.WORKER_ACCOUNT, "w"),
                "a".repeat(64),
                new byte[] {3},
                new byte[] {4},
                false));
        storage.set(new ProjectStorage.Entry(other, "a".repeat(64), new byte[] {1}, new byte[] {2}, true));

        // the worker needs neither the keystore nor the chain for this task
        new SystemCallbackWorker(queue, null, null, null, storage).handle(task);
        assertThat(storage.get(alice)).isEmpty();
        assertThat(storage.projectUsage(UUID)).isEqualTo(ProjectStorage.Usage.NONE);
        assertThat(storage.get(other)).as("another project keeps its rows").isPresent();
    }
}
