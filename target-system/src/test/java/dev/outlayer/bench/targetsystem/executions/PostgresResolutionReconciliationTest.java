package dev.outlayer.bench.targetsystem.executions;

import dev.outlayer.bench.targetsystem.testing.CoordinatorDatabases;
import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The take-over's last gap closed on a real PostgreSQL, one fresh database per test. */
@Tag(RequiredTools.POSTGRES)
@ExtendWith(RequiredTools.class)
class PostgresResolutionReconciliationTest extends ResolutionReconciliationTest {
    @RegisterExtension
    final CoordinatorDatabases databases = new CoordinatorDatabases();

    /** The store is closed by {@link ResolutionReconciliationTest}, its database dropped after it. */
    @Override
    protected JobStore newStore(Duration staleClaimTimeout, ManualClock clock) {
        return PostgresJobStore.open(databases.fresh().jdbcUrl(), staleClaimTimeout, clock, 10);
    }
}
