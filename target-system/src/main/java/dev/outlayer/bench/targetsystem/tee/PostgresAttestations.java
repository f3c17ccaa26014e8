package dev.outlayer.bench.targetsystem.tee;

import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.timestamp;

import dev.outlayer.bench.targetsystem.persistence.PostgresDatabase;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

/** Attestations in PostgreSQL (migration V15, OutLayer's {@code task_attestations}), every row kept. */
public final class PostgresAttestations implements Attestations {
    private static final String COLUMNS = """
            task_id, task_type, tdx_quote, worker_measurement, request_id, caller_account_id, transaction_hash,
            block_height, call_id, payment_key_owner, payment_key_nonce, repo_url, commit_hash, build_target,
            wasm_hash, input_hash, output_hash, project_id, secrets_ref, attached_usd, created_at""";

    private static final String INSERT = "INSERT INTO task_attestations (" + COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

    private static final String FIRST =
            "SELECT id, " + COLUMNS + " FROM task_attestations WHERE task_id = ? ORDER BY id LIMIT 1";

    private final PostgresDatabase db;
    private final Clock clock;

    public PostgresAttestations(PostgresDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public long store(Entry e, Instant time) {
        Instant at = time != null ? time : Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
        return db.queryOptional(
                        "attestation store",
                        INSERT,
                        rs -> rs.getLong("id"),
                        e.taskId(),
                        e.taskType(),
                        e.tdxQuote(),
                        e.workerMeasurement(),
                        e.requestId(),
                        e.callerAccountId(),
                        e.transactionHash(),
                        e.blockHeight(),
                        e.callId(),
                        e.paymentKeyOwner(),
                        e.paymentKeyNonce(),
                        e.repoUrl(),
                        e.commitHash(),
                        e.buildTarget(),
                        e.wasmHash(),
                        e.inputHash(),
                        e.outputHash(),
                        e.projectId(),
                        e.secretsRef(),
                        e.attachedUsd(),
                        timestamp(at))
                .orElseThrow();
    }

    @Override
    public Optional<Stored> first(long taskId) {
        return db.queryOptional("attestation of a task", FIRST, PostgresAttestations::read, taskId);
    }

    private static Stored read(ResultSet rs) throws SQLException {
        Instant createdAt = rs.getObject("created_at", LocalDateTime.class).toInstant(ZoneOffset.UTC);
        return new Stored(
                rs.getLong("id"),
                new Entry(
                        rs.getLong("task_id"),
                        rs.getString("task_type"),
                        rs.getBytes("tdx_quote"),
                        rs.getString("worker_measurement"),
                        rs.getObject("request_id", Long.class),
                        rs.getString("caller_account_id"),
                        rs.getString("transaction_hash"),
                        rs.getObject("block_height", Long.class),
                        rs.getObject("call_id", UUID.class),
                        rs.getString("payment_key_owner"),
                        rs.getObject("payment_key_nonce", Integer.class),
                        rs.getString("repo_url"),
                        rs.getString("commit_hash"),
                        rs.getString("build_target"),
                        rs.getString("wasm_hash"),
                        rs.getString("input_hash"),
                        rs.getString("output_hash"),
                        rs.getString("project_id"),
                        rs.getString("secrets_ref"),
                        rs.getString("attached_usd")),
                createdAt);
    }
}
