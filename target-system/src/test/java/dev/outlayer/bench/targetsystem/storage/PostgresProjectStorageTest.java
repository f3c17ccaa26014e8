package dev.outlayer.bench.targetsystem.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.testing.CoordinatorDatabases;
import dev.outlayer.bench.targetsystem.testing.PostgresServer;
import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The {@link ProjectStorage} rules on PostgreSQL (a fresh database per test), and what a restart keeps. */
@Tag(RequiredTools.POSTGRES)
@ExtendWith(RequiredTools.class)
class PostgresProjectStorageTest extends ProjectStorageContractTest {
    @RegisterExtension
    final CoordinatorDatabases databases = new CoordinatorDatabases();

    @Override
    protected ProjectStorage newStorage() {
        return on(databases.fresh());
    }

    private ProjectStorage on(PostgresServer.Database database) {
        return new PostgresProjectStorage(databases.pool(database, "storage-test"));
    }

    @Test
    void anotherCoordinatorOnTheDatabaseSeesTheRowsAndUsage() {
        PostgresServer.Database database = databases.fresh();
        ProjectStorage first = on(database);
        ProjectStorage.Slot slot = new ProjectStorage.Slot("p1", "alice.near", "k");
        first.set(new ProjectStorage.Entry(slot, "v1", new byte[] {0, -1}, new byte[] {1, 2, 3}, true));

        ProjectStorage second = on(database);
        assertThat(second.get(slot).orElseThrow().encryptedKey()).containsExactly(0, -1);
        assertThat(second.usage("p1", "alice.near")).isEqualTo(new ProjectStorage.Usage(5, 1));
    }
}
