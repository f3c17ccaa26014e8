package dev.outlayer.bench.targetsystem.tee;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.testing.CoordinatorDatabases;
import dev.outlayer.bench.targetsystem.testing.PostgresServer;
import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The {@link TeeSessions} rules on PostgreSQL: coordinators on one database share challenges and sessions. */
@Tag(RequiredTools.POSTGRES)
@ExtendWith(RequiredTools.class)
class PostgresTeeSessionsTest extends TeeSessionsContractTest {
    @RegisterExtension
    final CoordinatorDatabases databases = new CoordinatorDatabases();

    private PostgresServer.Database database;

    @Override
    protected TeeSessions newSessions() {
        database = databases.fresh();
        return new PostgresTeeSessions(databases.pool(database, "tee-sessions-test"));
    }

    @Test
    void aChallengeMadeByOneCoordinatorIsTakenOnceByAnother() {
        sessions.addChallenge(new TeeSessions.Challenge("shared", "t".repeat(64), START), START.minusSeconds(60));
        TeeSessions other = new PostgresTeeSessions(databases.pool(database, "tee-sessions-other"));
        assertThat(other.takeChallenge("shared", "t".repeat(64))).contains(START);
        assertThat(sessions.takeChallenge("shared", "t".repeat(64))).isEmpty();
        UUID session = other.openSession("t".repeat(64), "ed25519:k", START);
        assertThat(sessions.session(session).orElseThrow().active()).isTrue();
    }
}
