package dev.outlayer.bench.targetsystem.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.executions.PostgresJobStore;
import dev.outlayer.bench.targetsystem.persistence.PostgresDatabase;
import dev.outlayer.bench.targetsystem.testing.AtOnce;
import dev.outlayer.bench.targetsystem.testing.PostgresServer;
import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The rate windows in PostgreSQL: one window per key for every coordinator on the database (as
 * OutLayer's Redis counter), counted exactly under concurrency, opening again 60 s after its first
 * call, and expired windows purged.
 */
@Tag(RequiredTools.POSTGRES)
@ExtendWith(RequiredTools.class)
class PostgresPaymentKeyRateLimitTest {
    private static final PaymentKeys.Id KEY = new PaymentKeys.Id("alice.near", 1);

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-05T10:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private final List<AutoCloseable> opened = new ArrayList<>();
    private PostgresServer.Database database;

    @BeforeEach
    void freshDatabase() throws Exception {
        database = PostgresServer.freshDatabase("jobs_template", PostgresJobStore::migrate);
        opened.add(database);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable resource : opened) {
            resource.close();
        }
    }

    /** A coordinator's windows: its own pool on the database. */
    private PostgresPaymentKeyRateLimit windowsOfACoordinator() {
        PostgresDatabase db = PostgresDatabase.open(database.jdbcUrl(), "rate-test", 8);
        opened.add(0, db);
        return new PostgresPaymentKeyRateLimit(db, clock);
    }

    @Test
    void twoCoordinatorsCountInOneWindowExactlyUnderConcurrency() throws Exception {
        List<PaymentKeyRateLimit> coordinators = List.of(windowsOfACoordinator(), windowsOfACoordinator());
        List<Integer> seen =
                AtOnce.run(300, 16, i -> () -> coordinators.get(i % 2).count(KEY));
        // each call saw its own place in the one window: a limit of N admits exactly N between them
        assertThat(seen)
                .containsExactlyInAnyOrderElementsOf(
                        java.util.stream.IntStream.rangeClosed(1, 300).boxed().toList());
    }

    @Test
    void aWindowOpensAgain60SecondsAfterItsFirstCall() {
        PaymentKeyRateLimit first = windowsOfACoordinator();
        PaymentKeyRateLimit second = windowsOfACoordinator();
        assertThat(first.count(KEY)).isEqualTo(1);
        now.set(now.get().plus(Duration.ofSeconds(59)));
        assertThat(second.count(KEY)).isEqualTo(2);
        assertThat(second.count(new PaymentKeys.Id("alice.near", 2))).isEqualTo(1);
        now.set(now.get().plus(Duration.ofSeconds(1)));
        assertThat(first.count(KEY)).as("a new window").isEqualTo(1);
        assertThat(second.count(KEY)).isEqualTo(2);
    }

    @Test
    void expiredWindowsArePurged() throws Exception {
        PaymentKeyRateLimit windows = windowsOfACoordinator();
        for (int i = 0; i < PostgresPaymentKeyRateLimit.PURGE_EVERY - 1; i++) {
            windows.count(new PaymentKeys.Id("nobody" + i + ".near", 1));
        }
        assertThat(rows()).isEqualTo(PostgresPaymentKeyRateLimit.PURGE_EVERY - 1);
        now.set(now.get().plus(Duration.ofSeconds(60)));
        windows.count(KEY);
        assertThat(rows()).as("only the new window is left").isEqualTo(1);
    }

    private long rows() throws Exception {
        try (var connection = database.connect();
                var statement = connection.prepareStatement("SELECT count(*) FROM payment_key_rate_windows");
                var rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
