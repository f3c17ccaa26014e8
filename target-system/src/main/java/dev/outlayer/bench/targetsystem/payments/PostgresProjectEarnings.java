package dev.outlayer.bench.targetsystem.payments;

import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.amount;
import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.execute;
import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.instant;
import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.numeric;
import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.timestamp;

import dev.outlayer.bench.targetsystem.persistence.PostgresDatabase;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Project owners' earnings in PostgreSQL, OutLayer's {@code project_owner_earnings}: a finalized
 * HTTPS call credits them in the transaction that charges its key ({@link #credit(Connection,
 * String, BigInteger, Instant)}).
 */
public final class PostgresProjectEarnings implements ProjectEarnings {
    private static final String CREDIT = """
            INSERT INTO project_owner_earnings AS e (project_owner, balance, total_earned, updated_at)
            VALUES (?, ?, ?, ?)
            ON CONFLICT (project_owner) DO UPDATE SET balance = e.balance + EXCLUDED.balance,
                                                      total_earned = e.total_earned + EXCLUDED.total_earned,
                                                      updated_at = EXCLUDED.updated_at""";

    private final PostgresDatabase db;
    private final Clock clock;

    public PostgresProjectEarnings(PostgresDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public void credit(String projectOwner, BigInteger amount) {
        Instant now = clock.instant();
        db.inTransaction("earnings", connection -> {
            credit(connection, projectOwner, amount, now);
            return null;
        });
    }

    /** finalize_call's credit on a connection of a transaction under way (nothing for 0). */
    public static void credit(Connection connection, String projectOwner, BigInteger amount, Instant at)
            throws SQLException {
        if (amount.signum() <= 0) {
            return;
        }
        execute(connection, CREDIT, projectOwner, numeric(amount), numeric(amount), timestamp(at));
    }

    @Override
    public Optional<Earnings> of(String projectOwner) {
        return db.queryOptional(
                "earnings",
                "SELECT balance, total_earned, updated_at FROM project_owner_earnings WHERE project_owner = ?",
                rs -> new Earnings(
                        amount(rs, "balance"), amount(rs, "total_earned"), instant(rs.getTimestamp("updated_at"))),
                projectOwner);
    }
}
