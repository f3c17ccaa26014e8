package dev.outlayer.bench.targetsystem.systemlogs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.executions.ManualClock;
import dev.outlayer.bench.targetsystem.testing.CoordinatorDatabases;
import dev.outlayer.bench.targetsystem.testing.PostgresServer;
import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The {@link SystemLogs} rules on PostgreSQL (a fresh database per test), shared by coordinators on it. */
@Tag(RequiredTools.POSTGRES)
@ExtendWith(RequiredTools.class)
class PostgresSystemLogsTest extends SystemLogsContractTest {
    @RegisterExtension
    final CoordinatorDatabases databases = new CoordinatorDatabases();

    private PostgresServer.Database database;

    @Override
    protected SystemLogs newLogs(ManualClock clock) {
        database = databases.fresh();
        return new PostgresSystemLogs(databases.pool(database, "system-logs-test"), clock);
    }

    @Test
    void anotherCoordinatorOnTheDatabaseReadsTheLogs() {
        long id = logs.store(new SystemLogs.Entry(9, 90L, SystemLogs.COMPILATION, "err", "out", 1, null));
        SystemLogs other = new PostgresSystemLogs(databases.pool(database, "system-logs-other"), clock);
        assertThat(other.forJob(90)).singleElement().satisfies(log -> {
            assertThat(log.id()).isEqualTo(id);
            assertThat(log.entry().exitCode()).isEqualTo(1);
        });
    }
}
