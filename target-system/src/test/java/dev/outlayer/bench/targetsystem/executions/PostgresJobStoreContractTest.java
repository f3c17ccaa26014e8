package dev.outlayer.bench.targetsystem.executions;

import dev.outlayer.bench.targetsystem.testing.PostgresServer;
import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The {@link JobStore} rules against a real PostgreSQL, one fresh database per test. */
@Tag(RequiredTools.POSTGRES)
@ExtendWith(RequiredTools.class)
class PostgresJobStoreContractTest extends JobStoreContractTest {
    private PostgresServer.Database database;

    @Override
    protected JobStore newStore(Duration staleClaimTimeout, ManualClock clock) {
        try {
            database = PostgresServer.freshDatabase("jobs_template", PostgresJobStore::migrate);
        } catch (Exception e) {
            throw new IllegalStateException("no test database", e);
        }
        return PostgresJobStore.open(database.jdbcUrl(), staleClaimTimeout, clock, 10);
    }

    @AfterEach
    void dropDatabase() throws Exception {
        store.close();
        database.close();
    }
}
