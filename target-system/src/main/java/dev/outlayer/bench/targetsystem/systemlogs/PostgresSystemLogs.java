package dev.outlayer.bench.targetsystem.systemlogs;

import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.instant;
import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.timestamp;

import dev.outlayer.bench.targetsystem.persistence.PostgresDatabase;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** System logs in PostgreSQL (migration V13, OutLayer's {@code system_hidden_logs}), every row kept. */
public final class PostgresSystemLogs implements SystemLogs {
    private static final String INSERT = """
            INSERT INTO system_hidden_logs (request_id, job_id, log_type, stderr, stdout, exit_code, execution_error,
                                            created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            RETURNING id""";

    private static final String FOR_JOB = """
            SELECT id, request_id, job_id, log_type, stderr, stdout, exit_code, execution_error, created_at
            FROM system_hidden_logs WHERE job_id = ? ORDER BY created_at DESC, id DESC""";

    private final PostgresDatabase db;
    private final Clock clock;

    public PostgresSystemLogs(PostgresDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public long store(Entry e) {
        Instant now = Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
        return db.queryOptional(
                        "system log store",
                        INSERT,
                        rs -> rs.getLong("id"),
                        e.requestId(),
                        e.jobId(),
                        e.logType(),
                        e.stderr(),
                        e.stdout(),
                        e.exitCode(),
                        e.executionError(),
                        timestamp(now))
                .orElseThrow();
    }

    @Override
    public List<Stored> forJob(long jobId) {
        return db.queryList("system logs of a job", FOR_JOB, PostgresSystemLogs::read, jobId);
    }

    private static Stored read(ResultSet rs) throws SQLException {
        long jobId = rs.getLong("job_id");
        Long job = rs.wasNull() ? null : jobId;
        int exitCode = rs.getInt("exit_code");
        Integer exit = rs.wasNull() ? null : exitCode;
        return new Stored(
                rs.getLong("id"),
                new Entry(
                        rs.getLong("request_id"),
                        job,
                        rs.getString("log_type"),
                        rs.getString("stderr"),
                        rs.getString("stdout"),
                        exit,
                        rs.getString("execution_error")),
                instant(rs.getTimestamp("created_at")));
    }
}
