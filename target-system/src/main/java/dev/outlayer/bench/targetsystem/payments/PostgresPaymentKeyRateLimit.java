package dev.outlayer.bench.targetsystem.payments;

import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.timestamp;

import dev.outlayer.bench.targetsystem.persistence.PostgresDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The rate windows in PostgreSQL ({@code payment_key_rate_windows}), shared by every coordinator on
 * the database as OutLayer's share their Redis counter: a call is counted by one upsert that starts
 * a new window when the key's is 60 s old and otherwise adds one, and returns the count; the row
 * lock orders concurrent calls of every coordinator, so a window never admits more than the limit
 * between them. Windows are stamped with the coordinators' clocks (OutLayer's, with Redis's one
 * clock). Expired windows are deleted every {@link #PURGE_EVERY} calls counted here, as Redis
 * expires its counters.
 */
public final class PostgresPaymentKeyRateLimit implements PaymentKeyRateLimit {
    static final int PURGE_EVERY = 1_000;

    private static final String COUNT = """
            INSERT INTO payment_key_rate_windows AS w (owner, nonce, window_start, calls) VALUES (?, ?, ?, 1)
            ON CONFLICT (owner, nonce) DO UPDATE
            SET calls = CASE WHEN w.window_start <= ? THEN 1 ELSE w.calls + 1 END,
                window_start = CASE WHEN w.window_start <= ? THEN EXCLUDED.window_start ELSE w.window_start END
            RETURNING calls""";

    private static final Duration WINDOW = Duration.ofNanos(WINDOW_NANOS);

    private final PostgresDatabase db;
    private final Clock clock;
    private final AtomicLong counted = new AtomicLong();

    public PostgresPaymentKeyRateLimit(PostgresDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public int count(PaymentKeys.Id key) {
        Instant now = clock.instant();
        Object expired = timestamp(now.minus(WINDOW));
        if (counted.incrementAndGet() % PURGE_EVERY == 0) {
            db.update("rate windows purge", "DELETE FROM payment_key_rate_windows WHERE window_start <= ?", expired);
        }
        return db.queryOptional(
                        "rate window",
                        COUNT,
                        rs -> rs.getInt(1),
                        key.owner(),
                        key.nonce(),
                        timestamp(now),
                        expired,
                        expired)
                .orElseThrow();
    }
}
