package dev.outlayer.bench.targetsystem;

import dev.outlayer.bench.targetsystem.testing.PostgresServer;
import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link ProjectCleanupTaskApiTest} with {@code --jobs-db-url}: the task in {@code system_callback_tasks}, the
 * storage it clears in {@code storage_data} and {@code storage_usage}.
 */
@Tag(RequiredTools.POSTGRES)
@ExtendWith(RequiredTools.class)
class PostgresProjectCleanupTaskApiTest extends ProjectCleanupTaskApiTest {
    private PostgresServer.Database database;

    @Override
    protected TargetOptions options() {
        try {
            database = PostgresServer.freshDatabase();
        } catch (Exception e) {
            throw new IllegalStateException("no test database", e);
        }
        TargetOptions options = super.options();
        options.jobsDbUrl = database.jdbcUrl();
        return options;
    }

    @AfterAll
    void dropDatabase() throws Exception {
        database.close();
    }
}
