package dev.outlayer.bench.targetsystem.payments;

import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.amount;
import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.execute;
import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.instant;
import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.numeric;
import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.one;
import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.timestamp;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.persistence.PostgresDatabase;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Project owners' earnings in PostgreSQL, OutLayer's {@code project_owner_earnings} and {@code
 * earnings_history}: a finalized HTTPS call credits them in the transaction that charges its key
 * ({@link #credit(Connection, Credit)}). A withdrawal is one conditional {@code UPDATE ... WHERE
 * balance >= amount} and its {@code project_owner_withdrawals} row in one transaction: the row lock
 * orders concurrent withdrawals of every coordinator and each re-checks the balance the previous one
 * left, so the balance never goes below 0.
 */
public final class PostgresProjectEarnings implements ProjectEarnings {
    private static final String CREDIT = """
            INSERT INTO project_owner_earnings AS e (project_owner, balance, total_earned, updated_at)
            VALUES (?, ?, ?, ?)
            ON CONFLICT (project_owner) DO UPDATE SET balance = e.balance + EXCLUDED.balance,
                                                      total_earned = e.total_earned + EXCLUDED.total_earned,
                                                      updated_at = EXCLUDED.updated_at""";

    private static final String HISTORY = """
            INSERT INTO earnings_history (project_owner, project_id, attached_usd, refund_usd, amount, source, call_id,
                                          payment_key_owner, payment_key_nonce, created_at)
            VALUES (?, ?, ?, ?, ?, 'https', ?, ?, ?, ?)""";

    private static final String HISTORY_COLUMNS = "id, project_id, attached_usd, refund_usd, amount, source, call_id,"
            + " payment_key_owner, payment_key_nonce, created_at";

    private static final String WITHDRAW = """
            UPDATE project_owner_earnings SET balance = balance - ?, updated_at = ?
            WHERE project_owner = ? AND balance >= ?""";

    private static final String WITHDRAWAL_COLUMNS =
            "id, project_owner, amount, status, tx_hash, created_at, completed_at";

    private final PostgresDatabase db;

    public PostgresProjectEarnings(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public void credit(Credit credit) {
        db.inTransaction("earnings", connection -> {
            credit(connection, credit);
            return null;
        });
    }

    /** finalize_call's credit and history row on a connection of a transaction under way (nothing for 0). */
    public static void credit(Connection connection, Credit credit) throws SQLException {
        BigInteger amount = credit.amount();
        if (amount.signum() <= 0) {
            return;
        }
        execute(connection, CREDIT, credit.projectOwner(), numeric(amount), numeric(amount), timestamp(credit.at()));
        execute(
                connection,
                HISTORY,
                credit.projectOwner(),
                credit.projectId(),
                numeric(credit.attachedUsd()),
                numeric(credit.refundUsd()),
                numeric(amount),
                credit.callId(),
                credit.payer().owner(),
                credit.payer().nonce(),
                timestamp(credit.at()));
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

    @Override
    public Page<Earning> history(String projectOwner, String source, Page.Request page) {
        String where = source == null ? "project_owner = ?" : "project_owner = ? AND source = ?";
        Object[] filter = source == null ? new Object[] {projectOwner} : new Object[] {projectOwner, source};
        return db.inTransaction(
                "earnings history",
                connection -> new Page<>(
                        PostgresDatabase.all(
                                connection,
                                "SELECT " + HISTORY_COLUMNS + " FROM earnings_history WHERE " + where
                                        + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
                                PostgresProjectEarnings::earning,
                                append(filter, page.limit(), page.offset())),
                        count(connection, "SELECT count(*) FROM earnings_history WHERE " + where, filter)));
    }

    @Override
    public Withdrawal withdraw(String projectOwner, BigInteger amount, Instant at) {
        PaymentKeys.checkAmount(amount, "amount");
        if (amount.signum() <= 0) {
            throw ApiException.invalid("Amount must be greater than 0");
        }
        return db.inTransaction("earnings withdrawal", connection -> {
            if (execute(connection, WITHDRAW, numeric(amount), timestamp(at), projectOwner, numeric(amount)) == 0) {
                BigInteger balance = one(
                                connection,
                                "SELECT balance FROM project_owner_earnings WHERE project_owner = ?",
                                rs -> amount(rs, "balance"),
                                projectOwner)
                        .orElse(BigInteger.ZERO);
                throw PaymentKeys.insufficient(balance, amount);
            }
            return one(
                            connection,
                            "INSERT INTO project_owner_withdrawals (project_owner, amount, status, created_at)"
                                    + " VALUES (?, ?, 'pending', ?) RETURNING " + WITHDRAWAL_COLUMNS,
                            PostgresProjectEarnings::withdrawal,
                            projectOwner,
                            numeric(amount),
                            timestamp(at))
                    .orElseThrow();
        });
    }

    @Override
    public Optional<Completion> complete(long withdrawalId, boolean success, String txHash, Instant at) {
        return db.inTransaction("earnings withdrawal completion", connection -> {
            Optional<Withdrawal> moved = one(
                    connection,
                    "UPDATE project_owner_withdrawals SET status = ?, tx_hash = ?, completed_at = ?"
                            + " WHERE id = ? AND status = 'pending' RETURNING " + WITHDRAWAL_COLUMNS,
                    PostgresProjectEarnings::withdrawal,
                    success ? "completed" : "failed",
                    txHash,
                    timestamp(at),
                    withdrawalId);
            if (moved.isEmpty()) {
                return one(
                                connection,
                                "SELECT " + WITHDRAWAL_COLUMNS + " FROM project_owner_withdrawals WHERE id = ?",
                                PostgresProjectEarnings::withdrawal,
                                withdrawalId)
                        .map(w -> new Completion(w, false));
            }
            Withdrawal withdrawal = moved.get();
            if (!success) {
                // the payout did not happen: the amount is the owner's again
                execute(
                        connection,
                        "UPDATE project_owner_earnings SET balance = balance + ?, updated_at = ? WHERE project_owner = ?",
                        numeric(withdrawal.amount()),
                        timestamp(at),
                        withdrawal.projectOwner());
            }
            return Optional.of(new Completion(withdrawal, true));
        });
    }

    @Override
    public Page<Withdrawal> withdrawals(String projectOwner, Page.Request page) {
        return db.inTransaction(
                "earnings withdrawals",
                connection -> new Page<>(
                        PostgresDatabase.all(
                                connection,
                                "SELECT " + WITHDRAWAL_COLUMNS
                                        + " FROM project_owner_withdrawals WHERE project_owner = ?"
                                        + " ORDER BY id DESC LIMIT ? OFFSET ?",
                                PostgresProjectEarnings::withdrawal,
                                projectOwner,
                                page.limit(),
                                page.offset()),
                        count(
                                connection,
                                "SELECT count(*) FROM project_owner_withdrawals WHERE project_owner = ?",
                                projectOwner)));
    }

    static long count(Connection connection, String sql, Object... parameters) throws SQLException {
        return one(connection, sql, rs -> rs.getLong(1), parameters).orElse(0L);
    }

    static Object[] append(Object[] row, Object... more) {
        Object[] all = java.util.Arrays.copyOf(row, row.length + more.length);
        System.arraycopy(more, 0, all, row.length, more.length);
        return all;
    }

    private static Earning earning(ResultSet rs) throws SQLException {
        UUID callId = rs.getObject("call_id", UUID.class);
        return new Earning(
                rs.getLong("id"),
                rs.getString("project_id"),
                amount(rs, "attached_usd"),
                amount(rs, "refund_usd"),
                amount(rs, "amount"),
                rs.getString("source"),
                callId == null ? null : callId.toString(),
                rs.getString("payment_key_owner"),
                rs.getObject("payment_key_nonce", Long.class),
                instant(rs.getTimestamp("created_at")));
    }

    private static Withdrawal withdrawal(ResultSet rs) throws SQLException {
        return new Withdrawal(
                rs.getLong("id"),
                rs.getString("project_owner"),
                amount(rs, "amount"),
                rs.getString("status"),
                rs.getString("tx_hash"),
                instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("completed_at")));
    }
}
