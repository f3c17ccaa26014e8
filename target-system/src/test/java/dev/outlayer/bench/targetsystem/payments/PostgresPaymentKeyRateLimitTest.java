package dev.outlayer.bench.targetsystem.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.executions.ManualClock;
import dev.outlayer.bench.targetsystem.testing.AtOnce;
import dev.outlayer.bench.targetsystem.testing.CoordinatorDatabases;
import dev.outlayer.bench.targetsystem.testing.PostgresServer;
import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The rate windows in PostgreSQL: one window per key for every coordinator on the database (as
 * OutLayer's Redis counter), counted exactly under concurrency, opening again 60 s after its first
 * call, and expired windows purged.
 */
@Tag(RequiredTools.POSTGRES)
@ExtendWith(RequiredTools.class)
class PostgresPaymentKeyRateLimitTest {
    private static final PaymentKeys.Id KEY = new PaymentKeys.Id("alice.near", 1);

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-05T10:00:00Z"));

    @RegisterExtension
    final CoordinatorDatabases databases = new CoordinatorDatabases();

    private PostgresServer.Database database;

    @BeforeEach
    void freshDatabase() {
        database = databases.fresh();
    }

    /** A coordinator's windows: its own pool on the database. */
    private PostgresPaymentKeyRateLimit windowsOfACoordinator() {
        return new PostgresPaymentKeyRateLimit(databases.pool(database, "rate-test"), clock);
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
        clock.advance(Duration.ofSeconds(59));
        assertThat(second.count(KEY)).isEqualTo(2);
        assertThat(second.count(new PaymentKeys.Id("alice.near", 2))).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
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
        clock.advance(Duration.ofSeconds(60));
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
