package dev.outlayer.bench.targetsystem.tee;

/** The {@link TeeSessions} rules in memory. */
class InMemoryTeeSessionsTest extends TeeSessionsContractTest {
    @Override
    protected TeeSessions newSessions() {
        return new InMemoryTeeSessions();
    }
}
