package dev.outlayer.bench.targetsystem.testing;

import dev.outlayer.bench.targetsystem.executions.PostgresJobStore;
import dev.outlayer.bench.targetsystem.persistence.PostgresDatabase;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fresh databases with the coordinator's schema ({@link PostgresJobStore#migrate}) on the JVM's
 * {@link PostgresServer}, and what a test's coordinators open on them (connection pools, stores),
 * each as another coordinator process would have. Registered as a test class's extension
 * ({@code @RegisterExtension}), it closes them all after each test (after its {@code @AfterEach}
 * methods): what was opened on the databases first, newest first, then the databases (a database
 * is dropped with whatever connections it still has).
 */
public final class CoordinatorDatabases implements AfterEachCallback {
    private static final String TEMPLATE = "jobs_template";
    private static final int POOL_SIZE = 8;

    private final Deque<AutoCloseable> onDatabases = new ArrayDeque<>();
    private final List<AutoCloseable> databases = new ArrayList<>();

    /** A new database holding the coordinator's schema, dropped after the test. */
    public PostgresServer.Database fresh() {
        try {
            PostgresServer.Database database = PostgresServer.freshDatabase(TEMPLATE, PostgresJobStore::migrate);
            databases.add(database);
            return database;
        } catch (Exception e) {
            throw new IllegalStateException("no test database", e);
        }
    }

    /** A coordinator's pool on {@code database}, named {@code name}, closed after the test. */
    public PostgresDatabase pool(PostgresServer.Database database, String name) {
        return closedAfter(PostgresDatabase.open(database.jdbcUrl(), name, POOL_SIZE));
    }

    /**
     * {@code opened} (a store, a coordinator) closed after the test, before the databases it uses;
     * closing it sooner, as a crash or a restart would, is the test's to do (it must bear a second close).
     */
    public <T extends AutoCloseable> T closedAfter(T opened) {
        onDatabases.push(opened);
        return opened;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        List<AutoCloseable> all = new ArrayList<>(onDatabases);
        all.addAll(databases);
        onDatabases.clear();
        databases.clear();
        Exception failure = null;
        for (AutoCloseable resource : all) {
            try {
                resource.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
