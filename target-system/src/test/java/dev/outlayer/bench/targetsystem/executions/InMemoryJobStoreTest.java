package dev.outlayer.bench.targetsystem.executions;

import java.time.Duration;

class InMemoryJobStoreTest extends JobStoreContractTest {
    @Override
    protected JobStore newStore(Duration staleClaimTimeout, ManualClock clock) {
        return new InMemoryJobStore(staleClaimTimeout, clock);
    }
}
