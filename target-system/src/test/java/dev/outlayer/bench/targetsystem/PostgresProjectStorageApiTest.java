package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.testing.JobsDatabase;
import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ProjectStorageApiTest} with {@code --jobs-db-url}: the storage API's answers are the same on PostgreSQL,
 * and what was stored survives a restart of the coordinator on the database.
 */
@Tag(RequiredTools.POSTGRES)
@ExtendWith(RequiredTools.class)
class PostgresProjectStorageApiTest extends ProjectStorageApiTest {
    @RegisterExtension
    static final JobsDatabase DATABASE = new JobsDatabase();

    @Override
    protected TargetOptions options() {
        return DATABASE.on(super.options());
    }

    @Test
    void aRestartedCoordinatorStillHasTheRows() throws Exception {
        TargetOptions options = options();
        String body = "{\"project_uuid\":\"p-restart\",\"wasm_hash\":\"v\",\"account_id\":\"@worker\","
                + "\"key_hash\":\"k\",\"encrypted_key\":[1],\"encrypted_value\":[2,3]}";
        try (LifecycleClient first = new LifecycleClient(options)) {
            HttpResponse<String> set = LifecycleClient.HTTP.send(
                    HttpRequest.newBuilder(URI.create(first.system.coordinatorUrl() + "/storage/set"))
                            .header("Content-Type", "application/json")
                            .header("Authorization", "Bearer " + options.workerToken)
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        }
        try (LifecycleClient again = new LifecycleClient(options)) {
            HttpResponse<String> usage = LifecycleClient.HTTP.send(
                    HttpRequest.newBuilder(URI.create(
                                    again.system.coordinatorUrl() + "/public/projects/storage?project_uuid=p-restart"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(usage.body()).isEqualTo("{\"project_uuid\":\"p-restart\",\"total_bytes\":3,\"key_count\":1}");
        }
    }
}
