package dev.outlayer.bench.targetsystem.executions;

import java.time.Duration;

/** The take-over's last gap closed on the in-memory store. */
class InMemoryResolutionReconciliationTest extends ResolutionReconciliationTest {
    @Override
    protected JobStore newStore(Duration staleClaimTimeout, ManualClock clock) {
        return new InMemoryJobStore(staleClaimTimeout, clock);
    }
}
