package dev.outlayer.bench.targetsystem.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.executions.PostgresJobStore;
import dev.outlayer.bench.targetsystem.persistence.PostgresDatabase;
import dev.outlayer.bench.targetsystem.testing.PostgresServer;
import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import java.math.BigInteger;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

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

    private final List<AutoCloseable> opened = new ArrayList<>();

    @Override
    protected PaymentKeys newKeys() {
        return keysOn(freshDatabase());
    }

    private PostgresServer.Database freshDatabase() {
        try {
            PostgresServer.Database database = PostgresServer.freshDatabase("jobs_template", PostgresJobStore::migrate);
            opened.add(database);
            return database;
        } catch (Exception e) {
            throw new IllegalStateException("no test database", e);
        }
    }

    /** A coordinator's keys on the database: its own pool, as another process would have. */
    private PaymentKeys keysOn(PostgresServer.Database database) {
        PostgresDatabase db = PostgresDatabase.open(database.jdbcUrl(), "payments-test", 8);
        opened.add(0, db); // closed before its database is dropped
        return new PaymentKeys(new PostgresPaymentKeyStore(db, Clock.systemUTC()));
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable resource : opened) {
            resource.close();
        }
    }

    @Test
    void aRestartKeepsAKeyItsGrantAndItsBalance() throws SQLException {
        PostgresServer.Database database = freshDatabase();
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
        PostgresServer.Database database = freshDatabase();
        PaymentKeys first = keysOn(database);
        PaymentKeys second = keysOn(database);
        first.init(ALICE_1, PaymentKeys.keyHash(KEY), List.of(), null);
        first.completeTopUp(
                ALICE_1, PaymentKeys.keyHash(KEY), BigInteger.valueOf(500), BigInteger.valueOf(500), List.of(), null);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> attempts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            PaymentKeys coordinator = i % 2 == 0 ? first : second;
            attempts.add(pool.submit(() -> {
                start.await();
                try {
                    coordinator.reserve(ALICE_1, BigInteger.valueOf(500), BigInteger.TEN);
                    return true;
                } catch (dev.outlayer.bench.targetsystem.errors.ApiException e) {
                    return false;
                }
            }));
        }
        start.countDown();
        int reserved = 0;
        for (Future<Boolean> attempt : attempts) {
            reserved += attempt.get(60, TimeUnit.SECONDS) ? 1 : 0;
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(reserved).isEqualTo(50);
        assertThat(second.statement(ALICE_1).reserved()).isEqualTo(500);
        assertThat(first.statement(ALICE_1).available()).isZero();
    }
}
