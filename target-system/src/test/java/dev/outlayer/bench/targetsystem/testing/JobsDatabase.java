package dev.outlayer.bench.targetsystem.testing;

import dev.outlayer.bench.targetsystem.TargetOptions;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's own PostgreSQL database for the coordinator's jobs store ({@code --jobs-db-url}): made on
 * first use, the same one for every later use in the class (a restart test reopens it), dropped after the
 * class. Register it on a static field: {@code @RegisterExtension static final JobsDatabase DATABASE = new
 * JobsDatabase();}
 */
public final class JobsDatabase implements AfterAllCallback {
    private PostgresServer.Database database;

    /** {@code options}, changed to keep the coordinator's jobs in this class's database. */
    public synchronized TargetOptions on(TargetOptions options) {
        if (database == null) {
            try {
                database = PostgresServer.freshDatabase();
            } catch (Exception e) {
                throw new IllegalStateException("no test database", e);
            }
        }
        options.jobsDbUrl = database.jdbcUrl();
        return options;
    }

    /** A connection of the test's own to the database {@link #on} made (to hold a lock the coordinator waits on). */
    public synchronized Connection connect() throws SQLException {
        if (database == null) {
            throw new IllegalStateException("no database yet: call on(options) first");
        }
        return database.connect();
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) throws Exception {
        if (database != null) {
            database.close();
            database = null;
        }
    }
}
