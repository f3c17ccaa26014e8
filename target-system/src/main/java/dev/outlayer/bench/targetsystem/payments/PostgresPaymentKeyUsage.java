package dev.outlayer.bench.targetsystem.payments;

import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.amount;
import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.execute;
import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.instant;
import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.numeric;
import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.timestamp;

import dev.outlayer.bench.targetsystem.persistence.PostgresDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * The payment keys' usage in PostgreSQL, OutLayer's {@code payment_key_usage}: the row is written
 * by the transaction that finalizes and charges the call ({@link #record(Connection,
 * PaymentKeys.Id, Usage, String)}), and read here as OutLayer's {@code get_payment_key_usage} reads it.
 */
public final class PostgresPaymentKeyUsage implements PaymentKeyUsage {
    private static final String INSERT = """
            INSERT INTO payment_key_usage (owner, nonce, call_id, project_id, compute_cost, attached_deposit, status,
                                           error_message, job_id, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private final PostgresDatabase db;

    public PostgresPaymentKeyUsage(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public void record(PaymentKeys.Id key, Usage usage) {
        db.inTransaction("payment key usage", connection -> {
            record(connection, key, usage, null);
            return null;
        });
    }

    /** The finalized call's row on a connection of a transaction under way (the call id is unique: once). */
    public static void record(Connection connection, PaymentKeys.Id key, Usage usage, String errorMessage)
            throws SQLException {
        execute(
                connection,
                INSERT,
                key.owner(),
                key.nonce(),
                UUID.fromString(usage.callId()),
                usage.projectId(),
                numeric(usage.computeCost()),
                numeric(usage.attachedDeposit()),
                usage.status(),
                errorMessage,
                usage.jobId(),
                timestamp(usage.createdAt()));
    }

    @Override
    public Page<Usage> of(PaymentKeys.Id key, Page.Request page) {
        return db.inTransaction(
                "payment key usage",
                connection -> new Page<>(
                        PostgresDatabase.all(
                                connection,
                                "SELECT id, call_id, job_id, project_id, compute_cost, attached_deposit, status, created_at"
                                        + " FROM payment_key_usage WHERE owner = ? AND nonce = ?"
                                        + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
                                PostgresPaymentKeyUsage::usage,
                                key.owner(),
                                key.nonce(),
                                page.limit(),
                                page.offset()),
                        PostgresProjectEarnings.count(
                                connection,
                                "SELECT count(*) FROM payment_key_usage WHERE owner = ? AND nonce = ?",
                                key.owner(),
                                key.nonce())));
    }

    private static Usage usage(ResultSet rs) throws SQLException {
        return new Usage(
                rs.getLong("id"),
                rs.getObject("call_id", UUID.class).toString(),
                rs.getObject("job_id", Long.class),
                rs.getString("project_id"),
                amount(rs, "compute_cost"),
                amount(rs, "attached_deposit"),
                rs.getString("status"),
                instant(rs.getTimestamp("created_at")));
    }
}
