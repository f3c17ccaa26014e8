package dev.outlayer.bench.targetsystem.executions;

import dev.outlayer.bench.targetsystem.testing.CoordinatorDatabases;
import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The dashboard's reads of the PostgreSQL job store, one fresh database per test. */
@Tag(RequiredTools.POSTGRES)
@ExtendWith(RequiredTools.class)
class PostgresJobHistoryTest extends JobHistoryContractTest {
    @RegisterExtension
    final CoordinatorDatabases databases = new CoordinatorDatabases();

    @Override
    protected JobStore newStore(Duration staleClaimTimeout, ManualClock clock) {
        return PostgresJobStore.open(databases.fresh().jdbcUrl(), staleClaimTimeout, clock, 4);
    }
}
