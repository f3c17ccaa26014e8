package dev.outlayer.bench.targetsystem.executions;

import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The take-over's last gap closed on a real PostgreSQL, one fresh database per test. */
@Tag(RequiredTools.POSTGRES)
@ExtendWith(RequiredTools.class)
class PostgresResolutionReconciliationTest extends ResolutionReconciliationTest {
    private final FreshJobsDatabase database = new FreshJobsDatabase();

    @Override
    protected JobStore newStore(Duration staleClaimTimeout, ManualClock clock) {
        return database.open(staleClaimTimeout, clock);
    }

    @Override
    protected void storeClosed() throws Exception {
        database.close();
    }
}
