package dev.outlayer.bench.targetsystem;

import dev.outlayer.bench.targetsystem.testing.PostgresServer;
import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link OutLayerAdminApiTest} with {@code --jobs-db-url}: grants, the grant-key list (its {@code created_at}
 * from the {@code payment_keys} row), grant-key and worker deletion answer the same on PostgreSQL.
 */
@Tag(RequiredTools.POSTGRES)
@ExtendWith(RequiredTools.class)
class PostgresOutLayerAdminApiTest extends OutLayerAdminApiTest {
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
