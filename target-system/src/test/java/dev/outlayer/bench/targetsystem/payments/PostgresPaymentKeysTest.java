package dev.outlayer.bench.targetsystem.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.testing.CoordinatorDatabases;
import dev.outlayer.bench.targetsystem.testing.PostgresServer;
import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import java.math.BigInteger;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every rule of {@link PaymentKeysTest} on PostgreSQL (a fresh database per set of keys), and what
 * only a shared database gives: a restart keeps a key, its grant and its balance, and two
 * coordinators' stores on one database never reserve more than the key holds between them.
 */
@Tag(RequiredTools.POSTGRES)
@ExtendWith(RequiredTools.class)
class PostgresPaymentKeysTest extends PaymentKeysTest {
    private static final String KEY = "0123456789abcdef".repeat(4);
    private static final PaymentKeys.Id ALICE_1 = new PaymentKeys.Id("alice.near", 1);

    @RegisterExtension
    final CoordinatorDatabases databases = new CoordinatorDatabases();

    @Override
    protected PaymentKeys newKeys() {
        return keysOn(databases.fresh());
    }

    @Override
    protected PaymentKeys newKeys(Clock clock) {
        return keysOn(databases.fresh(), clock);
    }

    /** A coordinator's keys on the database: its own pool, as another process would have. */
    private PaymentKeys keysOn(PostgresServer.Database database) {
        return keysOn(database, Clock.systemUTC());
    }

    private PaymentKeys keysOn(PostgresServer.Database database, Clock clock) {
        return new PaymentKeys(new PostgresPaymentKeyStore(databases.pool(database, "payments-test"), clock));
    }

    @Test
    void aRestartKeepsAKeyItsGrantAndItsBalance() throws SQLException {
        PostgresServer.Database database = databases.fresh();
        PaymentKeys before = keysOn(database);
        before.init(ALICE_1, PaymentKeys.keyHash(KEY), List.of("bob.near/echo"), "2500");
        before.completeTopUp(
                ALICE_1, PaymentKeys.keyHash(KEY), BigInteger.valueOf(900), BigInteger.valueOf(900), List.of(), "2500");
        PaymentKeys.Id granted = new PaymentKeys.Id("alice.near", 2);
        before.init(granted, PaymentKeys.keyHash(KEY), List.of(), null);
        before.grant(granted, BigInteger.valueOf(300));
        before.reserve(ALICE_1, BigInteger.valueOf(900), BigInteger.valueOf(100));
        before.settle(ALICE_1, BigInteger.valueOf(100), BigInteger.valueOf(40), java.time.Instant.EPOCH);
        before.reserve(ALICE_1, BigInteger.valueOf(900), BigInteger.valueOf(200));

        PaymentKeys after = keysOn(database); // a coordinator started again on the same database
        PaymentKeys.Metadata key = after.metadata(ALICE_1).orElseThrow();
        assertThat(key.initialBalance()).isEqualTo(900);
        assertThat(key.projectIds()).isEmpty();
        assertThat(key.maxPerCallLimit()).contains(BigInteger.valueOf(2500));
        PaymentKeys.Statement statement = after.statement(ALICE_1);
        assertThat(statement.spent()).isEqualTo(40);
        assertThat(statement.reserved()).isEqualTo(200);
        assertThat(statement.available()).isEqualTo(660);
        assertThat(statement.lastUsedAt()).isEqualTo(java.time.Instant.EPOCH);
        assertThat(after.metadata(granted).orElseThrow().grant()).isTrue();
        assertThat(after.statement(granted).initialBalance()).isEqualTo(300);
    }

    @Test
    void twoCoordinatorsOnOneDatabaseNeverOverspendAKey() throws Exception {
        PostgresServer.Database database = databases.fresh();
        PaymentKeys first = keysOn(database);
        PaymentKeys second = keysOn(database);
        first.init(ALICE_1, PaymentKeys.keyHash(KEY), List.of(), null);
        first.completeTopUp(
                ALICE_1, PaymentKeys.keyHash(KEY), BigInteger.valueOf(500), BigInteger.valueOf(500), List.of(), null);
        assertThat(reserveTensAtOnce(List.of(first, second), 200)).isEqualTo(50);
        assertThat(second.statement(ALICE_1).reserved()).isEqualTo(500);
        assertThat(first.statement(ALICE_1).available()).isZero();
    }
}
