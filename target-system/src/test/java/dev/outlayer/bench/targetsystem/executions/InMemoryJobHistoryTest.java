package dev.outlayer.bench.targetsystem.executions;

import java.time.Duration;

/** The dashboard's reads of the in-memory job store. */
class InMemoryJobHistoryTest extends JobHistoryContractTest {
    @Override
    protected JobStore newStore(Duration staleClaimTimeout, ManualClock clock) {
        return new InMemoryJobStore(staleClaimTimeout, clock);
    }
}
