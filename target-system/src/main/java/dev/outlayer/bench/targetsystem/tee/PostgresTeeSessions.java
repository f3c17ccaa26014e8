package dev.outlayer.bench.targetsystem.tee;

import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.execute;
import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.timestamp;

import dev.outlayer.bench.targetsystem.persistence.PostgresDatabase;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/**
 * TEE challenges and sessions in PostgreSQL (migration V15, OutLayer's statements): a challenge is taken with
 * {@code DELETE ... RETURNING}, so coordinators sharing the database hand each one out once; expired ones are
 * deleted as new ones are made (OutLayer: every minute).
 */
public final class PostgresTeeSessions implements TeeSessions {
    private final PostgresDatabase db;

    public PostgresTeeSessions(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public void addChallenge(Challenge challenge, Instant expiredBefore) {
        db.inTransaction("TEE challenge", connection -> {
            execute(connection, "DELETE FROM tee_challenges WHERE created_at < ?", timestamp(expiredBefore));
            execute(
                    connection,
                    "INSERT INTO tee_challenges (challenge, token_hash, created_at) VALUES (?, ?, ?)",
                    challenge.challenge(),
                    challenge.tokenHash(),
                    timestamp(challenge.createdAt()));
            return null;
        });
    }

    @Override
    public Optional<Instant> takeChallenge(String challenge, String tokenHash) {
        return db.queryOptional(
                "TEE challenge take",
                "DELETE FROM tee_challenges WHERE challenge = ? AND token_hash = ? RETURNING created_at",
                rs -> utc(rs, "created_at"),
                challenge,
                tokenHash);
    }

    @Override
    public UUID openSession(String tokenHash, String publicKey, Instant at) {
        UUID id = UUID.randomUUID();
        db.inTransaction("TEE session", connection -> {
            execute(
                    connection,
                    "UPDATE worker_tee_sessions SET is_active = FALSE WHERE token_hash = ? AND is_active = TRUE",
                    tokenHash);
            execute(
                    connection,
                    "INSERT INTO worker_tee_sessions (session_id, token_hash, worker_public_key, created_at)"
                            + " VALUES (?, ?, ?, ?)",
                    id,
                    tokenHash,
                    publicKey,
                    timestamp(at));
            return null;
        });
        return id;
    }

    @Override
    public Optional<Session> session(UUID sessionId) {
        return db.queryOptional(
                "TEE session read",
                "SELECT session_id, token_hash, worker_public_key, created_at, is_active FROM worker_tee_sessions"
                        + " WHERE session_id = ?",
                PostgresTeeSessions::read,
                sessionId);
    }

    private static Session read(ResultSet rs) throws SQLException {
        return new Session(
                rs.getObject("session_id", UUID.class),
                rs.getString("token_hash"),
                rs.getString("worker_public_key"),
                utc(rs, "created_at"),
                rs.getBoolean("is_active"));
    }

    private static Instant utc(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC);
    }
}
