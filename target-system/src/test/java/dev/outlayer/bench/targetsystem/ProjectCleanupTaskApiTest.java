package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.testing.ErrorBodies;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * OutLayer's {@code POST /projects/cleanup-task/create} on a running coordinator (handlers/topup.rs), as its event
 * monitor calls it after a project's deletion: a task per project uuid, which the in-process system-callback worker
 * (running beside the keystore, as OutLayer's worker polls the same queue) does by clearing the project's storage,
 * every account's rows and usage; the worker token and axum's refusals, each queueing nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProjectCleanupTaskApiTest {
    private static final String TOKEN = "cleanup-api-worker-token-0123456";
    private static final String DATA = "Failed to deserialize the JSON body into the target type: ";
    private static final String V1 = "a".repeat(64);
    private static final AtomicInteger PROJECTS = new AtomicInteger();

    @TempDir
    static Path dir;

    protected LifecycleClient client;

    /** The options of the system under test: in memory here, a subclass's store otherwise. */
    protected TargetOptions options() {
        TargetOptions options = LifecycleClient.options(0);
        LifecycleClient.withKeystore(options, dir.resolve("ks"));
        options.workerToken = TOKEN;
        return options;
    }

    @BeforeAll
    void start() {
        client = new LifecycleClient(options());
    }

    @AfterAll
    void stop() {
        client.close();
    }

    private static List<String> worker() {
        return List.of("Authorization", "Bearer " + TOKEN);
    }

    private static String project() {
        return String.format("p%016x", 0xc1ea0 + PROJECTS.incrementAndGet());
    }

    private void store(String project, String account, String keyHash) throws Exception {
        HttpResponse<String> set = client.send(
                "POST",
                "/storage/set",
                "{\"project_uuid\":\"" + project + "\",\"wasm_hash\":\"" + V1 + "\",\"account_id\":\"" + account
                        + "\",\"key_hash\":\"" + keyHash + "\",\"encrypted_key\":[1],\"encrypted_value\":[2,3]}",
                worker());
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
    }

    private JsonNode projectStorage(String project) throws Exception {
        return client.send("GET", "/public/projects/storage?project_uuid=" + project, null, List.of(), 200);
    }

    private static String task(String projectId, String project) {
        return "{\"project_id\":\"" + projectId + "\",\"project_uuid\":\"" + project + "\"}";
    }

    /** The project's storage once the worker has done its task (it polls the queue every second at most). */
    private JsonNode awaitCleared(String project) throws Exception {
        JsonNode usage = projectStorage(project);
        for (int i = 0; i < 200 && usage.path("key_count").asLong() != 0; i++) {
            Thread.sleep(50);
            usage = projectStorage(project);
        }
        return usage;
    }

    @Test
    void aCleanupTaskIsCreatedOncePerProjectAndTheWorkerClearsItsStorage() throws Exception {
        String deleted = project();
        String kept = project();
        store(deleted, "alice.near", "k1");
        store(deleted, "bob.near", "k2");
        store(deleted, "@worker", "w");
        store(kept, "alice.near", "k1");
        assertThat(projectStorage(deleted).path("key_count").asLong()).isEqualTo(3);

        JsonNode created =
                client.send("POST", "/projects/cleanup-task/create", task("alice.near/app", deleted), worker(), 200);
        assertThat(created.path("created").asBoolean()).isTrue();
        assertThat(created.size()).as(created.toString()).isEqualTo(2);
        long taskId = created.path("task_id").asLong();

        JsonNode cleared = awaitCleared(deleted);
        assertThat(cleared.path("key_count").asLong()).as(cleared.toString()).isZero();
        assertThat(cleared.path("total_bytes").asLong()).isZero();
        assertThat(projectStorage(kept).path("key_count").asLong())
                .as("another project keeps its rows")
                .isEqualTo(1);

        JsonNode again =
                client.send("POST", "/projects/cleanup-task/create", task("alice.near/app", deleted), worker(), 200);
        assertThat(again.toString())
                .as("OutLayer's duplicate check by uuid: the first task's id")
                .isEqualTo("{\"task_id\":" + taskId + ",\"created\":false}");
    }

    @Test
    void refusedTasksQueueNothing() throws Exception {
        String project = project();
        store(project, "alice.near", "k");
        String body = task("alice.near/app", project);
        assertThat(client.send("POST", "/projects/cleanup-task/create", body, List.of())
                        .statusCode())
                .isEqualTo(401);
        assertThat(client.send(
                                "POST",
                                "/projects/cleanup-task/create",
                                body,
                                List.of("Authorization", "Bearer wrong-token"))
                        .statusCode())
                .isEqualTo(401);
        HttpResponse<String> noUuid =
                client.send("POST", "/projects/cleanup-task/create", "{\"project_id\":\"alice.near/app\"}", worker());
        assertThat(noUuid.statusCode()).isEqualTo(422);
        assertThat(ErrorBodies.message(noUuid.body())).startsWith(DATA).contains("missing field `project_uuid`");
        HttpResponse<String> numberId = client.send(
                "POST",
                "/projects/cleanup-task/create",
                "{\"project_id\":7,\"project_uuid\":\"" + project + "\"}",
                worker());
        assertThat(numberId.statusCode()).as(numberId.body()).isEqualTo(422);
        HttpResponse<String> nul = client.send(
                "POST",
                "/projects/cleanup-task/create",
                "{\"project_id\":\"a\",\"project_uuid\":\"" + project + "\\u0000\"}",
                worker());
        assertThat(nul.statusCode()).isEqualTo(422);
        assertThat(ErrorBodies.message(nul.body())).contains("'project_uuid' cannot hold a NUL character");

        JsonNode first = client.send("POST", "/projects/cleanup-task/create", body, worker(), 200);
        assertThat(first.path("created").asBoolean())
                .as("none of the refused calls queued the project's task")
                .isTrue();
        assertThat(awaitCleared(project).path("key_count").asLong()).isZero();
    }
}
