package dev.outlayer.bench.targetsystem.executions;

import dev.outlayer.bench.targetsystem.testing.PostgresServer;
import java.time.Duration;

/** A fresh, migrated jobs database on the test PostgreSQL for one test, and a store on it; dropped when closed. */
final class FreshJobsDatabase implements AutoCloseable {
    private PostgresServer.Database database;

    /** The store on a new database, judging staleness by {@code clock}. */
    JobStore open(Duration staleClaimTimeout, ManualClock clock) {
        try {
            database = PostgresServer.freshDatabase("jobs_template", PostgresJobStore::migrate);
        } catch (Exception e) {
            throw new IllegalStateException("no test database", e);
        }
        return PostgresJobStore.open(database.jdbcUrl(), staleClaimTimeout, clock, 10);
    }

    @Override
    public void close() throws Exception {
        if (database != null) {
            database.close();
        }
    }
}
