package dev.outlayer.bench.targetsystem;

import dev.outlayer.bench.targetsystem.testing.PostgresServer;
import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link TeeApiTest} with {@code --jobs-db-url}: attestations ({@code task_attestations}), challenges and sessions
 * ({@code tee_challenges}, {@code worker_tee_sessions}) answer the same on PostgreSQL.
 */
@Tag(RequiredTools.POSTGRES)
@ExtendWith(RequiredTools.class)
class PostgresTeeApiTest extends TeeApiTest {
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
