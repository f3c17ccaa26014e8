package dev.outlayer.bench.targetsystem.tee;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.executions.ManualClock;
import dev.outlayer.bench.targetsystem.testing.CoordinatorDatabases;
import dev.outlayer.bench.targetsystem.testing.PostgresServer;
import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The {@link Attestations} rules on PostgreSQL (a fresh database per test), shared by coordinators on it. */
@Tag(RequiredTools.POSTGRES)
@ExtendWith(RequiredTools.class)
class PostgresAttestationsTest extends AttestationsContractTest {
    @RegisterExtension
    final CoordinatorDatabases databases = new CoordinatorDatabases();

    private PostgresServer.Database database;

    @Override
    protected Attestations newAttestations(ManualClock clock) {
        database = databases.fresh();
        return new PostgresAttestations(databases.pool(database, "attestations-test"), clock);
    }

    @Test
    void anotherCoordinatorOnTheDatabaseReadsTheAttestation() {
        long id = attestations.store(compile(90), null);
        Attestations other = new PostgresAttestations(databases.pool(database, "attestations-other"), clock);
        assertThat(other.first(90)).hasValueSatisfying(a -> {
            assertThat(a.id()).isEqualTo(id);
            assertThat(a.entry().tdxQuote()).containsExactly(quote(600));
        });
    }
}
