package dev.outlayer.bench.targetsystem.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.testing.CoordinatorDatabases;
import dev.outlayer.bench.targetsystem.testing.PostgresServer;
import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every rule of {@link ProjectEarningsTest} on PostgreSQL (a fresh database per store), and what
 * only a shared database gives: two coordinators' stores withdrawing at once never take more than
 * the balance between them, and a restart keeps the balance, the history and the withdrawals.
 */
@Tag(RequiredTools.POSTGRES)
@ExtendWith(RequiredTools.class)
class PostgresProjectEarningsTest extends ProjectEarningsTest {
    @RegisterExtension
    final CoordinatorDatabases databases = new CoordinatorDatabases();

    @Override
    protected ProjectEarnings newEarnings() {
        return earningsOn(databases.fresh());
    }

    /** A coordinator's earnings on the database: its own pool, as another process would have. */
    private ProjectEarnings earningsOn(PostgresServer.Database database) {
        return new PostgresProjectEarnings(databases.pool(database, "earnings-test"));
    }

    @Test
    void twoCoordinatorsWithdrawingAtOnceNeverTakeMoreThanTheBalance() throws Exception {
        PostgresServer.Database database = databases.fresh();
        ProjectEarnings first = earningsOn(database);
        ProjectEarnings second = earningsOn(database);
        first.credit(credit("bob.near/echo", 500, 0, 1));
        assertThat(withdrawTensAtOnce(List.of(first, second), 200)).isEqualTo(50);
        assertThat(second.of("bob.near").orElseThrow().balance()).isZero();
        assertThat(first.withdrawals("bob.near", new Page.Request(100, 0)).total())
                .isEqualTo(50);
    }

    @Test
    void aRestartKeepsTheBalanceTheHistoryAndTheWithdrawals() {
        PostgresServer.Database database = databases.fresh();
        ProjectEarnings before = earningsOn(database);
        before.credit(credit("bob.near/echo", 900, 100, 1));
        ProjectEarnings.Withdrawal pending = before.withdraw("bob.near", BigInteger.valueOf(300), Instant.EPOCH);

        ProjectEarnings after = earningsOn(database);
        assertThat(after.of("bob.near").orElseThrow().balance()).isEqualTo(500);
        assertThat(after.history("bob.near", null, new Page.Request(50, 0)).items())
                .extracting(ProjectEarnings.Earning::amount)
                .containsExactly(BigInteger.valueOf(800));
        assertThat(after.complete(pending.id(), false, null, Instant.EPOCH)
                        .orElseThrow()
                        .finalized())
                .isTrue();
        assertThat(after.of("bob.near").orElseThrow().balance()).isEqualTo(800);
    }
}
