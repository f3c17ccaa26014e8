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
 * {@link LocksAndSystemLogsApiTest} with {@code --jobs-db-url}: the system logs in PostgreSQL answer the same, and
 * a restarted coordinator on the database still has them.
 */
@Tag(RequiredTools.POSTGRES)
@ExtendWith(RequiredTools.class)
class PostgresLocksAndSystemLogsApiTest extends LocksAndSystemLogsApiTest {
    @RegisterExtension
    static final JobsDatabase DATABASE = new JobsDatabase();

    @Override
    protected TargetOptions options() {
        return DATABASE.on(super.options());
    }

    @Test
    void aRestartedCoordinatorStillHasTheLogs() throws Exception {
        TargetOptions options = options();
        options.outlayerWorkers = 0;
        String body = "{\"request_id\":77,\"job_id\":770077,\"log_type\":\"compilation\",\"stderr\":\"kept\"}";
        try (LifecycleClient first = new LifecycleClient(options)) {
            HttpResponse<String> stored = LifecycleClient.HTTP.send(
                    HttpRequest.newBuilder(URI.create(first.system.coordinatorUrl() + "/internal/system-logs"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
        }
        try (LifecycleClient again = new LifecycleClient(options)) {
            HttpResponse<String> read = LifecycleClient.HTTP.send(
                    HttpRequest.newBuilder(URI.create(again.system.coordinatorUrl() + "/admin/compile-logs/770077"))
                            .header("Authorization", "Bearer " + ADMIN)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
            assertThat(read.body()).contains("\"stderr\":\"kept\"");
        }
    }
}
